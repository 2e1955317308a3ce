// @vitest-environment jsdom
/**
 * The recording engine when a device disappears: the other sources keep recording,
 * the lost one's file is closed and the loss reported, and when the device comes back it
 * rejoins as a new segment. Browser media objects are faked at their API: Chromium's fake
 * capture devices cannot be unplugged in a test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeMediaFrame } from '@shared/media';
import type { SourceRole } from '@shared/domain';
import type {
  FromWorker,
  ToWorker,
  WorkerStats,
} from '../../../renderer/src/features/recording/protocol';
import type { ProgramPlan } from '../../../renderer/src/features/recording/sources';

class FakeTrack {
  readyState: 'live' | 'ended' = 'live';
  constructor(readonly kind: 'video' | 'audio') {}
  clone() {
    return new FakeTrack(this.kind);
  }
  stop() {
    this.readyState = 'ended';
  }
}

class FakeStream {
  constructor(private readonly tracks: FakeTrack[]) {}
  getVideoTracks() {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  getAudioTracks() {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getTracks() {
    return this.tracks;
  }
}

/** Every worker the engine starts, with what it was told, and a way to answer as the worker. */
const workers: FakeWorker[] = [];
class FakeWorker {
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  received: ToWorker[] = [];
  terminated = false;
  constructor(readonly url: URL) {
    workers.push(this);
  }
  postMessage(m: ToWorker) {
    this.received.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  say(m: FromWorker) {
    this.onmessage?.({ data: m } as MessageEvent<FromWorker>);
  }
  get sourceId() {
    const start = this.received[0] as { sourceId?: string } | undefined;
    return start?.sourceId;
  }
}

const reader = (timestamps: () => number) => ({
  read: () => Promise.resolve({ done: false, value: { timestamp: timestamps(), close() {} } }),
  cancel: () => Promise.resolve(),
});

const flush = () => new Promise((r) => setTimeout(r, 0));

const CAMERA = {
  sourceId: 'cam1',
  deviceId: 'dev-cam',
  label: '近景',
  role: 'interviewee_closeup' as const,
  width: 1280,
  height: 720,
  frameRate: 30,
  bitrate: 2_500_000,
};
const MICROPHONE = { sourceId: 'mic1', deviceId: 'dev-mic', label: '拾音器' };

/** A core backend that records every call and numbers each source's segments from 1. */
function fakeBackend(send: (frame: Uint8Array) => void = () => {}) {
  const next = new Map<string, number>();
  return {
    openSegment: vi.fn(async (p: { sourceId: string }) => {
      const segment = (next.get(p.sourceId) ?? 0) + 1;
      next.set(p.sourceId, segment);
      return { segment };
    }),
    closeSegment: vi.fn(async () => {}),
    send: vi.fn(send),
    fault: vi.fn(async () => {}),
    step: vi.fn(async (_p: { sourceId: string; direction: string; fps: number }) => {}),
  };
}

/** An engine recording the camera (and, if asked, the microphone), started at session time 0. */
async function startEngine(
  backend: ReturnType<typeof fakeBackend>,
  {
    microphone = false,
    segmentMs = 60 * 60_000,
    cameras = [CAMERA],
    program,
  }: {
    microphone?: boolean;
    segmentMs?: number;
    cameras?: (typeof CAMERA | (Omit<typeof CAMERA, 'role'> & { role: SourceRole }))[];
    program?: ProgramPlan;
  } = {},
) {
  const { RecordingEngine } = await import('../../../renderer/src/features/recording/engine');
  const engine = new RecordingEngine(backend, {
    cameras,
    microphones: microphone ? [MICROPHONE] : [],
    segmentMs,
    ...(program ? { program } : {}),
  });
  await engine.start(performance.now());
  return engine;
}

describe('recording engine: a device that goes and comes back', () => {
  let devices: EventTarget & { getUserMedia: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    workers.length = 0;
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal(
      'MediaStreamTrackProcessor',
      class {
        readable: { getReader(): unknown };
        constructor({ track }: { track: FakeTrack }) {
          // Video frames for the clock probe; microphone buffers never arrive here (the
          // workers are fakes: what a microphone delivers is not what this test is about).
          this.readable = {
            getReader: () =>
              track.kind === 'video'
                ? reader(() => performance.now() * 1000 + 5_000)
                : { read: () => new Promise(() => {}), cancel: () => Promise.resolve() },
          };
        }
      },
    );
    devices = Object.assign(new EventTarget(), {
      getUserMedia: vi.fn(async (c: { video?: unknown; audio?: unknown }) =>
        c.video
          ? new FakeStream([new FakeTrack('video')])
          : new FakeStream([new FakeTrack('audio')]),
      ),
    });
    Object.defineProperty(navigator, 'mediaDevices', { value: devices, configurable: true });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the others recording, closes and reports the lost source, and rejoins it as a new segment', async () => {
    const backend = fakeBackend();
    const engine = await startEngine(backend, { microphone: true });
    const cam = workers.find((w) => w.sourceId === 'cam1')!;
    const mic = workers.find((w) => w.sourceId === 'mic1')!;
    expect(cam.received[0]?.type).toBe('start-video');

    // Both record: each opens its segment at its first frame, then its bytes go out.
    for (const [w, kind] of [
      [cam, 'camera'],
      [mic, 'microphone'],
    ] as const) {
      w.say({ type: 'config', file: 0, codec: kind === 'camera' ? 'avc1.640028' : 'opus' });
      w.say({ type: 'first', file: 0, captureTimeUs: 1_000_000, sessionTimeUs: 20_000 });
      w.say({ type: 'data', file: 0, bytes: new Uint8Array([1, 2, 3]), position: 0 });
    }
    await flush();
    expect(backend.openSegment).toHaveBeenCalledWith(
      expect.objectContaining({ sourceId: 'cam1', kind: 'camera' }),
    );
    const sent = backend.send.mock.calls.map(([f]) => decodeMediaFrame(f as Uint8Array));
    expect(sent.map((f) => f.ok && [f.header.sourceId, f.header.segment, f.header.offset])).toEqual(
      [
        ['cam1', 1, 0],
        ['mic1', 1, 0],
      ],
    );

    // The camera is unplugged: its stream ends.
    cam.say({ type: 'ended', reason: 'source-ended', stats: {} as never });
    await flush();
    await flush();
    expect(backend.closeSegment).toHaveBeenCalledWith({ sourceId: 'cam1', segment: 1 });
    expect(backend.fault).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'device_lost', sourceId: 'cam1' }),
    );
    expect(cam.terminated).toBe(true);
    const health = () => Object.fromEntries(engine.health().map((h) => [h.sourceId, h.state]));
    expect(health()).toEqual({ cam1: 'lost', mic1: 'recording' });
    // The microphone was never stopped and keeps sending.
    expect(mic.received.some((m) => m.type === 'stop')).toBe(false);
    mic.say({ type: 'data', file: 0, bytes: new Uint8Array([4]), position: 3 });
    expect(backend.send).toHaveBeenCalledTimes(3);

