/**
 * The recording engine: opens the cameras and microphones chosen in the pre-flight check,
 * runs one encoder worker per source plus the program file, forwards every byte to the core
 * as media frames, and keeps going when a device drops out (the others keep recording; the
 * source rejoins as a new segment when it returns). No pause: the rules forbid selective
 * recording (R3.2, R3.7).
 *
 * One session clock: video frames carry the system monotonic clock, audio buffers the
 * page's performance.now() clock; both are mapped onto session time with origins measured
 * at the start (see estimateVideoClockOffsetUs in capture.ts).
 */
import type { SegmentKind } from '@shared/api/recording';
import { encodeMediaFrame } from '@shared/media';
import { AUDIO_CONSTRAINTS, estimateVideoClockOffsetUs, pumpAudio } from './capture';
import type { FromWorker, ToWorker, WorkerStats } from './protocol';
import type { RecordingBackend, RecordingPlan, SourceHealth, SourceState } from './sources';

export const H264_HIGH = 'avc1.640028';
/**
 * How far ahead of the file change every worker is told of it: time to open the next file
 * and warm its encoders before the first frame that belongs to it arrives.
 */
const ROTATE_LEAD_MS = 1_000;
/** After the change instant, how long an old file waits for a track that stopped delivering. */
const ROTATE_GRACE_MS = 3_000;
/** Restarts of a source after encoder failures before it is left failed. */
const MAX_RESTARTS = 3;
const KEY_FRAME_INTERVAL_US = 1_000_000;
interface Runtime {
  sourceId: string;
  kind: SegmentKind;
  label: string;
  state: SourceState;
  stream: MediaStream | null;
  worker: Worker | null;
  segment: number | null;
  config: {
    codec: string;
    width?: number;
    height?: number;
    sampleRate?: number;
    channels?: number;
  } | null;
  stats: WorkerStats | null;
  prevStats: { at: number; frames: number; bytes: number } | null;
  fps: number;
  bitrate: number;
  bytesSent: number;
  error: string | null;
  ended: Promise<void> | null;
  /** How often the source was restarted after an encoder failure. */
  restarts: number;
  /** Restarts the source if `segment` is the file its current worker writes. */
  restart: ((segment: number) => void) | null;
}

export class RecordingEngine {
  private readonly sources = new Map<string, Runtime>();
  private readonly listeners = new Set<() => void>();
  private videoOriginUs = 0;
  private audioOriginUs = 0;
  private rotateTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private readonly onDeviceChange = () => void this.rejoinLost();

