/**
 * The segment files of the media sink: opening one (checked against the pre-flight and the
 * disk floor), writing it down durably (fsync at least once an interval, then the journal of
 * the fragments that fsync made durable), and finishing it whole with its final hash on the
 * timeline and the audit trail.
 */
import { isRemoteSource } from '../../../shared/api/live';
import { unlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { UserDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type {
  OpenSegmentInput,
  SegmentCloseReason,
  SegmentSummaryDto,
} from '../../../shared/api/recording';
import { requireUser, type Caller } from '../context';
import type { LiveSegment, RecordingContext, SegmentRef } from './context';
import { FragmentAssembler, SegmentFile, type WrittenUnit } from './media';
import type { RecordingReports } from './reports';
import { preflightSourceFor, segmentPath } from './rules';
import type { StatusPush } from './status-push';
import {
  insertFragments,
  insertSegment,
  lastSegmentNumber,
  latestPreflight,
  markSegmentClosed,
  updateSegmentProgress,
} from './store';

export type RemoteSourceCheck = (
  sessionId: number,
  sourceId: string,
) => { kind: 'camera' | 'microphone'; name: string; role: string } | null;

export class Segments {
  constructor(
    private readonly ctx: RecordingContext,
    private readonly status: StatusPush,
    private readonly reports: RecordingReports,
    /** An fsync failed: the disk guard decides how the recording stops. */
    private readonly writeFailed: (seg: LiveSegment, e: unknown) => void,
    /** A remote participant's source in the session's live room now (the live room vouches). */
    private readonly remoteSource: RemoteSourceCheck = () => null,
  ) {}

  open(caller: Caller, conn: number, input: OpenSegmentInput): { segment: number; path: string } {
    const user = requireUser(caller);
    const { ctx } = this;
    const { db, audit, now } = ctx.deps;
    let created: SegmentFile | null = null;
    try {
      const result = db.transaction(() => {
        const s = ctx.session(input.sessionId);
        if (s.status !== 'recording') throw new AppError('CONFLICT', `the session is ${s.status}`);
        const pre = latestPreflight(db, s.id);
        if (!pre) {
          throw new AppError(
            'RULE_VIOLATION',
            'save the pre-flight check of devices, storage and clock first (R3.6)',
          );
        }
        // A remote participant's source is not a device of the pre-flight check: the live
        // room vouches for it while the participant is in the room.
        const remote = isRemoteSource(input.sourceId)
          ? this.remoteSource(s.id, input.sourceId)
          : null;
        if (isRemoteSource(input.sourceId) && remote?.kind !== input.kind) {
          throw new AppError(
            'RULE_VIOLATION',
            `${input.sourceId} is no ${input.kind} of a remote participant in this session's live room now`,
          );
        }
        const mapped = remote ? undefined : preflightSourceFor(pre.preflight, input);
        const disk = ctx.measureDisk();
        if (ctx.thresholds.belowFloor(disk.freeBytes)) {
          throw new AppError(
            'CONFLICT',
            `only ${disk.freeBytes} bytes free, below the ${ctx.opts.floorBytes}-byte floor: free space first`,
          );
        }
        let segment = (lastSegmentNumber(db, s.id, input.sourceId) ?? 0) + 1;
        // A file left by a crash between its creation and its row (or a name that differs only
        // in case on Windows) is never reused: take the next number.
        for (let tries = 0; ; tries++) {
          const path = segmentPath(s.id, input.sourceId, segment);
          try {
            created = SegmentFile.create(ctx.absolute(path));
            break;
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 1000) throw e;
            segment++;
          }
        }
        const path = segmentPath(s.id, input.sourceId, segment);
        const at = now();
        const id = insertSegment(db, {
          sessionId: s.id,
          sourceId: input.sourceId,
          segment,
          kind: input.kind,
          path,
          codec: input.codec,
          width: input.width ?? null,
          height: input.height ?? null,
          frameRate: input.frameRate ?? null,
          sampleRate: input.sampleRate ?? null,
          channels: input.channels ?? null,
          firstCaptureTimeUs: input.firstCaptureTimeUs,
          sessionTimeUs: input.sessionTimeUs,
          openedAt: at,
          openedBy: user.id,
          encoder: input.encoder ?? null,
        });
        const params = {
          kind: input.kind,
          codec: input.codec,
          width: input.width,
          height: input.height,
          frameRate: input.frameRate,
          sampleRate: input.sampleRate,
          channels: input.channels,
          firstCaptureTimeUs: input.firstCaptureTimeUs,
          sessionTimeUs: input.sessionTimeUs,
        };
        ctx.addEvent({
          session: s,
          at,
          kind: 'segment.opened',
          sourceId: input.sourceId,
          segmentId: id,
          userId: user.id,
          data: {
            ...params,
            segment,
            path,
            deviceNo: mapped?.deviceNo.toUpperCase() ?? null,
            ...(remote ? { remote: { name: remote.name, role: remote.role } } : {}),
          },
        });
        audit.append({
          at,
          actorUserId: user.id,
          actor: user.displayName,
          action: 'media.segment_opened',
          entity: 'session',
          entityId: s.id,
          caseId: s.caseId,
          data: { sourceId: input.sourceId, segment, path, kind: input.kind, codec: input.codec },
        });
        this.reports.storeOffsets(s.id, at);
        return { s, id, segment, path };
      })();
      const file = created!;
      ctx.live.set(result.id, {
        id: result.id,
        sessionId: result.s.id,
        caseId: result.s.caseId,
        startedAt: result.s.startedAt,
        sourceId: input.sourceId,
        segment: result.segment,
        kind: input.kind,
        path: result.path,
        file,
        asm: new FragmentAssembler({ maxUnitBytes: ctx.opts.maxUnitBytes }),
        owner: conn,
        refused: new Set(),
        flushTimer: null,
        lastDataAt: performance.now(),
      });
      this.status.push(result.s.id);
      return { segment: result.segment, path: result.path };
    } catch (e) {
      // The row was rolled back: the empty file it would have named is no evidence of anything.
      if (created) {
        const orphan = created as SegmentFile;
        orphan.abandon();
        try {
          unlinkSync(orphan.path);
        } catch {
          // leave it; a later open skips the name
        }
      }
      throw e;
    }
  }

  /** Ends a segment at the request of the window that records it. */
  close(caller: Caller, conn: number, ref: SegmentRef): SegmentSummaryDto {
    const user = requireUser(caller);
    const seg = this.findLive(ref);
    if (!seg) {
      const row = this.ctx.segmentRow(ref);
      throw new AppError('CONFLICT', `segment ${ref.sourceId}#${ref.segment} is ${row.state}`);
    }
    // Only the window that records a file may end it; the core ends it itself when that
    // window goes away.
    if (seg.owner !== conn) {
      throw new AppError('FORBIDDEN', 'only the window that records this segment may close it');
    }
    return this.closeLive(seg, 'client', user);
  }

  private findLive(ref: SegmentRef): LiveSegment | undefined {
    for (const seg of this.ctx.live.values()) {
      if (
        seg.sessionId === ref.sessionId &&
        seg.sourceId === ref.sourceId &&
        seg.segment === ref.segment
      )
        return seg;
    }
    return undefined;
  }

  /** Journals units that an fsync just made durable, and the segment's new size. */
  private journal(seg: LiveSegment, units: WrittenUnit[], at: number) {
    if (units.length === 0) return;
    const { db } = this.ctx.deps;
    const t0 = performance.now();
    db.transaction(() => {
      insertFragments(db, seg.id, units, at);
      updateSegmentProgress(db, seg.id, {
        bytes: seg.file.bytes,
        fragments: seg.file.fragments,
        durationUs: seg.file.durationUs,
      });
    })();
    const ms = performance.now() - t0;
    seg.file.stats.journalMsTotal += ms;
    seg.file.stats.journalMsMax = Math.max(seg.file.stats.journalMsMax, ms);
  }

  /** fsync, then journal: a journaled fragment is always on disk. */
  private flush(seg: LiveSegment) {
    if (seg.flushTimer) clearTimeout(seg.flushTimer);
    seg.flushTimer = null;
    if (!seg.file.isOpen || seg.file.unflushedCount === 0) return;
    const at = this.ctx.deps.now();
    let durable: WrittenUnit[];
    try {
      durable = seg.file.fsync(at);
    } catch (e) {
      this.writeFailed(seg, e);
      return;
    }
    this.journal(seg, durable, at);
  }

  /** After a write: fsync now if the last one is older than the interval, else soon. */
  scheduleFlush(seg: LiveSegment): void {
    const { ctx } = this;
    const since = performance.now() - seg.file.lastFsyncMono;
    if (since >= ctx.opts.fsyncIntervalMs) {
      this.flush(seg);
    } else if (!seg.flushTimer) {
      seg.flushTimer = setTimeout(() => {
        seg.flushTimer = null;
        try {
          if (ctx.live.has(seg.id)) this.flush(seg);
        } catch (e) {
          ctx.log(`recording: flush of ${seg.path} failed: ${String(e)}`);
        }
      }, ctx.opts.fsyncIntervalMs - since);
      seg.flushTimer.unref?.();
    }
  }

  /**
   * Finishes a live segment: a trailing whole box (mfra) is written, an unfinished fragment is
   * not; fsync, close, journal, and the segment's final hash into the timeline and the audit
   * trail (so a later change to the file is detectable from the chained log).
   */
  closeLive(seg: LiveSegment, reason: SegmentCloseReason, user: UserDto | null): SegmentSummaryDto {
    const { ctx } = this;
    const { db, audit, now } = ctx.deps;
    if (seg.flushTimer) clearTimeout(seg.flushTimer);
    seg.flushTimer = null;
    ctx.live.delete(seg.id);
    const finished = seg.asm.finish();
    let error: string | null = null;
    if (finished.unit) {
      try {
        seg.file.write(finished.unit.unit, finished.unit.bytes);
      } catch (e) {
        error = `the trailing ${finished.unit.unit.boxes.map((b) => b.type).join('+')} could not be written: ${String(e)}`;
      }
    }
    const at = now();
    let durable: WrittenUnit[] = [];
    let sha256: string;
    let sha512: string | null = null;
    try {
      ({ durable, sha256, sha512 } = seg.file.close(at));
    } catch (e) {
      error = `closing the file failed: ${String(e)}`;
      sha256 = seg.file.sha256SoFar();
      seg.file.abandon();
    }
    this.journal(seg, durable, at);
    const summary: SegmentSummaryDto = {
      bytes: seg.file.bytes,
      fragments: seg.file.fragments,
      sha256,
      durationUs: seg.file.durationUs,
      discardedBytes: finished.discardedBytes,
    };
    db.transaction(() => {
      markSegmentClosed(db, seg.id, {
        at,
        reason,
        bytes: summary.bytes,
        fragments: summary.fragments,
        durationUs: summary.durationUs,
        sha256,
        sha512,
        discardedBytes: summary.discardedBytes,
      });
      const s = ctx.session(seg.sessionId);
      ctx.addEvent({
        session: s,
        at,
        kind: 'segment.closed',
        sourceId: seg.sourceId,
        segmentId: seg.id,
        userId: user?.id ?? null,
        data: {
          segment: seg.segment,
          path: seg.path,
          reason,
          ...summary,
          error,
          stats: seg.file.stats,
        },
      });
      audit.append({
        at,
        actorUserId: user?.id ?? null,
        actor: user?.displayName ?? null,
        action: 'media.segment_closed',
        entity: 'session',
        entityId: seg.sessionId,
        caseId: seg.caseId,
        data: { sourceId: seg.sourceId, segment: seg.segment, path: seg.path, reason, ...summary },
      });
    })();
    if (error) ctx.log(`recording: ${seg.path}: ${error}`);
    this.status.push(seg.sessionId);
    return summary;
  }
}
