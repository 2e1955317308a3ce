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
import { encodeMediaFrame } from '@shared/media';
import { liveFrame } from './liveFrame';
import { estimateAudioClockOffsetUs, estimateVideoClockOffsetUs, probeVideo } from './capture';
import { SegmentFiles } from './segmentFiles';
import { newRuntime, openDevice, joinPlan, type Runtime } from './runtime';
import { isRemoteSource } from '@shared/api/live';
import type { FromWorker, ToWorker, WorkerStats } from './protocol';
import type { EngineHealth, RecordingBackend, RecordingPlan } from './sources';
import { H264_HIGH, pictureStreams, startMessage } from './workerStart';
import { fpsAt, scaleAt } from '@shared/rules/capture-ladder';
import { CaptureLadder } from './ladder';
import { newProgress, noteAttempt, noteAttemptDone, noteFrames, recoveryDue } from './stallWatch';

/**
 * How far ahead of the file change every worker is told of it: time to open the next file
 * and warm its encoders before the first frame that belongs to it arrives.
 */
const ROTATE_LEAD_MS = 1_000;
/** After the change instant, how long an old file waits for a track that stopped delivering. */
const ROTATE_GRACE_MS = 3_000;
/** Restarts of a source after encoder failures before it is left failed. */
const MAX_RESTARTS = 3;
export class RecordingEngine {
  private readonly sources = new Map<string, Runtime>();
  private readonly listeners = new Set<() => void>();
  private videoOriginUs = 0;
  private audioOriginUs = 0;
  private rotateTimer: ReturnType<typeof setInterval> | null = null;
  private stallTimer: ReturnType<typeof setInterval> | null = null;
  private ladderTimer: ReturnType<typeof setInterval> | null = null;
  private ladder: CaptureLadder | null = null;
  private stopped = false;
  /** Whether every source's frames also go to the live room. */
  private live = false;
  private readonly onDeviceChange = () => void this.rejoinLost();

  /** The plan as it stands: remote participants' sources join it while recording. */
  private readonly plan: RecordingPlan;
  /** The program's inset as planned, where no remote participant's picture takes its place. */
  private readonly plannedInset: string | undefined;

