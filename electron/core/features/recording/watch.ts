/**
 * What runs on timers while recording: the stall watchdog (a writer that went silent ends its
 * segments, R3.5) and the hash checkpoints of open segments on the audit trail.
 */
import { performance } from 'node:perf_hooks';
import type { LiveSegment, RecordingContext } from './context';
import type { Interruptions } from './interruptions';

export class RecordingWatch {
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private checkpointTimer: ReturnType<typeof setInterval> | null = null;

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

  /** Ends the segments of writers that went silent, and interrupts their sessions (R3.5). */
  private checkStalls(): void {
    const { ctx } = this;
    if (ctx.closed) return;
    const now = performance.now();
    this.interruptions.endAndInterrupt(
      [...ctx.live.values()].filter((s) => now - s.lastDataAt > ctx.opts.stallMs),
      'connection_lost',
      `no media arrived for ${Math.round(ctx.opts.stallMs / 1000)} s from the window that was recording`,
      'connection_lost',
    );
  }
}
