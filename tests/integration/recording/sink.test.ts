/**
 * The media sink end to end: real fragmented MP4 from ffmpeg streamed in random-sized chunks
 * as binary media frames, through the contract, over the in-memory transport and over the
 * web host's WebSocket; the files judged by byte comparison, sha256sum and ffprobe/ffmpeg.
 */
import Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../../electron/host/server';
import type {
  RecordingFaultEvent,
  RecordingStatusDto,
} from '../../../electron/shared/api/recording';
import { tempCore } from '../../helpers/core';
import {
  decodeErrors,
  ffprobe,
  fragmentedAudio,
  fragmentedVideo,
  frame,
  memoryMediaClient,
  openInput,
  randomChunks,
  recordingSession,
  rng,
  sha256sum,
  socketMediaClient,
  unitsOf,
  until,
  type MediaClient,
} from '../../helpers/media';
import { fakeRendererDir } from '../../helpers/transports';

let video: Uint8Array;
let audio: Uint8Array;
beforeAll(() => {
  video = readFileSync(fragmentedVideo(20));
  audio = readFileSync(fragmentedAudio(20));
});

type Make = (env: ReturnType<typeof tempCore>) => Promise<{ c: MediaClient; host?: Host }>;
const transports: [string, Make][] = [
  ['in-memory', async (env) => ({ c: memoryMediaClient(env.core) })],
  [
    'websocket',
    async (env) => {
      const host = await startHost({
        core: env.core,
        port: 0,
        rendererDir: fakeRendererDir(),
        log: () => {},
      });
      return { c: await socketMediaClient(host), host };
    },
  ],
];

