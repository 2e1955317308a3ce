/** Pushes `recording.status` to every client, at most once per interval per session. */
import { performance } from 'node:perf_hooks';
import type { RecordingContext } from './context';
import type { RecordingReports } from './reports';

export class StatusPush {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly last = new Map<number, number>();

  constructor(
    private readonly ctx: RecordingContext,
    private readonly reports: RecordingReports,
  ) {}

  /** Pushes a session's status now, or once the interval since the last push is over. */
  push(sessionId: number): void {
    const { ctx } = this;
    if (ctx.closed || this.timers.has(sessionId)) return;
    const since = performance.now() - (this.last.get(sessionId) ?? -Infinity);
    const run = () => {
      this.timers.delete(sessionId);
      if (ctx.closed) return;
      this.last.set(sessionId, performance.now());
      try {
        ctx.deps.emit('recording.status', this.reports.status(sessionId));
      } catch (e) {
        ctx.log(`recording: status of session ${sessionId} failed: ${String(e)}`);
      }
    };
    if (since >= ctx.opts.statusIntervalMs) run();
    else {
      const timer = setTimeout(run, ctx.opts.statusIntervalMs - since);
      timer.unref?.();
      this.timers.set(sessionId, timer);
    }
  }

  /** Drops the pushes still waiting (the core is closing). */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
