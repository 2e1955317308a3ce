/**
 * The disk guard: warnings as free space falls past each threshold, and a safe stop before the
 * disk is full or when a write fails, so that what was recorded stays whole (R3.5, storage).
 */
import type { DiskSpaceInfo } from './media';
import type { LiveSegment, RecordingContext } from './context';
import type { Interruptions } from './interruptions';
import { sessionTimeUs } from './rules';
import type { Segments } from './segments';

export class DiskGuard {
  constructor(
    private readonly ctx: RecordingContext,
    private readonly segments: Segments,
    private readonly interruptions: Interruptions,
  ) {}

  /** Warns every recording session once for each threshold the free space just fell below. */
  warn(disk: DiskSpaceInfo): void {
    const { ctx } = this;
    const crossed = ctx.thresholds.crossed(disk.freeBytes);
    if (crossed.length === 0) return;
    const sessions = new Set([...ctx.live.values()].map((s) => s.sessionId));
    const { db, now } = ctx.deps;
    for (const sessionId of sessions) {
      const at = now();
      const s = ctx.session(sessionId);
      for (const threshold of crossed) {
        const detail = `free disk space ${disk.freeBytes} bytes, below ${threshold}`;
        db.transaction(() =>
          ctx.addEvent({
            session: s,
            at,
            kind: 'disk.low',
            data: {
              freeBytes: disk.freeBytes,
              thresholdBytes: threshold,
              floorBytes: ctx.opts.floorBytes,
            },
          }),
        )();
        ctx.emitFault({
          sessionId,
          kind: 'disk_low',
          sourceId: null,
          segment: null,
          detail,
          atUs: sessionTimeUs(s.startedAt, at),
        });
      }
    }
  }

  /**
   * Before the disk is full: every open segment is closed whole (what is written stays a
   * playable file, fsynced and hashed) and its session marked interrupted (R3.5, storage).
   */
  safeStop(disk: DiskSpaceInfo): void {
    const { ctx } = this;
    const segs = [...ctx.live.values()];
    const sessions = new Set(segs.map((s) => s.sessionId));
    for (const seg of segs) this.segments.closeLive(seg, 'disk_floor', null);
    const detail = `free disk space ${disk.freeBytes} bytes is below the floor of ${ctx.opts.floorBytes}: recording stopped safely`;
    for (const sessionId of sessions) {
      ctx.deps.db.transaction(() =>
        ctx.addEvent({
          session: ctx.session(sessionId),
          at: ctx.deps.now(),
          kind: 'disk.safe_stop',
          data: {
            freeBytes: disk.freeBytes,
            floorBytes: ctx.opts.floorBytes,
            segments: segs.length,
          },
        }),
      )();
      this.interruptions.interrupt(sessionId, 'disk_floor', detail, 'safe_stop');
    }
    ctx.log(`recording: ${detail}`);
  }

  /** A write or fsync failed: a full disk stops everything safely, any other error its session. */
  writeFailed(seg: LiveSegment, e: unknown): void {
    const { ctx } = this;
    const code = (e as NodeJS.ErrnoException).code;
    ctx.log(`recording: writing ${seg.path} failed: ${String(e)}`);
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      this.safeStop(ctx.measureDisk());
      return;
    }
    if (ctx.live.has(seg.id)) this.segments.closeLive(seg, 'write_failed', null);
    this.interruptions.interrupt(
      seg.sessionId,
      'write_failed',
      `writing ${seg.path} failed (${code ?? 'error'})`,
      'safe_stop',
    );
  }
}
