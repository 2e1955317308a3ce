/**
 * A window that hangs (or whose connection the transport never reports closed) stops sending
 * media: the core notices the silence, ends the segments whole and interrupts the session,
 * so a recording can never look live while nothing is being recorded (R3.5).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingFaultEvent } from '../../../electron/shared/api/recording';
import {
  decodeErrors,
  fragmentedVideo,
  frame,
  mediaCore,
  memoryMediaClient,
  openInput,
  recordingSession,
  sha256sum,
  unitsOf,
  until,
} from '../../helpers/media';

let video: Uint8Array;
beforeAll(() => {
  video = readFileSync(fragmentedVideo(20));
});

describe('while recording', () => {
  let env: ReturnType<typeof mediaCore>;
  afterEach(() => env.dispose());

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

  it('interrupts a session that records with no file open at all, and says why', async () => {
    env = mediaCore({ stallMs: 600 });
    const c = memoryMediaClient(env.core);
    const { session } = await recordingSession(c.client);
    const faults: RecordingFaultEvent[] = [];
    c.client.subscribe('recording.fault', (f) => faults.push(f));
    // Started, but no window ever opens a file for it.
    await until(() => faults.some((f) => f.kind === 'connection_lost'), 5_000);
    expect(
      (await c.client.invoke('recording.status', { sessionId: session.id })).sessionStatus,
    ).toBe('interrupted');
    expect(faults.find((f) => f.kind === 'connection_lost')?.detail).toContain(
      'no file of this session has been open',
    );
  });

  it('checkpoints the hashes written so far into the audit chain while recording', async () => {
    env = mediaCore({ stallMs: 0, checkpointMs: 200 });
    const c = memoryMediaClient(env.core);
    const { session } = await recordingSession(c.client);
    const { path } = await c.client.invoke(
      'recording.openSegment',
      openInput(session.id, 'cam1', 'camera'),
    );
    const units = unitsOf(video);
    const upTo = units[4]!.offset;
    c.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, upTo)));
    const checkpoints = async () =>
      (await c.client.invoke('audit.list', { entity: 'session', entityId: session.id })).filter(
        (e) => e.action === 'recording.checkpoint',
      );
    await expect.poll(async () => (await checkpoints()).length).toBeGreaterThanOrEqual(2);
    const found = await checkpoints();
    expect(found.length).toBeGreaterThanOrEqual(2);
    const last = found[0]!.data as {
      segments: { sourceId: string; bytes: number; sha256: string }[];
    };
    expect(last.segments).toEqual([
      { sourceId: 'cam1', segment: 1, bytes: upTo, sha256: sha256sum(join(env.dataDir, path)) },
    ]);
    expect((await c.client.invoke('audit.verifyChain', {})).ok).toBe(true);
  });

  it("refuses another connection's bytes and closing for a segment it did not open", async () => {
    env = mediaCore({ stallMs: 0, checkpointMs: 0 });
    const owner = memoryMediaClient(env.core);
    const { session } = await recordingSession(owner.client);
    const { path } = await owner.client.invoke(
      'recording.openSegment',
      openInput(session.id, 'cam1', 'camera'),
    );
    const units = unitsOf(video);
    owner.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, units[3]!.offset)));
    await owner.client.invoke('recording.status', { sessionId: session.id });

    const other = memoryMediaClient(env.core);
    await other.client.invoke('auth.signIn', { username: 'admin', password: 'correct horse 1' });
    other.client.sendMedia(
      frame('cam1', 1, units[3]!.offset, video.subarray(units[3]!.offset, units[5]!.offset)),
    );
    await expect(
      other.client.invoke('recording.closeSegment', {
        sessionId: session.id,
        sourceId: 'cam1',
        segment: 1,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The file holds only the owner's bytes, and the owner carries on where it left off.
    expect(sha256sum(join(env.dataDir, path))).toBe(
      (await import('node:crypto'))
        .createHash('sha256')
        .update(video.subarray(0, units[3]!.offset))
        .digest('hex'),
    );
    owner.client.sendMedia(
      frame('cam1', 1, units[3]!.offset, video.subarray(units[3]!.offset, units[5]!.offset)),
    );
    const closed = await owner.client.invoke('recording.closeSegment', {
      sessionId: session.id,
      sourceId: 'cam1',
      segment: 1,
    });
    expect(closed.bytes).toBe(units[5]!.offset);
  });

  it('ends every open file of a session it interrupts, also those still being fed', async () => {
    env = mediaCore({ stallMs: 600, checkpointMs: 0 });
    const c = memoryMediaClient(env.core);
    const { session } = await recordingSession(c.client);
    const faults: RecordingFaultEvent[] = [];
    c.client.subscribe('recording.fault', (f) => faults.push(f));
    await c.client.invoke('recording.openSegment', openInput(session.id, 'cam1', 'camera'));
    await c.client.invoke('recording.openSegment', openInput(session.id, 'cam2', 'camera'));
    const units = unitsOf(video);
    // cam2 gets its first fragment and then nothing; cam1 keeps arriving.
    c.client.sendMedia(frame('cam2', 1, 0, video.subarray(0, units[2]!.offset)));
    let i = 0;
    while (!faults.some((f) => f.kind === 'connection_lost') && i < 12) {
      const from = i === 0 ? 0 : units[i + 1]!.offset;
      c.client.sendMedia(frame('cam1', 1, from, video.subarray(from, units[i + 2]!.offset)));
      i++;
      await new Promise((r) => setTimeout(r, 200));
    }
    const status = await c.client.invoke('recording.status', { sessionId: session.id });
    expect(status.sessionStatus).toBe('interrupted');
    expect(status.segments.map((g) => [g.sourceId, g.state])).toEqual([
      ['cam1', 'closed'],
      ['cam2', 'closed'],
    ]);
  });

  it('never writes an end time before the end of the recorded media (R2.4)', async () => {
    env = mediaCore({ stallMs: 0, checkpointMs: 0 });
    const c = memoryMediaClient(env.core);
    const { session } = await recordingSession(c.client);
    await c.client.invoke('recording.openSegment', openInput(session.id, 'cam1', 'camera'));
    const units = unitsOf(video);
    c.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, units[6]!.offset)));
    await c.client.invoke('recording.closeSegment', {
      sessionId: session.id,
      sourceId: 'cam1',
      segment: 1,
    });
    env.advance(60_000);
    const seg = (await c.client.invoke('recording.status', { sessionId: session.id })).segments[0]!;
    const mediaEndMs = Math.ceil((seg.sessionTimeUs + seg.durationUs!) / 1000);
    expect(mediaEndMs).toBeGreaterThan(3_000);
    // A stop time that claims less than what was recorded is raised to the media's end.
    const ended = await c.client.invoke('sessions.end', {
      id: session.id,
      confirm: true,
      stoppedAtSessionMs: 0,
    });
    expect(ended.endedAt! - ended.startedAt!).toBe(mediaEndMs);
  });
});
