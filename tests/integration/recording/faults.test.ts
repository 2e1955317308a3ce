/**
 * Faults of a recording, each leaving its trace on the timeline (R3.5): a filling disk
 * (simulated through the disk-space port: warnings, then a safe stop that leaves whole
 * files), the loss of the connection that was writing, faults the renderer reports, the
 * resume and abandon paths of an interrupted session; and the renderer's own muxer
 * (mediabunny's fragmented output) streamed straight into the sink.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_FORMATS,
  Conversion,
  FilePathSource,
  Input,
  Mp4OutputFormat,
  Output,
  StreamTarget,
  type StreamTargetChunk,
} from 'mediabunny';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordingFaultEvent } from '../../../electron/shared/api/recording';
import { PASSWORD } from '../../helpers/core';
import {
  decodeErrors,
  ffprobe,
  fragmentedVideo,
  frame,
  mediaCore,
  memoryMediaClient,
  openInput,
  plainMp4,
  recordingSession,
  sha256sum,
  unitsOf,
  until,
  type MediaClient,
} from '../../helpers/media';

const GiB = 1024 ** 3;
let video: Uint8Array;
beforeAll(() => {
  video = readFileSync(fragmentedVideo(20));
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return (e as { code: string }).code;
  }
}

describe('recording faults', () => {
  let free: number;
  let env: ReturnType<typeof mediaCore>;
  let c: MediaClient;
  let faults: RecordingFaultEvent[];

  beforeEach(() => {
    free = 12 * GiB;
    env = mediaCore({
      diskSpace: () => ({ freeBytes: free, totalBytes: 100 * GiB }),
      floorBytes: 1 * GiB,
      warnBytes: [10 * GiB, 5 * GiB, 2 * GiB],
      fsyncIntervalMs: 0, // every fragment: the journal is exact at every step below
    });
    c = memoryMediaClient(env.core);
    faults = [];
    c.client.subscribe('recording.fault', (f) => faults.push(f));
  });
  afterEach(() => {
    c.close();
    return env.dispose();
  });

  it('warns once per threshold as the disk fills, then stops safely before the floor, leaving whole files', async () => {
    const { session } = await recordingSession(c.client);
    const sid = session.id;
    expect(await c.client.invoke('system.disk', {})).toEqual({
      path: env.dataDir,
      freeBytes: 12 * GiB,
      totalBytes: 100 * GiB,
      floorBytes: 1 * GiB,
    });
    const { path } = await c.client.invoke(
      'recording.openSegment',
      openInput(sid, 'cam1', 'camera'),
    );
    await c.client.invoke('recording.openSegment', openInput(sid, 'cam2', 'camera'));
    const units = unitsOf(video);
    const send = (i: number) => {
      const u = units[i]!;
      c.client.sendMedia(frame('cam1', 1, u.offset, video.subarray(u.offset, u.offset + u.size)));
    };
    send(0);
    send(1);
    free = 9 * GiB;
    send(2);
    free = 8 * GiB;
    send(3);
    free = 4.5 * GiB;
    send(4);
    await until(() => faults.length === 2);
    expect(faults.map((f) => [f.kind, f.sessionId])).toEqual([
      ['disk_low', sid],
      ['disk_low', sid],
    ]);
    // Just above the floor: this fragment would take the disk below it. Nothing of it is written.
    free = 1 * GiB + units[5]!.size - 1;
    send(5);
    await until(() => c.refusals().length === 1);
    expect(c.refusals()[0]).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/stopped safely/),
    });
    await until(() => faults.some((f) => f.kind === 'safe_stop'));

    const file = join(env.dataDir, path);
    const kept = readFileSync(file);
    expect(kept.length).toBe(units[5]!.offset);
    expect(Buffer.compare(kept, Buffer.from(video.subarray(0, kept.length)))).toBe(0);
    expect(decodeErrors(file)).toBe('');
    expect(Number(ffprobe(file).format.duration)).toBeCloseTo(4, 0);
    const status = await c.client.invoke('recording.status', { sessionId: sid });
    expect(status.sessionStatus).toBe('interrupted');
    expect(status.segments.map((s) => [s.sourceId, s.state, s.closeReason])).toEqual([
      ['cam1', 'closed', 'disk_floor'],
      ['cam2', 'closed', 'disk_floor'],
    ]);
    expect(status.segments[0]!.sha256).toBe(sha256sum(file));
    const kinds = (await c.client.invoke('recording.timeline', { sessionId: sid })).map(
      (e) => e.kind,
    );
    expect(kinds).toEqual([
      'preflight.saved',
      'segment.opened',
      'segment.opened',
      'disk.low',
      'disk.low',
      'segment.closed',
      'segment.closed',
      'disk.safe_stop',
      'session.interrupted',
    ]);
    // Later media is refused (the segments are closed); no resume while the disk is full.
    send(5);
    await until(() => c.refusals().length === 2);
    expect(c.refusals()[1]!.code).toBe('NOT_FOUND');
    free = 0.9 * GiB;
    expect(
      await codeOf(c.client.invoke('sessions.resume', { id: sid, reason: '存储空间不足' })),
    ).toBe('CONFLICT');
    // Space freed: resume with the reason; a new segment; the warnings re-arm.
    free = 30 * GiB;
    const resumed = await c.client.invoke('sessions.resume', {
      id: sid,
      reason: '存储空间不足，清理后继续录制',
    });
    expect(resumed.status).toBe('recording');
    const again = await c.client.invoke(
      'recording.openSegment',
      openInput(sid, 'cam1', 'camera', 60e6),
    );
    expect(again.segment).toBe(2);
    // A pre-flight that expects more than the usable space is refused (R3.6).
    free = 2 * GiB;
    expect(
      await codeOf(
        c.client.invoke('recording.savePreflight', {
          sessionId: sid,
          preflight: {
            sources: [
              {
                sourceId: 'cam1',
                kind: 'camera',
                label: 'x',
                deviceNo: 'CAM-01',
                role: 'room_wide',
              },
            ],
            disk: { freeBytes: 2 * GiB, expectedBytes: 1.5 * GiB },
            clock: { utc: 0, timeZone: 'Asia/Shanghai' },
            confirmedAt: 0,
          },
        }),
      ),
    ).toBe('RULE_VIOLATION');
  });

  it('ends the segments of a connection that goes away and interrupts the session; abandon needs two of its officers', async () => {
    const { session, officers } = await recordingSession(c.client);
    const sid = session.id;
    const writer = memoryMediaClient(env.core);
    await writer.client.invoke('auth.signIn', { username: 'admin', password: 'correct horse 1' });
    const { path } = await writer.client.invoke(
      'recording.openSegment',
      openInput(sid, 'cam1', 'camera'),
    );
    const units = unitsOf(video);
    const upTo = units[4]!.offset + 1234; // three whole fragments and part of a fourth
    writer.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, upTo)));
    await writer.client.invoke('recording.status', { sessionId: sid });
    writer.close();
    await until(() => faults.some((f) => f.kind === 'connection_lost'));
    const status = await c.client.invoke('recording.status', { sessionId: sid });
    expect(status.sessionStatus).toBe('interrupted');
    expect(status.segments[0]).toMatchObject({
      state: 'closed',
      closeReason: 'connection_lost',
      bytes: units[4]!.offset,
      fragments: 3,
    });
    expect(decodeErrors(join(env.dataDir, path))).toBe('');
    const closed = (await c.client.invoke('recording.timeline', { sessionId: sid })).find(
      (e) => e.kind === 'segment.closed',
    );
    expect(closed?.data).toMatchObject({ reason: 'connection_lost', discardedBytes: 1234 });

    // Stopping needs the written statement path now, not a plain end.
    expect(await codeOf(c.client.invoke('sessions.end', { id: sid, confirm: true }))).toBe(
      'CONFLICT',
    );
    const stranger = officers[2].id; // an officer of the agency, not of this session
    expect(
      await codeOf(
        c.client.invoke('sessions.abandon', {
          id: sid,
          statement: '设备故障无法继续录制',
          officerIds: [officers[0].id, stranger],
        }),
      ),
    ).toBe('RULE_VIOLATION');
    expect(
      await codeOf(
        c.client.invoke('sessions.abandon', {
          id: sid,
          statement: 'x',
          officerIds: [officers[0].id],
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      await codeOf(
        c.client.invoke('sessions.abandon', {
          id: sid,
          statement: 'x',
          officerIds: [officers[0].id, officers[0].id],
        }),
      ),
    ).toBe('INVALID_INPUT');
    // Each officer signs the statement in person: the admin signed in here is neither of
    // them, so both confirm with their own passwords; a missing or wrong one writes nothing.
    const statement = '录像设备故障，无法恢复录制。以上情况属实。';
    const both = [officers[0].id, officers[1].id];
    const zhang = { officerId: officers[0].id, username: 'zhangwei', password: PASSWORD };
    const li = { officerId: officers[1].id, username: 'lina', password: PASSWORD };
    expect(
      await codeOf(
        c.client.invoke('sessions.abandon', {
          id: sid,
          statement,
          officerIds: both,
          confirmations: [zhang],
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(
        c.client.invoke('sessions.abandon', {
          id: sid,
          statement,
          officerIds: both,
          confirmations: [zhang, { ...li, password: 'wrong password' }],
        }),
      ),
    ).toBe('BAD_CREDENTIALS');
    // Zhang Wei's password does not sign for Li Na.
    expect(
      await codeOf(
        c.client.invoke('sessions.abandon', {
          id: sid,
          statement,
          officerIds: both,
          confirmations: [zhang, { ...zhang, officerId: officers[1].id }],
        }),
      ),
    ).toBe('FORBIDDEN');
    expect((await c.client.invoke('sessions.get', { id: sid })).status).toBe('interrupted');
    // Signed in as Zhang Wei, only Li Na confirms.
    await c.client.invoke('auth.signOut', {});
    await c.client.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    env.advance(60_000); // the statement is written a minute later
    const ended = await c.client.invoke('sessions.abandon', {
      id: sid,
      statement,
      officerIds: both,
      confirmations: [li],
    });
    expect(ended.status).toBe('ended');
    // The record ends when the recording stopped (R2.4), not when the statement was made.
    expect(ended.endedAt).toBe(session.startedAt);
    const last = (await c.client.invoke('recording.timeline', { sessionId: sid })).at(-1)!;
    expect(last.kind).toBe('session.abandoned');
    expect(last.data).toMatchObject({
      statement: '录像设备故障，无法恢复录制。以上情况属实。',
      officers: [
        { id: officers[0].id, confirmedBy: { presence: 'signed_in' } },
        { id: officers[1].id, confirmedBy: { presence: 'password' } },
      ],
    });
    expect(JSON.stringify(last.data)).not.toContain(PASSWORD);
    // Only the confirmation that went with the statement is on record, not those of the
    // refused attempts.
    const confirmed = (await c.client.invoke('audit.list', { entity: 'officer' })).filter(
      (a) => a.action === 'officer.confirmed',
    );
    expect(confirmed.map((a) => a.entityId)).toEqual([officers[1].id]);
    expect(await codeOf(c.client.invoke('sessions.resume', { id: sid, reason: 'x' }))).toBe(
      'CONFLICT',
    );
    const audit = await c.client.invoke('audit.list', { entity: 'session', entityId: sid });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['session.interrupted', 'session.abandoned', 'media.segment_closed']),
    );
  });

  it('records faults the renderer reports, and leaves live segments alone on a run-time recover', async () => {
    const { session } = await recordingSession(c.client);
    const sid = session.id;
    await c.client.invoke('recording.openSegment', openInput(sid, 'cam1', 'camera'));
    env.advance(5_000);
    const lost = await c.client.invoke('recording.fault', {
      sessionId: sid,
      kind: 'device_lost',
      sourceId: 'cam2',
      detail: 'USB camera CAM-02 disconnected',
    });
    expect(lost).toMatchObject({ kind: 'fault', atUs: 5_000_000, sourceId: 'cam2' });
    await until(() => faults.length === 1);
    expect(faults[0]).toMatchObject({ kind: 'device_lost', sourceId: 'cam2', atUs: 5_000_000 });
    expect(await c.client.invoke('recording.recover', {})).toEqual({ segments: [], sessions: [] });
    const status = await c.client.invoke('recording.status', { sessionId: sid });
    expect(status.sessionStatus).toBe('recording');
    expect(status.segments[0]!.state).toBe('open');
  });

  it("takes the renderer muxer's own output (mediabunny, fragmented, with its mfra tail) as it streams", async () => {
    const { session } = await recordingSession(c.client);
    const sid = session.id;
    const { path } = await c.client.invoke('recording.openSegment', {
      ...openInput(sid, 'program', 'program'),
      codec: 'avc1.640028',
    });
    const written: Uint8Array[] = [];
    let expected = 0;
    const writable = new WritableStream<StreamTargetChunk>({
      write(chunk) {
        // The renderer sends each chunk at its position; the muxer only appends here.
        expect(chunk.position).toBe(expected);
        expected += chunk.data.byteLength;
        written.push(chunk.data.slice());
        c.client.sendMedia(frame('program', 1, chunk.position, chunk.data));
      },
    });
    const output = new Output({
      format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: 1 }),
      target: new StreamTarget(writable, { chunked: true, chunkSize: 16 * 1024 }),
    });
    const input = new Input({ source: new FilePathSource(plainMp4(6)), formats: ALL_FORMATS });
    const conversion = await Conversion.init({ input, output });
    expect(conversion.isValid).toBe(true);
    await conversion.execute();
    const summary = await c.client.invoke('recording.closeSegment', {
      sessionId: sid,
      sourceId: 'program',
      segment: 1,
    });
    expect(c.refusals()).toEqual([]);
    const file = join(env.dataDir, path);
    expect(Buffer.compare(readFileSync(file), Buffer.concat(written))).toBe(0);
    expect(summary.sha256).toBe(sha256sum(file));
    const journal = await c.client.invoke('recording.fragments', {
      sessionId: sid,
      sourceId: 'program',
      segment: 1,
    });
    expect(journal.at(-1)?.kind).toBe('tail'); // mfra
    expect(journal.map((f) => ({ kind: f.kind, offset: f.offset, size: f.size }))).toEqual(
      unitsOf(readFileSync(file)),
    );
    const probe = ffprobe(file);
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Number(probe.format.duration)).toBeCloseTo(6, 0);
    expect(decodeErrors(file)).toBe('');
  });
});