    // The camera comes back: a new worker, a new segment.
    devices.dispatchEvent(new Event('devicechange'));
    await flush();
    await flush();
    expect(backend.fault).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'device_returned', sourceId: 'cam1' }),
    );
    const again = workers.filter((w) => w.sourceId === 'cam1').at(-1)!;
    expect(again).not.toBe(cam);
    again.say({ type: 'config', file: 0, codec: 'avc1.640028' });
    again.say({ type: 'first', file: 0, captureTimeUs: 9_000_000, sessionTimeUs: 8_020_000 });
    again.say({ type: 'data', file: 0, bytes: new Uint8Array([9]), position: 0 });
    await flush();
    const last = decodeMediaFrame(backend.send.mock.calls.at(-1)![0] as Uint8Array);
    expect(last.ok && [last.header.sourceId, last.header.segment]).toEqual(['cam1', 2]);
    expect(health()).toEqual({ cam1: 'recording', mic1: 'recording' });
  });

  it('restarts a source whose encoder failed in a new segment, after closing the old file whole', async () => {
    const backend = fakeBackend();
    const engine = await startEngine(backend);
    const cam = workers.find((w) => w.sourceId === 'cam1')!;
    cam.say({ type: 'config', file: 0, codec: 'avc1.640028' });
    cam.say({ type: 'first', file: 0, captureTimeUs: 1_000_000, sessionTimeUs: 20_000 });
    await flush();
    cam.say({ type: 'error', message: 'video encoder: EncodingError' });
    await flush();
    await flush();
    expect(backend.fault).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'encoder_error', sourceId: 'cam1' }),
    );
    expect(backend.closeSegment).toHaveBeenCalledWith({ sourceId: 'cam1', segment: 1 });
    expect(cam.terminated).toBe(true);
    const again = workers.filter((w) => w.sourceId === 'cam1').at(-1)!;
    expect(again).not.toBe(cam);
    again.say({ type: 'config', file: 0, codec: 'avc1.640028' });
    again.say({ type: 'first', file: 0, captureTimeUs: 2_000_000, sessionTimeUs: 1_020_000 });
    await flush();
    expect(backend.openSegment).toHaveBeenCalledTimes(2);
    expect(engine.health()[0]?.state).toBe('recording');
  });

  it('encodes a source in software from the restart on when its hardware encoder failed', async () => {
    const backend = fakeBackend();
    await startEngine(backend);
    const cam = workers.find((w) => w.sourceId === 'cam1')!;
    expect(cam.received[0]).toMatchObject({ type: 'start-video', encoder: 'auto' });
    cam.say({ type: 'config', file: 0, codec: 'avc1.640028', encoder: 'hardware' });
    cam.say({ type: 'first', file: 0, captureTimeUs: 1_000_000, sessionTimeUs: 20_000 });
    await flush();
    expect(backend.openSegment).toHaveBeenCalledWith(
      expect.objectContaining({ sourceId: 'cam1', encoder: 'hardware' }),
    );
    cam.say({ type: 'error', message: 'video encoder: EncodingError' });
    await flush();
    await flush();
    const again = workers.filter((w) => w.sourceId === 'cam1').at(-1)!;
    expect(again).not.toBe(cam);
    expect(again.received[0]).toMatchObject({ type: 'start-video', encoder: 'software' });
  });

  it('starts a new file when a send fails or the core refuses a frame, never writing past a hole', async () => {
    let failSends = false;
    const backend = fakeBackend(() => {
      if (failSends) throw new RangeError('frame too large for the bridge');
    });
    const engine = await startEngine(backend);
    const start = (w: FakeWorker, at: number) => {
      w.say({ type: 'config', file: 0, codec: 'avc1.640028' });
      w.say({ type: 'first', file: 0, captureTimeUs: at, sessionTimeUs: at });
    };
    const latest = () => workers.filter((w) => w.sourceId === 'cam1').at(-1)!;
    const first = latest();
    start(first, 1_000);
    await flush();
    failSends = true;
    first.say({ type: 'data', file: 0, bytes: new Uint8Array([1]), position: 0 });
    await flush();
    await flush();
    expect(backend.fault).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'other', sourceId: 'cam1' }),
    );
    expect(backend.closeSegment).toHaveBeenCalledWith({ sourceId: 'cam1', segment: 1 });
    const second = latest();
    expect(second).not.toBe(first);

    failSends = false;
    start(second, 2_000);
    await flush();
    // A refusal naming an old file changes nothing; one naming the current file restarts.
    engine.refused('cam1', 1);
    await flush();
    expect(latest()).toBe(second);
    engine.refused('cam1', 2);
    await flush();
    await flush();
    expect(backend.closeSegment).toHaveBeenCalledWith({ sourceId: 'cam1', segment: 2 });
    expect(latest()).not.toBe(second);
  });

  it('changes every source to its next file at one session instant, inside the same worker', async () => {
    const backend = fakeBackend();
    const engine = await startEngine(backend, { microphone: true, segmentMs: 40 });
    const cam = workers.find((w) => w.sourceId === 'cam1')!;
    const mic = workers.find((w) => w.sourceId === 'mic1')!;
    for (const w of [cam, mic]) {
      w.say({ type: 'config', file: 0, codec: 'avc1.640028' });
      w.say({ type: 'first', file: 0, captureTimeUs: 1_000, sessionTimeUs: 1_000 });
    }
    await expect.poll(() => cam.received.filter((m) => m.type === 'rotate').length).toBe(1);
    // No new worker: the worker reading the source writes the next file itself, and every
    // source is told the same instant, ahead of time.
    expect(workers.filter((w) => w.sourceId === 'cam1')).toHaveLength(1);
    const told = (w: FakeWorker) => w.received.find((m) => m.type === 'rotate');
    expect(told(cam)).toEqual(told(mic));
    // The new file opens its own segment at its first frame; its bytes go there; the old
    // file's segment closes when the worker says it is whole.
    cam.say({ type: 'data', file: 0, bytes: new Uint8Array([1]), position: 0 });
    cam.say({ type: 'config', file: 1, codec: 'avc1.640028' });
    cam.say({ type: 'first', file: 1, captureTimeUs: 91_000, sessionTimeUs: 91_000 });
    cam.say({ type: 'data', file: 1, bytes: new Uint8Array([2]), position: 0 });
    await flush();
    expect(backend.closeSegment).not.toHaveBeenCalled();
    cam.say({ type: 'file-ended', file: 0 });
    await flush();
    expect(backend.closeSegment).toHaveBeenCalledWith({ sourceId: 'cam1', segment: 1 });
    const sent = backend.send.mock.calls.map(([f]) => decodeMediaFrame(f as Uint8Array));
    expect(sent.map((f) => f.ok && [f.header.sourceId, f.header.segment, f.header.offset])).toEqual(
      [
        ['cam1', 1, 0],
        ['cam1', 2, 0],
      ],
    );
    expect(engine.health().find((h) => h.sourceId === 'cam1')?.segment).toBe(2);
    // Clears the rotation timer at once (the fake workers never answer: nothing to await).
    void engine.stop();
  });

  it('reads a camera that stops delivering afresh into the same file, then opens it again, and says so', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      const backend = fakeBackend();
      const engine = await startEngine(backend);
      const cam = workers.find((w) => w.sourceId === 'cam1')!;
      cam.say({ type: 'config', file: 0, codec: 'avc1.640028' });
      cam.say({ type: 'first', file: 0, captureTimeUs: 1_000_000, sessionTimeUs: 20_000 });
      const stats = (framesIn: number) => cam.say({ type: 'stats', stats: { framesIn } as never });
      stats(30);
      const opened = devices.getUserMedia.mock.calls.length;
      const faults = () =>
        (backend.fault.mock.calls as unknown as [{ kind: string; detail: string }][]).map(
          ([f]) => f,
        );

      // Frames stop at session start; the count stands still. Under the stall time nothing happens.
      await vi.advanceTimersByTimeAsync(2_000);
      stats(30);
      expect(cam.received.filter((m) => m.type === 'reattach')).toHaveLength(0);

      // Past it: a fresh reader of the same track, into the same worker.
      await vi.advanceTimersByTimeAsync(1_000);
      const reattached = () => cam.received.filter((m) => m.type === 'reattach');
      expect(reattached()).toHaveLength(1);
      expect(faults().at(-1)).toMatchObject({ kind: 'capture_stalled' });
      expect(faults().at(-1)!.detail).toMatch(/^近景: no frame for 2\.5 s; reading it afresh$/);
      expect(devices.getUserMedia.mock.calls.length).toBe(opened);
      expect(engine.health()[0]).toMatchObject({ state: 'recording', stalled: true });

      // Nothing from that either: the camera is opened again and read from its new stream.
      await vi.advanceTimersByTimeAsync(2_600);
      expect(reattached()).toHaveLength(2);
      expect(devices.getUserMedia.mock.calls.length).toBe(opened + 1);
      expect(faults().at(-1)!.detail).toMatch(/opening the camera again$/);
      expect(engine.streamOf('cam1')).toBe(await devices.getUserMedia.mock.results.at(-1)!.value);

      // Frames again: said once, and the same worker and file went on throughout.
      stats(31);
      expect(faults().at(-1)).toMatchObject({ kind: 'capture_resumed' });
      expect(faults().at(-1)!.detail).toMatch(/^近景: frames again after 5\.6 s$/);
      expect(engine.health()[0]).toMatchObject({ stalled: false });
      expect(cam.terminated).toBe(false);
      expect(workers.filter((w) => w.sourceId === 'cam1')).toHaveLength(1);
      expect(backend.openSegment).toHaveBeenCalledTimes(1);
      // Frames coming: no more recovery.
      for (let n = 1; n <= 4; n++) {
        await vi.advanceTimersByTimeAsync(2_000);
        stats(31 + 60 * n);
      }
      expect(reattached()).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('steps the wide and the other camera down under pressure, never the close-up or the program, and back up', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      const backend = fakeBackend();
      const cam = (sourceId: string, role: SourceRole) => ({ ...CAMERA, sourceId, role });
      const engine = await startEngine(backend, {
        cameras: [
          cam('cam1', 'interviewee_closeup'),
          cam('cam2', 'room_wide'),
          cam('cam3', 'other'),
        ],
        program: {
          sourceId: 'program',
          mainSourceId: 'cam1',
          insetSourceId: 'cam2',
          caption: { caseNo: '案1', place: '询问室', startedAtUtc: 0, timeZone: 'Asia/Shanghai' },
          width: 1280,
          height: 720,
          bitrate: 4_000_000,
        },
      });
      const all = ['cam1', 'cam2', 'cam3', 'program'].map((id) =>
        workers.find((w) => w.sourceId === id)!,
      );
      // Each worker's report of the last second, as an encoder falling behind (or keeping up) sends it.
      const report = (queueMax: number, latencyMaxMs: number) =>
        all.forEach((w) =>
          w.say({
            type: 'stats',
            stats: { framesIn: 30, queueMax, latencyMaxMs } as Partial<WorkerStats> as WorkerStats,
          }),
        );
      const rates = (w: FakeWorker) =>
        w.received.flatMap((m) => (m.type === 'rate' ? [m.fps] : []));
      for (let t = 0; t < 6; t++) {
        report(5, 60);
        await vi.advanceTimersByTimeAsync(1000);
      }
      // The other camera first, then the wide one; the close-up and the program never.
      expect(rates(all[2]!)).toEqual([20, 15]);
      expect(rates(all[1]!)).toEqual([20]);
      expect(rates(all[0]!)).toEqual([]);
      expect(rates(all[3]!)).toEqual([]);
      expect(backend.step.mock.calls.map(([p]) => [p.sourceId, p.direction, p.fps])).toEqual([
        ['cam3', 'down', 20],
        ['cam2', 'down', 20],
        ['cam3', 'down', 15],
      ]);
      expect(Object.fromEntries(engine.health().map((h) => [h.sourceId, h.steppedFps]))).toEqual({
        cam1: null,
        cam2: 20,
        cam3: 15,
        program: null,
      });
      // Calm for long enough: back up, the most stepped and most important first.
      for (let t = 0; t < 32; t++) {
        report(0, 5);
        await vi.advanceTimersByTimeAsync(1000);
      }
      expect(rates(all[2]!)).toEqual([20, 15, 20, null]);
      expect(rates(all[1]!)).toEqual([20, null]);
      expect(
        backend.step.mock.calls.slice(3).map(([p]) => [p.sourceId, p.direction, p.fps]),
      ).toEqual([
        ['cam3', 'up', 20],
        ['cam2', 'up', 30],
        ['cam3', 'up', 30],
      ]);
      void engine.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('halves the picture at the last rung in new files, every source changing file at that instant', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    try {
      const backend = fakeBackend();
      const engine = await startEngine(backend, {
        cameras: [
          { ...CAMERA, sourceId: 'cam1', role: 'interviewee_closeup' },
          { ...CAMERA, sourceId: 'cam2', role: 'room_wide' },
        ],
      });
      const [close, wide] = ['cam1', 'cam2'].map((id) => workers.find((w) => w.sourceId === id)!);
      // Queues deep enough to step every second: four rungs down to 10 fps at half size.
      for (let t = 0; t < 5; t++) {
        for (const w of [close!, wide!])
          w.say({
            type: 'stats',
            stats: {
              framesIn: 30,
              queueMax: 9,
              latencyMaxMs: 90,
            } as Partial<WorkerStats> as WorkerStats,
          });
        await vi.advanceTimersByTimeAsync(1000);
      }
      const rates = wide!.received.filter((m) => m.type === 'rate');
      expect(rates.map((m) => [m.fps, m.scale])).toEqual([
        [20, 1],
        [15, 1],
        [10, 1],
        [10, 0.5],
      ]);
      // The half-size step asked every source for its next file at one instant.
      const rotates = (w: FakeWorker) => w.received.filter((m) => m.type === 'rotate');
      expect(rotates(wide!)).toHaveLength(1);
      expect(rotates(close!)).toEqual(rotates(wide!));
      expect(wide!.received.indexOf(rotates(wide!)[0]!)).toBeGreaterThan(
        wide!.received.indexOf(rates.at(-1)!),
      );
      expect(backend.step.mock.calls.at(-1)![0]).toMatchObject({ fps: 10, scale: 0.5 });
      expect(engine.health().find((h) => h.sourceId === 'cam2')).toMatchObject({
        rung: 4,
        scale: 0.5,
        steppedFps: 10,
      });
      void engine.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
