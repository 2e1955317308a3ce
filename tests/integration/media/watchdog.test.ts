/**
 * A window that hangs (or whose connection the transport never reports closed) stops sending
 * media: the core notices the silence, ends the segments whole and interrupts the session,
 * so a recording can never look live while nothing is being recorded (R3.5).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingFaultEvent } from '../../../electron/shared/recording';
import {
  decodeErrors,
  fragmentedVideo,
  frame,
  mediaCore,
  memoryMediaClient,
  openInput,
  recordingSession,
  unitsOf,
  until,
} from '../../helpers/media';

let video: Uint8Array;
beforeAll(() => {
  video = readFileSync(fragmentedVideo(20));
});

describe('stall watchdog', () => {
  let env: ReturnType<typeof mediaCore>;
  afterEach(() => env.core.close());

  it('interrupts a session whose writer went silent, keeping every whole fragment', async () => {
    env = mediaCore({ stallMs: 600 });
    const c = memoryMediaClient(env.core);
    const { session } = await recordingSession(c.client);
    const faults: RecordingFaultEvent[] = [];
    c.client.subscribe('recording.fault', (f) => faults.push(f));
    const { path } = await c.client.invoke(
      'recording.openSegment',
      openInput(session.id, 'cam1', 'camera'),
    );
    const units = unitsOf(video);
    // Media keeps it alive: frames spaced under the stall time never trip it.
    for (let i = 0; i < 4; i++) {
      const from = i === 0 ? 0 : units[i + 1]!.offset;
      c.client.sendMedia(frame('cam1', 1, from, video.subarray(from, units[i + 2]!.offset)));
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(
      (await c.client.invoke('recording.status', { sessionId: session.id })).sessionStatus,
    ).toBe('recording');
    // Then silence, with the connection still open.
    await until(() => faults.some((f) => f.kind === 'connection_lost'), 5_000);
    const status = await c.client.invoke('recording.status', { sessionId: session.id });
    expect(status.sessionStatus).toBe('interrupted');
    expect(status.segments[0]).toMatchObject({
      state: 'closed',
      closeReason: 'connection_lost',
      bytes: units[5]!.offset,
    });
    expect(decodeErrors(join(env.dataDir, path))).toBe('');
    expect(faults.find((f) => f.kind === 'connection_lost')?.detail).toContain('no media arrived');
  });
});