  constructor(
    private readonly backend: RecordingBackend,
    private readonly plan: RecordingPlan,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const l of this.listeners) l();
  }

  health(): SourceHealth[] {
    return [...this.sources.values()].map((r) => ({
      sourceId: r.sourceId,
      kind: r.kind,
      label: r.label,
      state: r.state,
      segment: r.segment,
      stats: r.stats,
      fps: r.fps,
      bitrate: r.bitrate,
      bytesSent: r.bytesSent,
      error: r.error,
    }));
  }

  /**
   * The core refused a frame of this source's current file (a gap can never be filled
   * later): that file ends at its last whole fragment and the source goes on in a new one.
   */
  refused(sourceId: string, segment: number): void {
    if (this.stopped) return;
    this.sources.get(sourceId)?.restart?.(segment);
  }

  /** The live stream of a camera, for the grid's previews. */
  streamOf(sourceId: string): MediaStream | null {
    return this.sources.get(sourceId)?.stream ?? null;
  }

  /**
   * Opens every device and starts encoding. `originPerfMs` is session time 0 on the page's
   * performance.now() clock (taken around the core's `sessions.start`).
   */
  async start(originPerfMs: number): Promise<void> {
    for (const c of this.plan.cameras) {
      this.sources.set(c.sourceId, this.runtime(c.sourceId, 'camera', c.label));
      const stream = await navigator.mediaDevices.getUserMedia({
        video: {
          deviceId: { exact: c.deviceId },
          width: c.width,
          height: c.height,
          frameRate: c.frameRate,
        },
      });
      this.sources.get(c.sourceId)!.stream = stream;
    }
    for (const m of this.plan.microphones) {
      this.sources.set(m.sourceId, this.runtime(m.sourceId, 'microphone', m.label));
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { deviceId: { exact: m.deviceId }, ...AUDIO_CONSTRAINTS },
      });
      this.sources.get(m.sourceId)!.stream = stream;
    }
    this.audioOriginUs = originPerfMs * 1000;
    const firstCamera = this.plan.cameras[0];
    const offset = firstCamera
      ? await estimateVideoClockOffsetUs(
          this.sources.get(firstCamera.sourceId)!.stream!.getVideoTracks()[0]!,
        )
      : 0;
    this.videoOriginUs = this.audioOriginUs + offset;
    for (const r of this.sources.values()) this.launch(r);
    if (this.plan.program) {
      const p = this.plan.program;
      this.sources.set(p.sourceId, this.runtime(p.sourceId, 'program', 'program'));
      this.launch(this.sources.get(p.sourceId)!);
    }
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    this.rotateTimer = setInterval(() => this.rotate(), this.plan.segmentMs);
    this.changed();
  }

  /** Stops every worker, waits for the files to be finalised and the segments closed. */
  /** Session time (µs) at which recording was stopped, once it was. */
  stoppedAtSessionUs: number | null = null;

  /** Stops every source at this moment (returned, in session µs) and drains what was captured before it. */
  async stop(): Promise<number> {
    this.stoppedAtSessionUs ??= performance.now() * 1000 - this.audioOriginUs;
    this.stopped = true;
    if (this.rotateTimer) clearInterval(this.rotateTimer);
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
    const endings = [...this.sources.values()].map((r) => this.finish(r, 'stopped'));
    await Promise.allSettled(endings);
    for (const r of this.sources.values()) r.stream?.getTracks().forEach((t) => t.stop());
    this.changed();
    return this.stoppedAtSessionUs;
  }

  private runtime(sourceId: string, kind: SegmentKind, label: string): Runtime {
    return {
      sourceId,
      kind,
      label,
      state: 'starting',
      stream: null,
      worker: null,
      segment: null,
      config: null,
      stats: null,
      prevStats: null,
      fps: 0,
      bitrate: 0,
      bytesSent: 0,
      error: null,
      ended: null,
      restarts: 0,
      restart: null,
    };
  }

  private startMessage(r: Runtime): { msg: ToWorker; transfer: Transferable[] } | null {
    const track = (id: string | undefined, kind: 'video' | 'audio') => {
      if (!id) return null;
      const s = this.sources.get(id)?.stream;
      const t = kind === 'video' ? s?.getVideoTracks()[0] : s?.getAudioTracks()[0];
      return t && t.readyState === 'live' ? t.clone() : null;
    };
    if (r.kind === 'camera') {
      const c = this.plan.cameras.find((x) => x.sourceId === r.sourceId)!;
      const t = track(r.sourceId, 'video');
      if (!t) return null;
      const frames = new MediaStreamTrackProcessor({ track: t }).readable;
      return {
        msg: {
          type: 'start-video',
          sourceId: r.sourceId,
          frames,
          width: c.width,
          height: c.height,
          frameRate: c.frameRate,
          bitrate: c.bitrate,
          codec: H264_HIGH,
          mapping: { originUs: this.videoOriginUs },
          keyFrameIntervalUs: KEY_FRAME_INTERVAL_US,
        },
        transfer: [frames],
      };
    }
    if (r.kind === 'microphone') {
      const t = track(r.sourceId, 'audio');
      if (!t) return null;
      // The processor is created here, in the page: AudioData then carries this page's
      // performance.now() clock (created in a worker it would carry the worker's).
      const samples = pumpAudio(t);
      return {
        msg: {
          type: 'start-audio',
          sourceId: r.sourceId,
          samples,
          bitrate: 64_000,
          mapping: { originUs: this.audioOriginUs },
        },
        transfer: [samples],
      };
    }
    const p = this.plan.program!;
    const main = track(p.mainSourceId, 'video');
    if (!main) return null;
    const inset = track(p.insetSourceId, 'video');
    const audio = track(p.audioSourceId, 'audio');
    const mainStream = new MediaStreamTrackProcessor({ track: main }).readable;
    const insetStream = inset ? new MediaStreamTrackProcessor({ track: inset }).readable : null;
    const audioStream = audio ? pumpAudio(audio) : null;
    return {
      msg: {
        type: 'start-program',
        sourceId: r.sourceId,
        main: mainStream,
        inset: insetStream,
        audio: audioStream,
        width: p.width,
        height: p.height,
        frameRate: 30,
        bitrate: p.bitrate,
        codec: H264_HIGH,
        videoMapping: { originUs: this.videoOriginUs },
        audioMapping: { originUs: this.audioOriginUs },
        keyFrameIntervalUs: KEY_FRAME_INTERVAL_US,
        caption: p.caption,
      },
      transfer: [
        mainStream,
        ...(insetStream ? [insetStream] : []),
        ...(audioStream ? [audioStream] : []),
      ],
    };
  }

  /**
   * Starts a worker for a source whose device is live. It writes one file (segment) after
   * another: at each file change (`rotate`) it hands over inside itself, so every frame is
   * in exactly one file.
   */
  private launch(r: Runtime): void {
    const start = this.startMessage(r);
    if (!start) {
      r.state = 'lost';
      this.changed();
      return;
    }
    const worker =
      r.kind === 'program'
        ? new Worker(new URL('./programWorker.ts', import.meta.url), { type: 'module' })
        : new Worker(new URL('./encoderWorker.ts', import.meta.url), { type: 'module' });
    const seg: Runtime = r;
    seg.worker = worker;
    seg.segment = null;
    seg.bytesSent = 0;
    seg.state = 'recording';
    seg.error = null;
    let resolveEnded: () => void = () => {};
    seg.ended = new Promise((res) => (resolveEnded = res));
    /** This worker's files by number: each one's segment once the core opened it. */
    const files = new Map<
      number,
      {
        segment: number | null;
        /** Data that arrived before the core opened the segment. */
        backlog: { bytes: Uint8Array; position: number }[];
        /** The core opening the segment (closing waits for it). */
        opening: Promise<void> | null;
        config: Runtime['config'];
      }
    >();
    const fileOf = (file: number) => {
      let f = files.get(file);
      if (!f) {
        f = { segment: null, backlog: [], opening: null, config: null };
        files.set(file, f);
      }
      return f;
    };
    const closeFile = async (file: number) => {
      const f = files.get(file);
      if (!f) return;
      files.delete(file);
      await f.opening;
      if (f.segment !== null) {
        await this.backend
          .closeSegment({ sourceId: seg.sourceId, segment: f.segment })
          .catch(() => {});
      }
    };
    const closeAll = () => Promise.all([...files.keys()].map(closeFile));
    /**
     * Ends this worker's file whole and starts the source again in a new segment: after an
     * encoder failure, a frame the core refused, or a send that failed. A source that fails
     * this way {@link MAX_RESTARTS} times stays failed (and says so).
     */
    let restarting = false;
    const restart = () => {
      if (restarting) return;
      restarting = true;
      void (async () => {
        worker.terminate();
        await closeAll();
        resolveEnded();
        if (this.stopped || seg.worker !== worker) return;
        seg.worker = null;
        if (seg.restarts < MAX_RESTARTS) {
          seg.restarts++;
          this.launch(seg);
        } else {
          seg.state = 'failed';
        }
        this.changed();
      })();
    };
    seg.restart = (segment) => {
      if ([...files.values()].some((f) => f.segment === segment)) restart();
    };
    const send = (segment: number, bytes: Uint8Array, position: number) => {
      try {
        this.sendData(seg, segment, bytes, position);
      } catch (e) {
        // Nothing after a lost frame would fit this file: start a new one.
        void this.backend.fault({
          kind: 'other',
          sourceId: seg.sourceId,
          detail: `sending failed: ${e instanceof Error ? e.message : String(e)}`,
        });
        restart();
      }
    };
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      switch (m.type) {
        case 'config': {
          // The program file reports its video and then its sound: the segment is named by
          // its video codec (the sound's rate and channels are kept beside it).
          const f = fileOf(m.file);
          f.config =
            seg.kind === 'program' && f.config && m.codec === 'opus'
              ? { ...f.config, sampleRate: m.sampleRate, channels: m.channels }
              : {
                  ...f.config,
                  codec: m.codec,
                  ...(m.width !== undefined ? { width: m.width, height: m.height } : {}),
                  ...(m.sampleRate !== undefined
                    ? { sampleRate: m.sampleRate, channels: m.channels }
                    : {}),
                };
          seg.config = f.config;
          break;
        }
        case 'first': {
          const f = fileOf(m.file);
          const cfg = f.config;
          f.opening = this.backend
            .openSegment({
              sourceId: seg.sourceId,
              kind: seg.kind,
              codec: cfg?.codec ?? (seg.kind === 'microphone' ? 'opus' : H264_HIGH),
              ...(cfg?.width ? { width: cfg.width, height: cfg.height } : {}),
              ...(cfg?.sampleRate ? { sampleRate: cfg.sampleRate, channels: cfg.channels } : {}),
              firstCaptureTimeUs: Math.round(m.captureTimeUs),
              sessionTimeUs: Math.round(m.sessionTimeUs),
            })
            .then(({ segment }) => {
              f.segment = segment;
              if (seg.worker === worker) seg.segment = segment;
              for (const d of f.backlog.splice(0)) send(segment, d.bytes, d.position);
            })
            .catch((err: unknown) => {
              seg.state = 'failed';
              seg.error = err instanceof Error ? err.message : String(err);
              this.changed();
            });
          break;
        }
        case 'data': {
          const f = fileOf(m.file);
          if (f.segment === null) f.backlog.push({ bytes: m.bytes, position: m.position });
          else send(f.segment, m.bytes, m.position);
          break;
        }
        case 'file-ended':
          // The old file of a change is whole: its segment closes; the worker records on.
          void closeFile(m.file);
          break;
        case 'stats':
          this.noteStats(seg, m.stats);
          break;
        case 'error':
          seg.error = m.message;
          void this.backend.fault({
            kind: 'encoder_error',
            sourceId: seg.sourceId,
            detail: m.message,
          });
          restart();
          break;
        case 'ended':
          this.noteStats(seg, m.stats);
          void (async () => {
            await closeAll();
            worker.terminate();
            if (m.reason === 'source-ended' && !this.stopped && seg.worker === worker) {
              seg.state = 'lost';
              seg.worker = null;
              await this.backend.fault({
                kind: 'device_lost',
                sourceId: seg.sourceId,
                detail: `${seg.label} stopped delivering`,
              });
            }
            resolveEnded();
            this.changed();
          })();
          break;
      }
    };
    worker.postMessage(start.msg, start.transfer);
  }

  private sendData(r: Runtime, segment: number, bytes: Uint8Array, position: number) {
    this.backend.send(encodeMediaFrame({ sourceId: r.sourceId, segment, offset: position }, bytes));
    r.bytesSent += bytes.byteLength;
  }

  private noteStats(r: Runtime, s: WorkerStats) {
    const now = performance.now();
    if (r.prevStats) {
      const dt = (now - r.prevStats.at) / 1000;
      if (dt > 0) {
        r.fps = (s.framesEncoded - r.prevStats.frames) / dt;
        r.bitrate = ((s.bytesOut - r.prevStats.bytes) * 8) / dt;
      }
    }
    r.prevStats = { at: now, frames: s.framesEncoded, bytes: s.bytesOut };
    r.stats = s;
    this.changed();
  }

  private async finish(r: Runtime, _why: 'stopped'): Promise<void> {
    if (!r.worker) return;
    r.worker.postMessage({
      type: 'stop',
      atSessionUs: this.stoppedAtSessionUs ?? performance.now() * 1000 - this.audioOriginUs,
    } satisfies ToWorker);
    await Promise.race([r.ended, new Promise((res) => setTimeout(res, 10_000))]);
    r.state = 'stopped';
  }

  /**
   * The file change: every recording source changes file at the same session instant, a
   * little ahead, so each worker opens and warms its next file first (see RotateMessage).
   */
  private rotate(): void {
    if (this.stopped) return;
    const atSessionUs = Math.round(
      (performance.now() + ROTATE_LEAD_MS) * 1000 - this.audioOriginUs,
    );
    for (const r of this.sources.values()) {
      if (r.state !== 'recording' || !r.worker) continue;
      r.worker.postMessage({
        type: 'rotate',
        atSessionUs,
        deadlineMs: ROTATE_LEAD_MS + ROTATE_GRACE_MS,
      } satisfies ToWorker);
    }
  }

  /** When devices change, reopen lost sources by their device id; each returns as a new segment. */
  private async rejoinLost(): Promise<void> {
    if (this.stopped) return;
    for (const r of this.sources.values()) {
      if (r.state !== 'lost' || r.kind === 'program') continue;
      const cam = this.plan.cameras.find((c) => c.sourceId === r.sourceId);
      const mic = this.plan.microphones.find((m) => m.sourceId === r.sourceId);
      try {
        r.stream = await navigator.mediaDevices.getUserMedia(
          cam
            ? {
                video: {
                  deviceId: { exact: cam.deviceId },
                  width: cam.width,
                  height: cam.height,
                  frameRate: cam.frameRate,
                },
              }
            : { audio: { deviceId: { exact: mic!.deviceId }, ...AUDIO_CONSTRAINTS } },
        );
      } catch {
        continue; // still gone
      }
      await this.backend.fault({
        kind: 'device_returned',
        sourceId: r.sourceId,
        detail: `${r.label} is back`,
      });
      this.launch(r);
      const program = [...this.sources.values()].find((p) => p.kind === 'program');
      if (program && program.state === 'lost' && this.plan.program?.mainSourceId === r.sourceId)
        this.launch(program);
    }
    this.changed();
  }
}