  constructor(
    private readonly backend: RecordingBackend,
    plan: RecordingPlan,
  ) {
    this.plan = {
      ...plan,
      cameras: [...plan.cameras],
      microphones: [...plan.microphones],
      ...(plan.program ? { program: { ...plan.program } } : {}),
    };
    this.plannedInset = plan.program?.insetSourceId;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changes = 0;
  /** Grows with every change the listeners are told of: a snapshot is made again only then. */
  get version(): number {
    return this.changes;
  }

  private changed() {
    this.changes++;
    for (const l of this.listeners) l();
  }

  /** Each source as it stands (its rates are the caller's: see rates.ts). */
  health(): EngineHealth[] {
    return [...this.sources.values()].map((r) => ({
      sourceId: r.sourceId,
      kind: r.kind,
      label: r.label,
      state: r.state,
      segment: r.segment,
      stats: r.stats,
      bytesSent: r.bytesSent,
      error: r.error,
      stalled: r.progress.attempts > 0 && r.state === 'recording',
      steppedFps: this.steppedFps(r),
      rung: r.rung,
      scale: scaleAt(r.rung),
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

  /** Every source's encoded frames also go to the live room (nothing is encoded for it). */
  setLive(on: boolean): void {
    this.live = on;
    for (const r of this.sources.values())
      if (!isRemoteSource(r.sourceId))
        r.worker?.postMessage({ type: 'live', on } satisfies ToWorker);
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
      this.sources.set(c.sourceId, newRuntime(this.plan, c.sourceId, 'camera', c.label));
      this.sources.get(c.sourceId)!.stream = await openDevice(this.plan, c.sourceId);
    }
    for (const m of this.plan.microphones) {
      this.sources.set(m.sourceId, newRuntime(this.plan, m.sourceId, 'microphone', m.label));
      this.sources.get(m.sourceId)!.stream = await openDevice(this.plan, m.sourceId);
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
      this.sources.set(p.sourceId, newRuntime(this.plan, p.sourceId, 'program', 'program'));
      this.launch(this.sources.get(p.sourceId)!);
    }
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    this.rotateTimer = setInterval(() => this.rotate(), this.plan.segmentMs);
    this.stallTimer = setInterval(() => this.watchStalls(), 500);
    this.ladder = new CaptureLadder(this.plan);
    this.ladderTimer = setInterval(() => this.climb(), 1000);
    this.changed();
  }

  /**
   * Once a second: the capture ladder reads how far behind each picture encoder is and, under
   * pressure, steps the least important picture down a rung (or, once calm, back up); the
   * step goes to its worker and to the core's timeline.
   */
  private climb(): void {
    if (this.stopped || !this.ladder) return;
    const step = this.ladder.tick((id) => {
      const r = this.sources.get(id);
      return r && r.state === 'recording' ? { stats: r.stats, statsAt: r.statsAt } : null;
    });
    if (!step) return;
    const r = this.sources.get(step.sourceId);
    if (!r) return;
    const rescaled = scaleAt(r.rung) !== step.scale;
    r.rung = step.rung;
    r.worker?.postMessage(this.rateMessage(r));
    // A smaller (or full-size again) picture takes a new file: every source changes at once.
    if (rescaled) this.rotate();
    void this.backend
      .step({
        sourceId: step.sourceId,
        direction: step.direction,
        fps: step.fps,
        fullFps: step.fullFps,
        scale: step.scale,
        reason: step.reason,
      })
      .catch(() => {});
    this.changed();
  }

  /** Session time (µs) at which recording was stopped, once it was. */
  stoppedAtSessionUs: number | null = null;

  /** Stops every source at this moment (returned, in session µs) and drains what was captured before it. */
  async stop(): Promise<number> {
    this.stoppedAtSessionUs ??= performance.now() * 1000 - this.audioOriginUs;
    this.stopped = true;
    if (this.rotateTimer) clearInterval(this.rotateTimer);
    if (this.stallTimer) clearInterval(this.stallTimer);
    if (this.ladderTimer) clearInterval(this.ladderTimer);
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
    const endings = [...this.sources.values()].map((r) => this.finish(r, 'stopped'));
    await Promise.allSettled(endings);
    for (const r of this.sources.values()) {
      r.stream?.getTracks().forEach((t) => t.stop());
      r.clones.forEach((t) => t.stop());
    }
    this.changed();
    return this.stoppedAtSessionUs;
  }

  /** A source's live stream, if it has one. */
  private readonly streamOfSource = (id: string) => this.sources.get(id)?.stream ?? null;

  /** The message that starts a source's worker, with what it reads held in the runtime. */
  private startMessage(r: Runtime): { msg: ToWorker; transfer: Transferable[] } | null {
    const start = startMessage(this.plan, this.streamOfSource, r, {
      videoOriginUs: this.videoOriginUs,
      audioOriginUs: this.audioOriginUs,
      sourceOriginUs: r.originUs,
    });
    if (!start) return null;
    r.clones = start.capture.clones;
    r.processors = start.capture.processors;
    return start;
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
    seg.progress = newProgress(performance.now());
    seg.worker = worker;
    seg.segment = null;
    seg.bytesSent = 0;
    seg.state = 'recording';
    seg.error = null;
    let resolveEnded: () => void = () => {};
    seg.ended = new Promise((res) => (resolveEnded = res));
    const files = new SegmentFiles(this.backend, seg.sourceId, seg.kind, (segment, bytes, at) =>
      send(segment, bytes, at),
    );
    const closeAll = () => files.closeAll();
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
        if (seg.worker === worker) seg.clones.forEach((t) => t.stop());
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
      if (files.has(segment)) restart();
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
        case 'config':
          seg.config = files.configure(m.file, m);
          break;
        case 'first':
          files.open(
            m.file,
            {
              captureTimeUs: m.captureTimeUs,
              sessionTimeUs: m.sessionTimeUs,
              defaultCodec: seg.kind === 'microphone' ? 'opus' : H264_HIGH,
            },
            (segment) => {
              if (seg.worker === worker) seg.segment = segment;
            },
            (err) => {
              seg.state = 'failed';
              seg.error = err instanceof Error ? err.message : String(err);
              this.changed();
            },
          );
          break;
        case 'data':
          files.data(m.file, m.bytes, m.position);
          break;
        case 'live': {
          const frame = liveFrame(seg.kind, seg.sourceId, m);
          if (frame) this.backend.send(frame);
          break;
        }
        case 'file-ended':
          // The old file of a change is whole: its segment closes; the worker records on.
          void files.close(m.file);
          break;
        case 'stats':
          this.noteStats(seg, m.stats);
          break;
        case 'error':
          seg.error = m.message;
          // A hardware encoder that failed is not tried again for this source.
          if (seg.config?.encoder === 'hardware') seg.softwareOnly = true;
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
            if (seg.worker === worker) seg.clones.forEach((t) => t.stop());
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
    // A remote participant's picture is in the room already: it is not sent back.
    if (this.live && !isRemoteSource(seg.sourceId))
      worker.postMessage({ type: 'live', on: true } satisfies ToWorker);
    // A worker started again keeps the rate the ladder holds its source at.
    if (seg.rung > 0) worker.postMessage(this.rateMessage(seg));
  }

  /** The rate a source runs at on its rung, or null at full rate. */
  private steppedFps(r: Runtime): number | null {
    if (r.rung === 0) return null;
    const full = this.plan.cameras.find((c) => c.sourceId === r.sourceId)?.frameRate ?? 30;
    return fpsAt(full, r.rung);
  }

  private rateMessage(r: Runtime): ToWorker {
    return { type: 'rate', fps: this.steppedFps(r), scale: scaleAt(r.rung) };
  }

  private sendData(r: Runtime, segment: number, bytes: Uint8Array, position: number) {
    this.backend.send(encodeMediaFrame({ sourceId: r.sourceId, segment, offset: position }, bytes));
    r.bytesSent += bytes.byteLength;
  }

  private noteStats(r: Runtime, s: WorkerStats) {
    const now = performance.now();
    r.stats = s;
    r.statsAt = now;
    const stalledMs = noteFrames(r.progress, s.framesIn, now);
    if (stalledMs !== null) {
      void this.backend
        .fault({
          kind: 'capture_resumed',
          sourceId: r.sourceId,
          detail: `${r.label}: frames again after ${(stalledMs / 1000).toFixed(1)} s`,
        })
        .catch(() => {});
    }
    this.changed();
  }

  /** Every half second: a picture source that has read no frame for a while is recovered. */
  private watchStalls(): void {
    if (this.stopped) return;
    const now = performance.now();
    for (const r of this.sources.values()) {
      if (r.kind === 'microphone' || r.state !== 'recording' || !r.worker) continue;
      const due = recoveryDue(r.progress, now);
      if (due === 'none') continue;
      noteAttempt(r.progress, now);
      void this.recoverStall(r, due).finally(() => noteAttemptDone(r.progress, performance.now()));
      this.changed();
    }
  }

  /**
   * Reads a stalled picture source afresh into the same worker and file: first from new
   * clones of its track, then (that gave nothing either) from its device opened again. The
   * program reads its cameras afresh (their own recovery reopens them). On the timeline.
   */
  private async recoverStall(r: Runtime, how: 'reread' | 'reopen'): Promise<void> {
    const worker = r.worker;
    const seconds = ((performance.now() - r.progress.since) / 1000).toFixed(1);
    void this.backend
      .fault({
        kind: 'capture_stalled',
        sourceId: r.sourceId,
        detail: `${r.label}: no frame for ${seconds} s; ${
          how === 'reopen' && r.kind === 'camera' ? 'opening the camera again' : 'reading it afresh'
        }`,
      })
      .catch(() => {});
    if (how === 'reopen' && r.kind === 'camera' && !isRemoteSource(r.sourceId)) {
      try {
        const fresh = await openDevice(this.plan, r.sourceId);
        const old = r.stream;
        r.stream = fresh;
        old?.getTracks().forEach((t) => t.stop());
      } catch {
        // The device cannot be opened now: read the old stream afresh meanwhile.
      }
    }
    if (this.stopped || !worker || r.worker !== worker) return;
    this.reattach(r);
    // The program pictures this camera: it reads the camera's new stream too.
    const p = this.plan.program;
    const program = p ? this.sources.get(p.sourceId) : undefined;
    if (
      how === 'reopen' &&
      p &&
      program?.worker &&
      [p.mainSourceId, p.insetSourceId].includes(r.sourceId)
    )
      this.reattach(program);
  }

  /** Hands a picture worker fresh streams of its camera(s); the ones it read are let go. */
  private reattach(r: Runtime): void {
    const picture = pictureStreams(this.plan, this.streamOfSource, r);
    if (!picture || !r.worker) return;
    const old = r.clones.filter((t) => t.kind === 'video');
    r.clones = [...r.clones.filter((t) => t.kind !== 'video'), ...picture.clones];
    r.processors = picture.processors;
    r.worker.postMessage(
      { type: 'reattach', frames: picture.frames, inset: picture.inset } satisfies ToWorker,
      [picture.frames, ...(picture.inset ? [picture.inset] : [])],
    );
    old.forEach((t) => t.stop());
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
   * A remote participant's camera or microphone from the live room, recorded from now on as a
   * source of the session (R2.3): its own files on the session clock (stamped as it arrives
   * here) and, for a picture, the program's inset while it is present. After a drop the same
   * source goes on in a new segment.
   */
  async addRemote(src: {
    sourceId: string;
    kind: 'camera' | 'microphone';
    label: string;
    track: MediaStreamTrack;
  }): Promise<void> {
    const known = this.sources.get(src.sourceId);
    if (this.stopped || !isRemoteSource(src.sourceId) || known?.state === 'recording') return;
    const probe =
      src.kind === 'camera'
        ? await probeVideo(src.track)
        : { offsetUs: await estimateAudioClockOffsetUs(src.track) };
    joinPlan(this.plan, src, probe);
    if (this.stopped) return;
    const r = known ?? newRuntime(this.plan, src.sourceId, src.kind, src.label);
    this.sources.set(src.sourceId, r);
    r.stream = new MediaStream([src.track]);
    r.originUs = this.audioOriginUs + probe.offsetUs;
    if (known) {
      void this.backend
        .fault({ kind: 'device_returned', sourceId: r.sourceId, detail: `${r.label} is back` })
        .catch(() => {});
    }
    this.launch(r);
    if (src.kind === 'camera') this.setInset(src.sourceId);
    this.changed();
  }

  /**
   * The remote participant left or dropped: their source's file ends whole here, an
   * interruption of that source alone (on the timeline); the program's inset goes back.
   */
  async endRemote(sourceId: string): Promise<void> {
    const r = this.sources.get(sourceId);
    if (this.stopped || !r || !isRemoteSource(sourceId) || r.state !== 'recording') return;
    const at = performance.now() * 1000 - this.audioOriginUs;
    // Its worker's end is this one, not a device lost: the worker is let go first.
    const worker = r.worker;
    r.worker = null;
    r.state = 'lost';
    worker?.postMessage({ type: 'stop', atSessionUs: at } satisfies ToWorker);
    if (this.plan.program?.insetSourceId === sourceId) {
      const other = [...this.sources.values()].find(
        (x) => x.kind === 'camera' && isRemoteSource(x.sourceId) && x.state === 'recording',
      );
      this.setInset(other?.sourceId ?? this.plannedInset);
    }
    await Promise.race([r.ended, new Promise((res) => setTimeout(res, 10_000))]);
    r.clones.forEach((t) => t.stop());
    r.stream = null;
    this.changed();
    await this.backend
      .fault({ kind: 'device_lost', sourceId, detail: `${r.label}: the remote participant left` })
      .catch(() => {});
  }

  /** The program's inset from now on (the program reads its pictures afresh). */
  private setInset(sourceId: string | undefined): void {
    const p = this.plan.program;
    if (!p) return;
    p.insetSourceId = sourceId;
    const program = this.sources.get(p.sourceId);
    if (program?.worker && program.state === 'recording') this.reattach(program);
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
      // A remote participant comes back through the live room (addRemote), not as a device.
      if (r.state !== 'lost' || r.kind === 'program' || isRemoteSource(r.sourceId)) continue;
      try {
        r.stream = await openDevice(this.plan, r.sourceId);
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