describe.each(transports)('media sink over %s', (_name, make) => {
  let env: ReturnType<typeof tempCore>;
  let c: MediaClient;
  let host: Host | undefined;

  beforeEach(async () => {
    env = tempCore();
    ({ c, host } = await make(env));
  });
  afterEach(async () => {
    c.close();
    await host?.close();
    await env.dispose();
  });

  it('writes two cameras and a microphone streamed in random chunks byte for byte, journals every fragment, hashes as sha256sum does', async () => {
    const { session } = await recordingSession(c.client);
    const sid = session.id;
    const statuses: RecordingStatusDto[] = [];
    c.client.subscribe('recording.status', (s) => statuses.push(s));
    const sources = [
      { id: 'cam1', kind: 'camera' as const, bytes: video, at: 0 },
      { id: 'cam2', kind: 'camera' as const, bytes: video, at: 33_367 },
      { id: 'mic1', kind: 'microphone' as const, bytes: audio, at: 12_000 },
    ];
    const opened = [];
    for (const s of sources) {
      opened.push(
        await c.client.invoke('recording.openSegment', openInput(sid, s.id, s.kind, s.at)),
      );
    }
    expect(opened.map((o) => o.path)).toEqual([
      `sessions/${sid}/media/cam1-001.mp4`,
      `sessions/${sid}/media/cam2-001.mp4`,
      `sessions/${sid}/media/mic1-001.mp4`,
    ]);
    // Interleave the three streams chunk by chunk, as three encoders would.
    const rand = rng(20261123);
    const queues = sources.map((s) => randomChunks(s.bytes, rand, 1, 300_000));
    const t0 = performance.now();
    while (queues.some((q) => q.length > 0)) {
      const i = Math.floor(rand() * sources.length);
      const next = queues[i]!.shift();
      if (next) c.client.sendMedia(frame(sources[i]!.id, 1, next.offset, next.payload));
    }
    const summaries = [];
    for (const s of sources) {
      summaries.push(
        await c.client.invoke('recording.closeSegment', {
          sessionId: sid,
          sourceId: s.id,
          segment: 1,
        }),
      );
    }
    const ms = performance.now() - t0;
    expect(c.refusals()).toEqual([]);

    for (const [i, s] of sources.entries()) {
      const file = join(env.dataDir, opened[i]!.path);
      expect(Buffer.compare(readFileSync(file), Buffer.from(s.bytes))).toBe(0);
      expect(summaries[i]!.sha256).toBe(sha256sum(file));
      expect(summaries[i]!.bytes).toBe(s.bytes.length);
      expect(summaries[i]!.discardedBytes).toBe(0);
      const units = unitsOf(s.bytes);
      expect(summaries[i]!.fragments).toBe(units.filter((u) => u.kind === 'fragment').length);
      const journal = await c.client.invoke('recording.fragments', {
        sessionId: sid,
        sourceId: s.id,
        segment: 1,
      });
      expect(journal.map((f) => ({ kind: f.kind, offset: f.offset, size: f.size }))).toEqual(units);
      expect(journal.every((f) => !f.recovered)).toBe(true);
      const probe = ffprobe(file);
      expect(probe.format.format_name).toContain('mp4');
      expect(Number(probe.format.duration)).toBeCloseTo(20, 0);
      expect(probe.streams[0]!.codec_name).toBe(s.kind === 'camera' ? 'h264' : 'aac');
      expect(decodeErrors(file)).toBe('');
      // The media time the journal saw matches what ffprobe reads.
      expect(summaries[i]!.durationUs! / 1e6).toBeCloseTo(Number(probe.format.duration), 0);
    }
    const total = sources.reduce((n, s) => n + s.bytes.length, 0);
    console.log(
      `[media] ${_name}: 3 sources, ${(total / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms ` +
        `(${((total / 1e6 / ms) * 1000).toFixed(0)} MB/s incl. hashing, fsync, journal)`,
    );

    const status = await c.client.invoke('recording.status', { sessionId: sid });
    expect(status.segments.map((x) => [x.sourceId, x.state, x.closeReason])).toEqual([
      ['cam1', 'closed', 'client'],
      ['cam2', 'closed', 'client'],
      ['mic1', 'closed', 'client'],
    ]);
    expect(status.preflight).not.toBeNull();
    // Offsets between sources are measured from their first frames and kept with the session.
    const offsets = await c.client.invoke('recording.offsets', { sessionId: sid });
    expect(offsets.reference).toEqual({ sourceId: 'cam1', segment: 1 });
    expect(offsets.sources.map((o) => [o.sourceId, o.offsetUs])).toEqual([
      ['cam1', 0],
      ['cam2', 33_367],
      ['mic1', 12_000],
    ]);
    const db = new Database(join(env.dataDir, 'attest.db'), { readonly: true });
    const stored = db.prepare('SELECT media_offsets FROM sessions WHERE id = ?').get(sid) as {
      media_offsets: string;
    };
    expect(JSON.parse(stored.media_offsets)).toMatchObject({ reference: { sourceId: 'cam1' } });
    // The audit trail carries each finished segment's hash.
    const hashes = db
      .prepare("SELECT data FROM events WHERE action = 'media.segment_closed' ORDER BY seq")
      .all()
      .map((r) => (JSON.parse((r as { data: string }).data) as { sha256: string }).sha256);
    expect(hashes).toEqual(summaries.map((x) => x.sha256));
    db.close();
    await until(() => statuses.length > 0);
    // Status pushes are throttled to about one a second per session.
    expect(statuses.length).toBeLessThanOrEqual(Math.ceil(ms / 1000) + 3);
  });

  it('refuses a gap or an overlap with a clear error and writes nothing of it, then carries on', async () => {
    const { session } = await recordingSession(c.client);
    const sid = session.id;
    const faults: RecordingFaultEvent[] = [];
    c.client.subscribe('recording.fault', (f) => faults.push(f));
    const { path } = await c.client.invoke(
      'recording.openSegment',
      openInput(sid, 'cam1', 'camera'),
    );
    const file = join(env.dataDir, path);
    const units = unitsOf(video);
    const cut = units[3]!.offset + 100; // inside the fourth unit
    c.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, cut)));
    await c.client.invoke('recording.status', { sessionId: sid }); // a round trip: frames are in
    const written = statSync(file).size;
    expect(written).toBe(units[3]!.offset);

    c.client.sendMedia(frame('cam1', 1, cut + 10, video.subarray(cut + 10, cut + 5000)));
    c.client.sendMedia(frame('cam1', 1, cut + 20, video.subarray(cut + 20, cut + 6000)));
    c.client.sendMedia(frame('cam1', 1, cut - 10, video.subarray(cut - 10, cut + 1_000_000)));
    await until(() => c.refusals().length === 3);
    expect(c.refusals()).toEqual([
      {
        code: 'CONFLICT',
        message: expect.stringMatching(/expected offset \d+, got \d+: 10 bytes are missing/),
      },
      { code: 'CONFLICT', message: expect.stringMatching(/20 bytes are missing/) },
      { code: 'CONFLICT', message: expect.stringMatching(/10 bytes were already received/) },
    ]);
    expect(statSync(file).size).toBe(written);
    // Each kind of refusal goes on the timeline once; the sender hears of every one.
    const timeline = await c.client.invoke('recording.timeline', { sessionId: sid });
    expect(timeline.filter((e) => e.kind === 'write_refused')).toHaveLength(1);
    await until(() => faults.filter((f) => f.kind === 'write_refused').length === 3);

    c.client.sendMedia(frame('cam1', 1, cut, video.subarray(cut)));
    const summary = await c.client.invoke('recording.closeSegment', {
      sessionId: sid,
      sourceId: 'cam1',
      segment: 1,
    });
    expect(c.refusals()).toHaveLength(3);
    expect(Buffer.compare(readFileSync(file), Buffer.from(video))).toBe(0);
    expect(summary.sha256).toBe(sha256sum(file));
  });

  it('refuses media from a connection that is not signed in or may not record, and for a segment not open', async () => {
    const { session } = await recordingSession(c.client);
    const sid = session.id;
    const { path } = await c.client.invoke(
      'recording.openSegment',
      openInput(sid, 'cam1', 'camera'),
    );
    const file = join(env.dataDir, path);
    const stranger = memoryMediaClient(env.core);
    stranger.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, 1000)));
    await c.client.invoke('users.create', {
      username: 'clerk1',
      displayName: '档案员',
      password: 'long enough pw 1',
      roles: ['clerk'],
    });
    const clerk = memoryMediaClient(env.core);
    await clerk.client.invoke('auth.signIn', { username: 'clerk1', password: 'long enough pw 1' });
    clerk.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, 1000)));
    c.client.sendMedia(frame('cam9', 1, 0, video.subarray(0, 1000)));
    c.client.sendMedia(frame('cam1', 2, 0, video.subarray(0, 1000)));
    c.client.sendMedia(new Uint8Array([0, 0, 0, 200, 1, 2]));
    // Not an MP4 at all: refused whole, nothing written, the segment still open at offset 0.
    c.client.sendMedia(frame('cam1', 1, 0, new TextEncoder().encode('RIFF....WAVEfmt not an mp4')));
    await until(() => stranger.refusals().length === 1 && clerk.refusals().length === 1);
    await until(() => c.refusals().length === 4);
    expect(stranger.refusals()[0]!.code).toBe('UNAUTHENTICATED');
    expect(clerk.refusals()[0]!.code).toBe('FORBIDDEN');
    expect(c.refusals().map((r) => r.code)).toEqual([
      'NOT_FOUND',
      'NOT_FOUND',
      'BAD_FRAME',
      'INVALID_INPUT',
    ]);
    // The sender alone hears of a refusal that names no segment of its session.
    expect(stranger.received.some((f) => f.t === 'evt' && f.event === 'recording.fault')).toBe(
      true,
    );
    expect(statSync(file).size).toBe(0);
    stranger.close();
    clerk.close();
  });

  it('opens segments only on a recording session with a saved pre-flight, for sources it maps', async () => {
    const { session, officers } = await recordingSession(c.client, { preflight: false });
    const sid = session.id;
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'OK';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(
      await code(c.client.invoke('recording.openSegment', openInput(sid, 'cam1', 'camera'))),
    ).toBe('RULE_VIOLATION');
    const now = session.startedAt!;
    const bad = (over: object) => ({
      sessionId: sid,
      preflight: {
        sources: [
          { sourceId: 'cam1', kind: 'camera', label: 'x', deviceNo: 'CAM-01', role: 'room_wide' },
        ],
        disk: { freeBytes: 1, expectedBytes: 1 },
        clock: { utc: now, timeZone: 'Asia/Shanghai' },
        confirmedAt: now,
        ...over,
      },
    });
    const src = (o: object) => ({
      sourceId: 'cam1',
      kind: 'camera',
      label: 'x',
      deviceNo: 'CAM-01',
      role: 'room_wide',
      ...o,
    });
    expect(
      await code(
        c.client.invoke(
          'recording.savePreflight',
          bad({ sources: [src({ deviceNo: 'CAM-99' })] }) as never,
        ),
      ),
    ).toBe('RULE_VIOLATION');
    expect(
      await code(
        c.client.invoke(
          'recording.savePreflight',
          bad({ sources: [src({ deviceNo: 'MIC-01' })] }) as never,
        ),
      ),
    ).toBe('RULE_VIOLATION');
    expect(
      await code(
        c.client.invoke(
          'recording.savePreflight',
          bad({ sources: [src({}), src({ sourceId: 'CAM1', deviceNo: 'CAM-02' })] }) as never,
        ),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      await code(
        c.client.invoke(
          'recording.savePreflight',
          bad({ sources: [src({ role: 'hero' })] }) as never,
        ),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      await code(
        c.client.invoke(
          'recording.savePreflight',
          bad({ disk: { freeBytes: 1, expectedBytes: 2 ** 52 } }) as never,
        ),
      ),
    ).toBe('RULE_VIOLATION');
    const cams = await c.client.invoke('devices.list', {});
    await c.client.invoke('devices.setActive', {
      id: cams.find((d) => d.deviceNo === 'CAM-02')!.id,
      active: false,
    });
    expect(
      await code(
        c.client.invoke(
          'recording.savePreflight',
          bad({ sources: [src({ deviceNo: 'cam-02' })] }) as never,
        ),
      ),
    ).toBe('CONFLICT');

    const saved = await c.client.invoke('recording.savePreflight', bad({}) as never);
    expect(saved.core.freeBytes).toBeGreaterThan(0);
    expect(
      await code(c.client.invoke('recording.openSegment', openInput(sid, 'cam2', 'camera'))),
    ).toBe('RULE_VIOLATION');
    expect(
      await code(c.client.invoke('recording.openSegment', openInput(sid, 'cam1', 'microphone'))),
    ).toBe('INVALID_INPUT');
    expect(
      await code(c.client.invoke('recording.openSegment', openInput(sid, 'cam1', 'program'))),
    ).toBe('CONFLICT');
    // The program file is no device: any other source id.
    expect(
      (await c.client.invoke('recording.openSegment', openInput(sid, 'program', 'program')))
        .segment,
    ).toBe(1);
    expect(
      (await c.client.invoke('recording.openSegment', openInput(sid, 'cam1', 'camera'))).segment,
    ).toBe(1);
    expect(
      (await c.client.invoke('recording.openSegment', openInput(sid, 'cam1', 'camera', 600e6)))
        .segment,
    ).toBe(2);

    // Ending the session finishes what the renderer left open; later media is refused.
    await c.client.invoke('sessions.end', { id: sid, confirm: true });
    const status = await c.client.invoke('recording.status', { sessionId: sid });
    expect(status.segments.map((s) => [s.state, s.closeReason])).toEqual([
      ['closed', 'session_ended'],
      ['closed', 'session_ended'],
      ['closed', 'session_ended'],
    ]);
    expect(
      await code(c.client.invoke('recording.openSegment', openInput(sid, 'cam1', 'camera'))),
    ).toBe('CONFLICT');
    c.client.sendMedia(frame('cam1', 1, 0, video.subarray(0, 100)));
    await until(() => c.refusals().length === 1);
    expect(c.refusals()[0]!.code).toBe('NOT_FOUND');
    // A planned session cannot record either.
    const planned = await c.client.invoke('sessions.create', {
      caseId: session.caseId,
      kind: 'interview',
      place: '询问室一',
      officers: [
        { officerId: officers[0].id, role: 'interviewer' },
        { officerId: officers[1].id, role: 'recorder' },
      ],
      participants: [],
    });
    expect(
      await code(c.client.invoke('recording.openSegment', openInput(planned.id, 'cam1', 'camera'))),
    ).toBe('CONFLICT');
    // The timeline tells the story in order.
    const kinds = (await c.client.invoke('recording.timeline', { sessionId: sid })).map(
      (e) => e.kind,
    );
    expect(kinds).toEqual([
      'preflight.saved',
      'segment.opened',
      'segment.opened',
      'segment.opened',
      'segment.closed',
      'segment.closed',
      'segment.closed',
    ]);
  });
});
