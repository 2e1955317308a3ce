/**
 * What recording reports: the status of a session's segments, the offsets between sources,
 * the journal, the timeline, where the media ends, and ranges of a file for playback.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type {
  FragmentDto,
  OffsetsDto,
  NamedSourceDto,
  PreflightInput,
  RecordingStatusDto,
  SegmentStatusDto,
  TimelineEventDto,
  TimelineKind,
} from '../../../shared/api/recording';
import { recordMediaOffsets, sessionEvents, storedMediaOffsets } from '../sessions';
import type { Caller, EvidenceGuard } from '../context';
import type { RecordingContext, SegmentRef } from './context';
import { computeOffsets, mediaEndMsOf } from './rules';
import {
  fragmentsOf,
  latestPreflight,
  mediaEndUs,
  offsetRows,
  segmentNumbers,
  recordedPreflightsOf,
  segmentsOfSession,
  type SegmentRow,
} from './store';
import { Viewings } from '../../platform/viewings';

export class RecordingReports {
  /** Each account's viewings of each file (account:segment row), for the audit trail. */
  private readonly viewings = new Viewings();

  constructor(
    private readonly ctx: RecordingContext,
    private readonly guard: EvidenceGuard,
  ) {}

  status(sessionId: number): RecordingStatusDto {
    const s = this.ctx.session(sessionId);
    const rows = segmentsOfSession(this.ctx.deps.db, sessionId);
    const pre = latestPreflight(this.ctx.deps.db, sessionId);
    return {
      sessionId,
      sessionStatus: s.status,
      preflight: pre
        ? { id: pre.id, savedAt: pre.savedAt, confirmedAt: pre.preflight.confirmedAt }
        : null,
      disk: this.ctx.disk(),
      segments: rows.map((r) => this.segmentStatus(r)),
      sources: this.namedSources(sessionId),
    };
  }

  /** Each source by its registered device number and role, from the pre-flight checks. */
  private namedSources(sessionId: number): NamedSourceDto[] {
    const named = new Map<string, NamedSourceDto>();
    for (const p of recordedPreflightsOf(this.ctx.deps.db, sessionId)) {
      const pre = JSON.parse(p.preflight) as PreflightInput;
      for (const s of pre.sources)
        named.set(s.sourceId, {
          sourceId: s.sourceId,
          kind: s.kind,
          deviceNo: s.deviceNo,
          role: s.role,
        });
    }
    // A remote participant's sources are named by whom, as the live room vouched at opening.
    for (const e of sessionEvents(this.ctx.deps.db, sessionId, 'segment.opened')) {
      const d = e.data as { kind: NamedSourceDto['kind']; remote?: NamedSourceDto['remote'] };
      if (!d.remote || !e.sourceId || named.has(e.sourceId)) continue;
      named.set(e.sourceId, {
        sourceId: e.sourceId,
        kind: d.kind,
        deviceNo: '',
        role: 'other',
        remote: d.remote,
      });
    }
    return [...named.values()];
  }

  /** A segment's status: from the file being written while it is open here, else its row. */
  private segmentStatus(r: SegmentRow): SegmentStatusDto {
    const live = this.ctx.live.get(r.id);
    const recovery = r.recovery
      ? (JSON.parse(r.recovery) as {
          bytesCut: number;
          reason: string;
          cutFiles?: string[];
          cutFilesSha256?: Record<string, string>;
        })
      : null;
    return {
      sessionId: r.session_id,
      sourceId: r.source_id,
      segment: r.segment,
      kind: r.kind,
      path: r.path,
      codec: r.codec,
      state: r.state,
      closeReason: r.close_reason,
      bytes: live ? live.file.bytes : r.bytes,
      fragments: live ? live.file.fragments : r.fragments,
      pendingBytes: live ? live.asm.pendingBytes : 0,
      durationUs: live ? live.file.durationUs : r.duration_us,
      sha256: live ? live.file.sha256SoFar() : r.sha256,
      lastFsyncAt: live ? live.file.lastFsyncAt : null,
      firstCaptureTimeUs: r.first_capture_time_us,
      sessionTimeUs: r.session_time_us,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      recovery: recovery
        ? {
            bytesCut: recovery.bytesCut,
            reason: recovery.reason,
            cutFiles: (recovery.cutFiles ?? []).map((path) => ({
              path,
              sha256: recovery.cutFilesSha256?.[path] ?? null,
            })),
          }
        : null,
    };
  }

  /** Recomputes the offsets and keeps them in the session record. */
  storeOffsets(sessionId: number, at: number): OffsetsDto {
    const offsets = computeOffsets(sessionId, offsetRows(this.ctx.deps.db, sessionId), at);
    recordMediaOffsets(this.ctx.deps.db, sessionId, offsets);
    return offsets;
  }

  offsets(sessionId: number): OffsetsDto {
    const s = this.ctx.session(sessionId);
    if (s.status === 'ended' || s.status === 'sealed') {
      // A finished record is read, not rewritten: no new segment can change its offsets.
      const stored = storedMediaOffsets(this.ctx.deps.db, sessionId);
      if (stored) return stored as OffsetsDto;
    }
    return this.storeOffsets(sessionId, this.ctx.deps.now());
  }

  /**
   * Where the recorded media of a session ends, in session ms (the latest segment end), or
   * null when nothing was recorded. The written end time may not claim less (R2.4).
   */
  mediaEndMs(sessionId: number): number | null {
    return mediaEndMsOf(mediaEndUs(this.ctx.deps.db, sessionId));
  }

  /**
   * Reads part of a segment file for playback. Whole fragments are written in one write, so
   * any range up to the current size is stable, also while the segment is still recording.
   */
  /**
   * Bytes of a recorded file, for playback. Viewing a file is an entry of the audit trail
   * (who, which session, source and file): a read from its start, or the first read of it by
   * that account within an hour wherever it starts; the reads that follow as the player
   * fetches on are not repeated there. Only a read that succeeded is recorded.
   */
  read(
    caller: Caller,
    ref: SegmentRef,
    offset: number,
    length: number,
    grantId?: number,
  ): { data: string; bytes: number; eof: boolean } {
    const row = this.ctx.segmentRow(ref);
    const caseId = this.ctx.session(ref.sessionId).caseId;
    // Nothing is read before the check: the team's right, or a grant that covers the session.
    const basis = this.guard.require(caller, {
      caseId,
      mode: 'view',
      sessionIds: [ref.sessionId],
      what: '播放音像记录',
      grantId,
      entity: 'session',
      entityId: ref.sessionId,
      detail: { sourceId: ref.sourceId, segment: ref.segment },
    });
    const file = join(this.ctx.dataDir, row.path);
    const size = statSync(file).size;
    if (offset > size)
      throw new AppError('INVALID_INPUT', `offset ${offset} is past the end (${size})`);
    const n = Math.min(length, size - offset);
    const buf = Buffer.alloc(n);
    const fd = openSync(file, 'r');
    try {
      let done = 0;
      while (done < n) {
        const got = readSync(fd, buf, done, n - done, offset + done);
        if (got === 0) break;
        done += got;
      }
    } finally {
      closeSync(fd);
    }
    const at = this.ctx.deps.now();
    if (this.viewings.starts(`${caller.user?.id ?? '-'}:${row.id}`, at, offset === 0)) {
      this.ctx.deps.audit.append({
        at,
        actorUserId: caller.user?.id ?? null,
        actor: caller.user?.displayName ?? null,
        action: 'media.read',
        entity: 'session',
        entityId: ref.sessionId,
        caseId,
        data: {
          sourceId: ref.sourceId,
          segment: ref.segment,
          path: row.path,
          basis: basis.kind,
          grantId: basis.kind === 'grant' ? basis.grantId : null,
        },
      });
    }
    return { data: buf.toString('base64'), bytes: n, eof: offset + n >= size };
  }

  fragments(ref: SegmentRef): FragmentDto[] {
    const row = this.ctx.segmentRow(ref);
    return fragmentsOf(this.ctx.deps.db, row.id);
  }

  /** The session's timeline, each event naming its segment by number. */
  timeline(sessionId: number): TimelineEventDto[] {
    this.ctx.session(sessionId);
    const { db } = this.ctx.deps;
    const numbers = segmentNumbers(db, sessionId);
    return sessionEvents(db, sessionId).map((e) => ({
      id: e.id,
      sessionId: e.sessionId,
      at: e.at,
      atUs: e.atUs,
      kind: e.kind as TimelineKind,
      sourceId: e.sourceId,
      segment: e.segmentId === null ? null : (numbers.get(e.segmentId) ?? null),
      userId: e.userId,
      data: e.data,
    }));
  }
}
