/**
 * What runs on timers while recording: the stall watchdog (a writer that went silent ends its
 * segments, R3.5) and the hash checkpoints of open segments on the audit trail.
 */
import { performance } from 'node:perf_hooks';
import { sessionIdsInStatus } from '../sessions';
import type { LiveSegment, RecordingContext } from './context';
import type { Interruptions } from './interruptions';

export class RecordingWatch {
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private checkpointTimer: ReturnType<typeof setInterval> | null = null;
  /** Since when (monotonic ms) each recording session has had no file open. */
  private readonly idleSince = new Map<number, number>();

  constructor(
    private readonly ctx: RecordingContext,
    private readonly interruptions: Interruptions,
  ) {}

  /** Starts the timers the options turn on. */
  start(): void {
    const { opts } = this.ctx;
    if (opts.checkpointMs > 0) {
      this.checkpointTimer = setInterval(() => this.checkpoint(), opts.checkpointMs);
      this.checkpointTimer.unref?.();
    }
    if (opts.stallMs > 0) {
      this.watchdog = setInterval(() => this.checkStalls(), Math.max(250, opts.stallMs / 3));
      this.watchdog.unref?.();
    }
  }

  stop(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
  }

  /**
   * Appends, per recording session, the hashes of its open segments so far, so that a change
   * to the early part of a long recording is detectable from the chained log before sealing.
   */
  checkpoint(): void {
    const { ctx } = this;
    if (ctx.closed) return;
    const bySession = new Map<number, LiveSegment[]>();
    for (const seg of ctx.live.values()) {
      bySession.set(seg.sessionId, [...(bySession.get(seg.sessionId) ?? []), seg]);
    }
    for (const [sessionId, segs] of bySession) {
      ctx.safely(() =>
        ctx.deps.db.transaction(() =>
          ctx.deps.audit.append({
            at: ctx.deps.now(),
            actorUserId: null,
            actor: null,
            action: 'recording.checkpoint',
            entity: 'session',
            entityId: sessionId,
            caseId: segs[0]!.caseId,
            data: {
              segments: segs.map((seg) => ({
                sourceId: seg.sourceId,
                segment: seg.segment,
                bytes: seg.file.bytes,
                sha256: seg.file.sha256SoFar(),
              })),
            },
          }),
        )(),
      );
    }
  }

  /**
   * Ends the segments of writers that went silent, and interrupts their sessions (R3.5); and
   * interrupts a session that says it is recording while no file of it is open at all (its
   * window never began one, or every source of it ended): nothing is being recorded.
   */
  private checkStalls(): void {
    const { ctx } = this;
    if (ctx.closed) return;
    const now = performance.now();
    const seconds = Math.round(ctx.opts.stallMs / 1000);
    this.interruptions.endAndInterrupt(
      [...ctx.live.values()].filter((s) => now - s.lastDataAt > ctx.opts.stallMs),
      'connection_lost',
      `no media arrived for ${seconds} s from the window that was recording`,
      'connection_lost',
    );
    const recording = sessionIdsInStatus(ctx.deps.db, 'recording');
    const writing = new Set([...ctx.live.values()].map((s) => s.sessionId));
    for (const id of this.idleSince.keys())
      if (writing.has(id) || !recording.includes(id)) this.idleSince.delete(id);
    for (const id of recording) {
      if (writing.has(id)) continue;
      const since = this.idleSince.get(id) ?? now;
      this.idleSince.set(id, since);
      if (now - since <= ctx.opts.stallMs) continue;
      this.idleSince.delete(id);
      ctx.safely(() =>
        this.interruptions.interrupt(
          id,
          'connection_lost',
          `no file of this session has been open for ${seconds} s: no window is recording it`,
          'connection_lost',
        ),
      );
    }
  }
}
