/**
 * The core side of recording (issue 6; R3, R2.4, R3.5, R3.6): the pre-flight record, the
 * media sink (segments written one whole fragment per write, hashed as written, fsynced at
 * least once a second and journaled after each fsync), faults and the session timeline,
 * crash recovery, and the resume/abandon paths of an interrupted session.
 *
 * Capture and encoding happen in the renderer; what arrives here are binary media frames
 * (electron/shared/media.ts) carrying runs of a segment's fragmented-MP4 bytes at stated
 * offsets. There is no pause: the rules forbid selective recording (R3.2, R3.7), so the only
 * ways a segment ends are its close, the end of the session, or a fault, each on the timeline.
 */
import { closeSync, existsSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CASE_WRITERS } from '../../../shared/api/index';
import type {
  OfficerConfirmation,
  SessionDto,
  SessionStatus,
  UserDto,
} from '../../../shared/domain';
import { AppError, type ErrorCode, type ErrorInfo } from '../../../shared/errors';
import { decodeMediaFrame } from '../../../shared/media';
import type {
  DiskDto,
  FragmentDto,
  OffsetsDto,
  OpenSegmentInput,
  PreflightDto,
  PreflightInput,
  RecordingFaultEvent,
  RecordingStatusDto,
  RecoverResultDto,
  SegmentCloseReason,
  SegmentKind,
  SegmentState,
  SegmentStatusDto,
  SegmentSummaryDto,
  SourceOffsetDto,
  TimelineEventDto,
  TimelineKind,
  FaultEventKind,
  ClientFaultKind,
} from '../../../shared/api/recording';
import { SEGMENT_CLOSE_REASONS } from '../../../shared/api/recording';
import {
  DEFAULT_FLOOR_BYTES,
  DEFAULT_MAX_UNIT_BYTES,
  DEFAULT_WARN_BYTES,
  DiskThresholds,
  FragmentAssembler,
  SegmentFile,
  recoverSegmentFile,
  statfsDiskSpace,
  type DiskSpace,
  type DiskSpaceInfo,
  type WrittenUnit,
} from './media';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import {
  appendSessionEvent,
  lastSessionEvent,
  markEnded,
  markInterrupted,
  markResumed,
  recordMediaOffsets,
} from '../sessions';
import type { SessionsService } from '../sessions/service';
import type { UsersService } from '../users/service';

/** Tunables of the media sink; every one has a default fit for a workstation. */
export interface MediaOptions {
  /** Stop recording (safely) when less than this would be left free. Default 1 GiB. */
  floorBytes: number;
  /** Warn (once each) when free space falls below these. Default 10, 5 and 2 GiB. */
  warnBytes: readonly number[];
  /** Longest time written bytes may wait for an fsync. Default 500 ms (the rule is ≤ 1 s). */
  fsyncIntervalMs: number;
  /** Least time between two `recording.status` pushes of one session. Default 1000 ms. */
  statusIntervalMs: number;
  /** Largest fragment accepted (and held in memory while it arrives). Default 64 MiB. */
  maxUnitBytes: number;
  /** How free space is measured (statfs; tests pass a simulated disk). */
  diskSpace: DiskSpace;
  /**
   * An open segment that receives nothing for this long has lost its writer (a hung or
   * crashed window whose connection was not closed): its segments end and the session is
   * interrupted. Fragments come about every second. Default 15 s; 0 turns the watchdog off.
   */
  stallMs: number;
  /**
   * While recording, every this many ms the hashes written so far (each open segment's size
   * and SHA-256) are appended to the hash-chained audit trail, so tampering with the early
   * part of a long session is detectable before it is sealed. Default 5 min; 0 turns it off.
   */
  checkpointMs: number;
}

export const DEFAULT_MEDIA_OPTIONS: MediaOptions = {
  floorBytes: DEFAULT_FLOOR_BYTES,
  warnBytes: DEFAULT_WARN_BYTES,
  fsyncIntervalMs: 500,
  statusIntervalMs: 1000,
  maxUnitBytes: DEFAULT_MAX_UNIT_BYTES,
  diskSpace: statfsDiskSpace,
  stallMs: 15_000,
  checkpointMs: 5 * 60_000,
};

/** What the transport sends back for a refused media frame: an error frame, and maybe an event. */
export interface MediaRefusal {
  error: ErrorInfo;
  /** A `recording.fault` for the sender alone (null when it was broadcast to everyone). */
  fault: RecordingFaultEvent | null;
}

interface SessionRow {
  id: number;
  case_id: number;
  status: SessionStatus;
  started_at: number | null;
}

interface SegmentRow {
  id: number;
  session_id: number;
  source_id: string;
  segment: number;
  kind: SegmentKind;
  path: string;
  codec: string;
  first_capture_time_us: number;
  session_time_us: number;
  opened_at: number;
  closed_at: number | null;
  state: SegmentState;
  close_reason: SegmentCloseReason | null;
  bytes: number;
  fragments: number;
  duration_us: number | null;
  sha256: string | null;
  recovery: string | null;
}

/** A segment being written by this core. */
interface LiveSegment {
  id: number;
  sessionId: number;
  caseId: number;
  startedAt: number | null;
  sourceId: string;
  segment: number;
  kind: SegmentKind;
  path: string;
  file: SegmentFile;
  asm: FragmentAssembler;
  /** The connection that opened it; its loss ends the segment. */
  owner: number;
  /** Error codes already put on the timeline for this segment (once each until a good write). */
  refused: Set<ErrorCode>;
  flushTimer: ReturnType<typeof setTimeout> | null;
  /** Monotonic ms of the last media frame for it (or of its opening), for the stall watchdog. */
  lastDataAt: number;
}

const pad3 = (n: number) => String(n).padStart(3, '0');

export class RecordingService {
  private readonly opts: MediaOptions;
  private readonly thresholds: DiskThresholds;
  private readonly live = new Map<number, LiveSegment>();
  private readonly statusTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly statusLast = new Map<number, number>();
  private closed = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly dataDir: string,
    options: Partial<MediaOptions> = {},
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.opts = { ...DEFAULT_MEDIA_OPTIONS, ...options };
    this.thresholds = new DiskThresholds(this.opts.floorBytes, this.opts.warnBytes);
    if (this.opts.checkpointMs > 0) {
      this.checkpointTimer = setInterval(() => this.checkpoint(), this.opts.checkpointMs);
      this.checkpointTimer.unref?.();
    }
    if (this.opts.stallMs > 0) {
      this.watchdog = setInterval(() => this.checkStalls(), Math.max(250, this.opts.stallMs / 3));
      this.watchdog.unref?.();
    }
  }

  private watchdog: ReturnType<typeof setInterval> | null = null;
  private checkpointTimer: ReturnType<typeof setInterval> | null = null;

  /** Appends, per recording session, the hashes of its open segments so far (issue 4 item 2). */
  checkpoint(): void {
    if (this.closed) return;
    const bySession = new Map<number, LiveSegment[]>();
    for (const seg of this.live.values()) {
      bySession.set(seg.sessionId, [...(bySession.get(seg.sessionId) ?? []), seg]);
    }
    for (const [sessionId, segs] of bySession) {
      this.safely(() =>
        this.deps.db.transaction(() =>
          this.deps.audit.append({
            at: this.deps.now(),
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
    if (this.closed) return;
    const now = performance.now();
    this.endAndInterrupt(
      [...this.live.values()].filter((s) => now - s.lastDataAt > this.opts.stallMs),
      'connection_lost',
      `no media arrived for ${Math.round(this.opts.stallMs / 1000)} s from the window that was recording`,
      'connection_lost',
    );
  }

  // -------------------------------------------------------------------------------------
  // Helpers

  private session(id: number): SessionRow {
    const row = this.deps.db
      .prepare('SELECT id, case_id, status, started_at FROM sessions WHERE id = ?')
      .get(id) as SessionRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no session ${id}`);
    return row;
  }

  private atUs(startedAt: number | null, at: number): number | null {
    return startedAt === null ? null : (at - startedAt) * 1000;
  }

  private measureDisk(): DiskSpaceInfo {
    return this.opts.diskSpace(this.dataDir);
  }

  private absolute(path: string): string {
    return join(this.dataDir, ...path.split('/'));
  }

  /** Appends to the session timeline; call inside the transaction of the change it records. */
  private addEvent(e: {
    session: SessionRow;
    at: number;
    kind: TimelineKind;
    sourceId?: string | null;
    segmentId?: number | null;
    userId?: number | null;
    data: unknown;
  }): number {
    return appendSessionEvent(this.deps.db, {
      ...e,
      sessionId: e.session.id,
      startedAt: e.session.started_at,
    });
  }

  private emitFault(f: RecordingFaultEvent) {
    this.deps.emit('recording.fault', f);
  }

  /** Pushes `recording.status` for a session at most once per interval (a trailing push follows). */
  private pushStatus(sessionId: number) {
    if (this.closed || this.statusTimers.has(sessionId)) return;
    const since = performance.now() - (this.statusLast.get(sessionId) ?? -Infinity);
    const run = () => {
      this.statusTimers.delete(sessionId);
      if (this.closed) return;
      this.statusLast.set(sessionId, performance.now());
      try {
        this.deps.emit('recording.status', this.status(sessionId));
      } catch (e) {
        this.log(`recording: status of session ${sessionId} failed: ${String(e)}`);
      }
    };
    if (since >= this.opts.statusIntervalMs) run();
    else {
      const timer = setTimeout(run, this.opts.statusIntervalMs - since);
      timer.unref?.();
      this.statusTimers.set(sessionId, timer);
    }
  }

  // -------------------------------------------------------------------------------------
  // system.disk and the pre-flight (R3.6)

  disk(): DiskDto {
    const d = this.measureDisk();
    return { path: this.dataDir, ...d, floorBytes: this.opts.floorBytes };
  }

  savePreflight(caller: Caller, sessionId: number, preflight: PreflightInput): PreflightDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const saved = db.transaction(() => {
      const s = this.session(sessionId);
      if (s.status === 'ended' || s.status === 'sealed') {
        throw new AppError('CONFLICT', `the session is ${s.status}`);
      }
      for (const source of preflight.sources) {
        const device = db
          .prepare('SELECT kind, active FROM devices WHERE device_no = ?')
          .get(source.deviceNo.toUpperCase()) as { kind: string; active: number } | undefined;
        if (!device) {
          throw new AppError(
            'RULE_VIOLATION',
            `device ${source.deviceNo} is not registered (R3.6: devices are registered and numbered)`,
          );
        }
        if (device.active !== 1)
          throw new AppError('CONFLICT', `device ${source.deviceNo} is not active`);
        if (device.kind !== source.kind) {
          throw new AppError(
            'RULE_VIOLATION',
            `device ${source.deviceNo} is registered as a ${device.kind}, not a ${source.kind}`,
          );
        }
      }
      const disk = this.measureDisk();
      if (disk.freeBytes - this.opts.floorBytes < preflight.disk.expectedBytes) {
        throw new AppError(
          'RULE_VIOLATION',
          `not enough free disk space for the expected recording: ${preflight.disk.expectedBytes} bytes needed, ` +
            `${Math.max(0, disk.freeBytes - this.opts.floorBytes)} usable (R3.6)`,
        );
      }
      const at = now();
      const core = {
        at,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        freeBytes: disk.freeBytes,
        totalBytes: disk.totalBytes,
        // The renderer's clock against the core's, at the moment of confirmation (≈ one round trip).
        clockSkewMs: preflight.confirmedAt - at,
      };
      const id = Number(
        db
          .prepare(
            `INSERT INTO recording_preflights (session_id, preflight, core, saved_by, saved_at)
             VALUES (?, ?, ?, ?, ?)`,
          )
          .run(sessionId, JSON.stringify(preflight), JSON.stringify(core), user.id, at)
          .lastInsertRowid,
      );
      this.addEvent({
        session: s,
        at,
        kind: 'preflight.saved',
        userId: user.id,
        data: {
          preflightId: id,
          sources: preflight.sources.map((x) => ({
            sourceId: x.sourceId,
            deviceNo: x.deviceNo.toUpperCase(),
            role: x.role,
          })),
          freeBytes: disk.freeBytes,
          expectedBytes: preflight.disk.expectedBytes,
        },
      });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'recording.preflight_saved',
        entity: 'session',
        entityId: sessionId,
        caseId: s.case_id,
        data: { preflight, core },
      });
      return { id, sessionId, preflight, core, savedBy: user.id, savedAt: at };
    })();
    this.pushStatus(sessionId);
    return saved;
  }

  private latestPreflight(
    sessionId: number,
  ): { id: number; preflight: PreflightInput; savedAt: number } | null {
    const row = this.deps.db
      .prepare(
        'SELECT id, preflight, saved_at FROM recording_preflights WHERE session_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(sessionId) as { id: number; preflight: string; saved_at: number } | undefined;
    return row
      ? {
          id: row.id,
          preflight: JSON.parse(row.preflight) as PreflightInput,
          savedAt: row.saved_at,
        }
      : null;
  }

  // -------------------------------------------------------------------------------------
  // Segments

  openSegment(
    caller: Caller,
    conn: number,
    input: OpenSegmentInput,
  ): { segment: number; path: string } {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    let created: SegmentFile | null = null;
    try {
      const result = db.transaction(() => {
        const s = this.session(input.sessionId);
        if (s.status !== 'recording') throw new AppError('CONFLICT', `the session is ${s.status}`);
        const pre = this.latestPreflight(s.id);
        if (!pre) {
          throw new AppError(
            'RULE_VIOLATION',
            'save the pre-flight check of devices, storage and clock first (R3.6)',
          );
        }
        const mapped = pre.preflight.sources.find(
          (x) => x.sourceId.toLowerCase() === input.sourceId.toLowerCase(),
        );
        if (input.kind === 'program') {
          if (mapped) {
            throw new AppError('CONFLICT', `${input.sourceId} is a device source, not the program`);
          }
        } else if (!mapped || mapped.sourceId !== input.sourceId) {
          throw new AppError(
            'RULE_VIOLATION',
            `source ${input.sourceId} is not in the pre-flight check (R3.6); save it again with this source`,
          );
        } else if (mapped.kind !== input.kind) {
          throw new AppError('INVALID_INPUT', `source ${input.sourceId} is a ${mapped.kind}`);
        }
        const disk = this.measureDisk();
        if (this.thresholds.belowFloor(disk.freeBytes)) {
          throw new AppError(
            'CONFLICT',
            `only ${disk.freeBytes} bytes free, below the ${this.opts.floorBytes}-byte floor: free space first`,
          );
        }
        const last = db
          .prepare(
            'SELECT MAX(segment) AS n FROM media_segments WHERE session_id = ? AND source_id = ?',
          )
          .get(s.id, input.sourceId) as { n: number | null };
        let segment = (last.n ?? 0) + 1;
        const pathOf = (n: number) => `sessions/${s.id}/media/${input.sourceId}-${pad3(n)}.mp4`;
        // A file left by a crash between its creation and its row (or a name that differs only
        // in case on Windows) is never reused: take the next number.
        for (let tries = 0; ; tries++) {
          const path = pathOf(segment);
          try {
            created = SegmentFile.create(this.absolute(path));
            break;
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 1000) throw e;
            segment++;
          }
        }
        const path = pathOf(segment);
        const at = now();
        const id = Number(
          db
            .prepare(
              `INSERT INTO media_segments (session_id, source_id, segment, kind, path, codec, width, height,
                 frame_rate, sample_rate, channels, first_capture_time_us, session_time_us, opened_at, opened_by)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              s.id,
              input.sourceId,
              segment,
              input.kind,
              path,
              input.codec,
              input.width ?? null,
              input.height ?? null,
              input.frameRate ?? null,
              input.sampleRate ?? null,
              input.channels ?? null,
              input.firstCaptureTimeUs,
              input.sessionTimeUs,
              at,
              user.id,
            ).lastInsertRowid,
        );
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
        this.addEvent({
          session: s,
          at,
          kind: 'segment.opened',
          sourceId: input.sourceId,
          segmentId: id,
          userId: user.id,
          data: { ...params, segment, path, deviceNo: mapped?.deviceNo.toUpperCase() ?? null },
        });
        audit.append({
          at,
          actorUserId: user.id,
          actor: user.displayName,
          action: 'media.segment_opened',
          entity: 'session',
          entityId: s.id,
          caseId: s.case_id,
          data: { sourceId: input.sourceId, segment, path, kind: input.kind, codec: input.codec },
        });
        this.storeOffsets(s.id, at);
        return { s, id, segment, path };
      })();
      const file = created!;
      this.live.set(result.id, {
        id: result.id,
        sessionId: result.s.id,
        caseId: result.s.case_id,
        startedAt: result.s.started_at,
        sourceId: input.sourceId,
        segment: result.segment,
        kind: input.kind,
        path: result.path,
        file,
        asm: new FragmentAssembler({ maxUnitBytes: this.opts.maxUnitBytes }),
        owner: conn,
        refused: new Set(),
        flushTimer: null,
        lastDataAt: performance.now(),
      });
      this.pushStatus(result.s.id);
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

  private findLiveByRef(
    sessionId: number,
    sourceId: string,
    segment: number,
  ): LiveSegment | undefined {
    for (const seg of this.live.values()) {
      if (seg.sessionId === sessionId && seg.sourceId === sourceId && seg.segment === segment)
        return seg;
    }
    return undefined;
  }

  closeSegment(
    caller: Caller,
    conn: number,
    ref: { sessionId: number; sourceId: string; segment: number },
  ): SegmentSummaryDto {
    const user = requireUser(caller);
    const seg = this.findLiveByRef(ref.sessionId, ref.sourceId, ref.segment);
    if (!seg) {
      const row = this.segmentRow(ref.sessionId, ref.sourceId, ref.segment);
      throw new AppError('CONFLICT', `segment ${ref.sourceId}#${ref.segment} is ${row.state}`);
    }
    // Only the window that records a file may end it; the core ends it itself when that
    // window goes away.
    if (seg.owner !== conn) {
      throw new AppError('FORBIDDEN', 'only the window that records this segment may close it');
    }
    return this.closeLive(seg, 'client', user);
  }

  private segmentRow(sessionId: number, sourceId: string, segment: number): SegmentRow {
    const row = this.deps.db
      .prepare(
        'SELECT * FROM media_segments WHERE session_id = ? AND source_id = ? AND segment = ?',
      )
      .get(sessionId, sourceId, segment) as SegmentRow | undefined;
    if (!row)
      throw new AppError('NOT_FOUND', `no segment ${sourceId}#${segment} in session ${sessionId}`);
    return row;
  }

  /** Journals units that an fsync just made durable, and the segment's new size. */
  private journal(seg: LiveSegment, units: WrittenUnit[], at: number) {
    if (units.length === 0) return;
    const { db } = this.deps;
    const t0 = performance.now();
    const insert = db.prepare(
      `INSERT INTO media_fragments (segment_id, seq, kind, offset, size, decode_time_us, duration_us, journaled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (const u of units) {
        insert.run(seg.id, u.seq, u.kind, u.offset, u.size, u.decodeTimeUs, u.durationUs, at);
      }
      db.prepare(
        "UPDATE media_segments SET bytes = ?, fragments = ?, duration_us = ? WHERE id = ? AND state = 'open'",
      ).run(seg.file.bytes, seg.file.fragments, seg.file.durationUs, seg.id);
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
    const at = this.deps.now();
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
  private scheduleFlush(seg: LiveSegment) {
    const since = performance.now() - seg.file.lastFsyncMono;
    if (since >= this.opts.fsyncIntervalMs) {
      this.flush(seg);
    } else if (!seg.flushTimer) {
      seg.flushTimer = setTimeout(() => {
        seg.flushTimer = null;
        try {
          if (this.live.has(seg.id)) this.flush(seg);
        } catch (e) {
          this.log(`recording: flush of ${seg.path} failed: ${String(e)}`);
        }
      }, this.opts.fsyncIntervalMs - since);
      seg.flushTimer.unref?.();
    }
  }

  /**
   * Finishes a live segment: a trailing whole box (mfra) is written, an unfinished fragment is
   * not; fsync, close, journal, and the segment's final hash into the timeline and the audit
   * trail (so a later change to the file is detectable from the chained log).
   */
  private closeLive(
    seg: LiveSegment,
    reason: SegmentCloseReason,
    user: UserDto | null,
  ): SegmentSummaryDto {
    const { db, audit, now } = this.deps;
    if (seg.flushTimer) clearTimeout(seg.flushTimer);
    seg.flushTimer = null;
    this.live.delete(seg.id);
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
    try {
      ({ durable, sha256 } = seg.file.close(at));
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
      db.prepare(
        `UPDATE media_segments SET state = 'closed', closed_at = ?, close_reason = ?, bytes = ?, fragments = ?,
           duration_us = ?, sha256 = ?, discarded_bytes = ? WHERE id = ?`,
      ).run(
        at,
        reason,
        summary.bytes,
        summary.fragments,
        summary.durationUs,
        sha256,
        summary.discardedBytes,
        seg.id,
      );
      const s = this.session(seg.sessionId);
      this.addEvent({
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
    if (error) this.log(`recording: ${seg.path}: ${error}`);
    this.pushStatus(seg.sessionId);
    return summary;
  }

  // -------------------------------------------------------------------------------------
  // Media frames

  /**
   * Takes one binary media frame from a connection. Returns null when it was accepted, else
   * the refusal for the sender. Never throws: a bad frame must not take the core down.
   */
  receiveMedia(user: UserDto | null, conn: number, bytes: Uint8Array): MediaRefusal | null {
    try {
      return this.acceptMedia(user, conn, bytes);
    } catch (e) {
      this.log(
        `recording: media frame failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return {
        error: { code: 'INTERNAL', message: 'internal error; see the core log' },
        fault: null,
      };
    }
  }

  private acceptMedia(user: UserDto | null, conn: number, bytes: Uint8Array): MediaRefusal | null {
    const frame = decodeMediaFrame(bytes);
    const senderOnly = (
      code: ErrorCode,
      message: string,
      ref?: { sourceId: string; segment: number },
    ): MediaRefusal => ({
      error: { code, message },
      fault: {
        sessionId: null,
        kind: 'write_refused',
        sourceId: ref?.sourceId ?? null,
        segment: ref?.segment ?? null,
        detail: message,
        atUs: null,
        code,
      },
    });
    if (!frame.ok) {
      return senderOnly(
        frame.message.includes('too large') ? 'FRAME_TOO_LARGE' : 'BAD_FRAME',
        frame.message,
      );
    }
    const { sourceId, segment, offset } = frame.header;
    const ref = { sourceId, segment };
    if (!user) return senderOnly('UNAUTHENTICATED', 'sign in first', ref);
    if (!user.roles.some((r) => CASE_WRITERS.includes(r))) {
      return senderOnly(
        'FORBIDDEN',
        `writing media needs one of the roles: ${CASE_WRITERS.join(', ')}`,
        ref,
      );
    }
    const matches = [...this.live.values()].filter(
      (s) => s.sourceId === sourceId && s.segment === segment,
    );
    // Media is accepted only from the connection that opened the segment: nobody else can
    // add bytes to, or disturb, another window's evidence file.
    const seg = matches.find((s) => s.owner === conn);
    if (!seg) {
      return senderOnly(
        'NOT_FOUND',
        `no segment ${sourceId}#${segment} open on this connection: open it with recording.openSegment`,
        ref,
      );
    }
    seg.lastDataAt = performance.now();
    const s = this.session(seg.sessionId);
    if (s.status !== 'recording') {
      return this.refuse(
        seg,
        'CONFLICT',
        `the session is ${s.status}; media is accepted only while it records`,
        offset,
      );
    }
    const r = seg.asm.append(offset, frame.payload);
    if (!r.ok) {
      return this.refuse(
        seg,
        r.reason === 'gap' || r.reason === 'overlap' ? 'CONFLICT' : 'INVALID_INPUT',
        `${seg.sourceId}#${seg.segment}: ${r.message}; nothing of this frame was written`,
        offset,
      );
    }
    for (const { unit, bytes: unitBytes } of r.units) {
      const disk = this.measureDisk();
      if (this.thresholds.belowFloor(disk.freeBytes, unitBytes.length)) {
        this.safeStop(disk);
        return {
          error: {
            code: 'CONFLICT',
            message: `the disk is almost full (${disk.freeBytes} bytes free): recording stopped safely`,
          },
          fault: null,
        };
      }
      this.warnDisk(disk);
      try {
        seg.file.write(unit, unitBytes);
      } catch (e) {
        this.writeFailed(seg, e);
        return {
          error: {
            code: 'INTERNAL',
            message: `writing ${seg.path} failed; the segment was closed`,
          },
          fault: null,
        };
      }
    }
    seg.refused.clear();
    if (r.units.length > 0) this.scheduleFlush(seg);
    this.pushStatus(seg.sessionId);
    return null;
  }

  /** A refusal on a known segment goes on the timeline and to everyone, once per kind of error. */
  private refuse(seg: LiveSegment, code: ErrorCode, message: string, offset: number): MediaRefusal {
    const fault: RecordingFaultEvent = {
      sessionId: seg.sessionId,
      kind: 'write_refused',
      sourceId: seg.sourceId,
      segment: seg.segment,
      detail: message,
      atUs: this.atUs(seg.startedAt, this.deps.now()),
      code,
    };
    if (seg.refused.has(code)) return { error: { code, message }, fault };
    seg.refused.add(code);
    const { db, now } = this.deps;
    db.transaction(() => {
      this.addEvent({
        session: this.session(seg.sessionId),
        at: now(),
        kind: 'write_refused',
        sourceId: seg.sourceId,
        segmentId: seg.id,
        data: { code, message, offset, expectedOffset: seg.asm.expectedOffset },
      });
    })();
    this.emitFault(fault);
    return { error: { code, message }, fault: null };
  }

  private warnDisk(disk: DiskSpaceInfo) {
    const crossed = this.thresholds.crossed(disk.freeBytes);
    if (crossed.length === 0) return;
    const sessions = new Set([...this.live.values()].map((s) => s.sessionId));
    const { db, now } = this.deps;
    for (const sessionId of sessions) {
      const at = now();
      const s = this.session(sessionId);
      for (const threshold of crossed) {
        const detail = `free disk space ${disk.freeBytes} bytes, below ${threshold}`;
        db.transaction(() =>
          this.addEvent({
            session: s,
            at,
            kind: 'disk.low',
            data: {
              freeBytes: disk.freeBytes,
              thresholdBytes: threshold,
              floorBytes: this.opts.floorBytes,
            },
          }),
        )();
        this.emitFault({
          sessionId,
          kind: 'disk_low',
          sourceId: null,
          segment: null,
          detail,
          atUs: this.atUs(s.started_at, at),
        });
      }
    }
  }

  /**
   * Before the disk is full: every open segment is closed whole (what is written stays a
   * playable file, fsynced and hashed) and its session marked interrupted (R3.5, storage).
   */
  private safeStop(disk: DiskSpaceInfo) {
    const segs = [...this.live.values()];
    const sessions = new Set(segs.map((s) => s.sessionId));
    for (const seg of segs) this.closeLive(seg, 'disk_floor', null);
    const detail = `free disk space ${disk.freeBytes} bytes is below the floor of ${this.opts.floorBytes}: recording stopped safely`;
    for (const sessionId of sessions) {
      this.deps.db.transaction(() =>
        this.addEvent({
          session: this.session(sessionId),
          at: this.deps.now(),
          kind: 'disk.safe_stop',
          data: {
            freeBytes: disk.freeBytes,
            floorBytes: this.opts.floorBytes,
            segments: segs.length,
          },
        }),
      )();
      this.interrupt(sessionId, 'disk_floor', detail, 'safe_stop');
    }
    this.log(`recording: ${detail}`);
  }

  private writeFailed(seg: LiveSegment, e: unknown) {
    const code = (e as NodeJS.ErrnoException).code;
    this.log(`recording: writing ${seg.path} failed: ${String(e)}`);
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      this.safeStop(this.measureDisk());
      return;
    }
    if (this.live.has(seg.id)) this.closeLive(seg, 'write_failed', null);
    this.interrupt(
      seg.sessionId,
      'write_failed',
      `writing ${seg.path} failed (${code ?? 'error'})`,
      'safe_stop',
    );
  }

  /** Marks a recording session interrupted, with the reason on the timeline and the audit trail. */
  private interrupt(
    sessionId: number,
    reason: string,
    detail: string,
    kind: FaultEventKind,
    stoppedAt?: number,
  ) {
    const { db, audit, now } = this.deps;
    const at = now();
    const s = this.session(sessionId);
    if (s.status !== 'recording') return;
    db.transaction(() => {
      markInterrupted(db, sessionId);
      this.addEvent({
        session: s,
        at,
        kind: 'session.interrupted',
        data: { reason, detail, stoppedAt: stoppedAt ?? at },
      });
      audit.append({
        at,
        actorUserId: null,
        actor: null,
        action: 'session.interrupted',
        entity: 'session',
        entityId: sessionId,
        caseId: s.case_id,
        data: { reason, detail, stoppedAt: stoppedAt ?? at },
      });
    })();
    // No file of an interrupted session stays open: each ends whole here, and the recording
    // continues in new segments once it is resumed (R3.5).
    const closeReason = (SEGMENT_CLOSE_REASONS as readonly string[]).includes(reason)
      ? (reason as SegmentCloseReason)
      : 'connection_lost';
    for (const seg of [...this.live.values()].filter((l) => l.sessionId === sessionId)) {
      this.safely(() => this.closeLive(seg, closeReason, null));
    }
    this.emitFault({
      sessionId,
      kind,
      sourceId: null,
      segment: null,
      detail,
      atUs: this.atUs(s.started_at, at),
    });
    this.deps.emit('case.changed', { caseId: s.case_id });
    this.pushStatus(sessionId);
  }

  // -------------------------------------------------------------------------------------
  // Faults, status, offsets, journal, timeline

  fault(
    caller: Caller,
    input: {
      sessionId: number;
      kind: ClientFaultKind;
      sourceId?: string | undefined;
      detail: string;
    },
  ): TimelineEventDto {
    const user = requireUser(caller);
    const { db, now } = this.deps;
    const s = this.session(input.sessionId);
    if (s.status === 'planned' || s.status === 'ended' || s.status === 'sealed') {
      throw new AppError('CONFLICT', `the session is ${s.status}`);
    }
    const at = now();
    const id = db.transaction(() =>
      this.addEvent({
        session: s,
        at,
        kind: 'fault',
        sourceId: input.sourceId ?? null,
        userId: user.id,
        data: { kind: input.kind, detail: input.detail },
      }),
    )();
    this.emitFault({
      sessionId: s.id,
      kind: input.kind,
      sourceId: input.sourceId ?? null,
      segment: null,
      detail: input.detail,
      atUs: this.atUs(s.started_at, at),
    });
    return this.timeline(s.id).find((e) => e.id === id)!;
  }

  status(sessionId: number): RecordingStatusDto {
    const s = this.session(sessionId);
    const rows = this.deps.db
      .prepare('SELECT * FROM media_segments WHERE session_id = ? ORDER BY id')
      .all(sessionId) as SegmentRow[];
    const pre = this.latestPreflight(sessionId);
    return {
      sessionId,
      sessionStatus: s.status,
      preflight: pre
        ? { id: pre.id, savedAt: pre.savedAt, confirmedAt: pre.preflight.confirmedAt }
        : null,
      disk: this.disk(),
      segments: rows.map((r) => this.segmentStatus(r)),
    };
  }

  private segmentStatus(r: SegmentRow): SegmentStatusDto {
    const live = this.live.get(r.id);
    const recovery = r.recovery
      ? (JSON.parse(r.recovery) as { bytesCut: number; reason: string })
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
      recovery: recovery ? { bytesCut: recovery.bytesCut, reason: recovery.reason } : null,
    };
  }

  private computeOffsets(sessionId: number, at: number): OffsetsDto {
    const rows = this.deps.db
      .prepare(
        'SELECT source_id, kind, segment, first_capture_time_us, session_time_us FROM media_segments WHERE session_id = ? ORDER BY id',
      )
      .all(sessionId) as Pick<
      SegmentRow,
      'source_id' | 'kind' | 'segment' | 'first_capture_time_us' | 'session_time_us'
    >[];
    const kindOrder: Record<SegmentKind, number> = { camera: 0, microphone: 1, program: 2 };
    const ref = [...rows].sort(
      (a, b) =>
        a.session_time_us - b.session_time_us ||
        kindOrder[a.kind] - kindOrder[b.kind] ||
        a.source_id.localeCompare(b.source_id) ||
        a.segment - b.segment,
    )[0];
    const toDto = (r: (typeof rows)[number]): SourceOffsetDto => ({
      sourceId: r.source_id,
      kind: r.kind,
      segment: r.segment,
      firstCaptureTimeUs: r.first_capture_time_us,
      sessionTimeUs: r.session_time_us,
      offsetUs: r.session_time_us - (ref?.session_time_us ?? 0),
      captureToSessionUs: r.session_time_us - r.first_capture_time_us,
    });
    const segments = rows.map(toDto);
    const firstOf = new Map<string, SourceOffsetDto>();
    for (const d of segments) {
      const seen = firstOf.get(d.sourceId);
      if (!seen || d.segment < seen.segment) firstOf.set(d.sourceId, d);
    }
    return {
      sessionId,
      reference: ref ? { sourceId: ref.source_id, segment: ref.segment } : null,
      sources: [...firstOf.values()],
      segments,
      measuredAt: at,
    };
  }

  /** Recomputes the offsets and keeps them in the session record. */
  private storeOffsets(sessionId: number, at: number): OffsetsDto {
    const offsets = this.computeOffsets(sessionId, at);
    recordMediaOffsets(this.deps.db, sessionId, offsets);
    return offsets;
  }

  offsets(sessionId: number): OffsetsDto {
    const s = this.session(sessionId);
    if (s.status === 'ended' || s.status === 'sealed') {
      // A finished record is read, not rewritten: no new segment can change its offsets.
      const row = this.deps.db
        .prepare('SELECT media_offsets FROM sessions WHERE id = ?')
        .get(sessionId) as { media_offsets: string | null };
      if (row.media_offsets) return JSON.parse(row.media_offsets) as OffsetsDto;
    }
    return this.storeOffsets(sessionId, this.deps.now());
  }

  /**
   * Reads part of a segment file for playback. Whole fragments are written in one write, so
   * any range up to the current size is stable, also while the segment is still recording.
   */
  read(
    ref: { sessionId: number; sourceId: string; segment: number },
    offset: number,
    length: number,
  ): { data: string; bytes: number; eof: boolean } {
    const row = this.segmentRow(ref.sessionId, ref.sourceId, ref.segment);
    const file = join(this.dataDir, row.path);
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
    return { data: buf.toString('base64'), bytes: n, eof: offset + n >= size };
  }

  fragments(ref: { sessionId: number; sourceId: string; segment: number }): FragmentDto[] {
    const row = this.segmentRow(ref.sessionId, ref.sourceId, ref.segment);
    return (
      this.deps.db
        .prepare(
          `SELECT seq, kind, offset, size, decode_time_us, duration_us, journaled_at, recovered
           FROM media_fragments WHERE segment_id = ? ORDER BY seq`,
        )
        .all(row.id) as {
        seq: number;
        kind: FragmentDto['kind'];
        offset: number;
        size: number;
        decode_time_us: number | null;
        duration_us: number | null;
        journaled_at: number;
        recovered: number;
      }[]
    ).map((f) => ({
      seq: f.seq,
      kind: f.kind,
      offset: f.offset,
      size: f.size,
      decodeTimeUs: f.decode_time_us,
      durationUs: f.duration_us,
      journaledAt: f.journaled_at,
      recovered: f.recovered === 1,
    }));
  }

  timeline(sessionId: number): TimelineEventDto[] {
    this.session(sessionId);
    return (
      this.deps.db
        .prepare(
          `SELECT e.id, e.session_id, e.at, e.at_us, e.kind, e.source_id, m.segment, e.user_id, e.data
           FROM session_events e LEFT JOIN media_segments m ON m.id = e.segment_id
           WHERE e.session_id = ? ORDER BY e.id`,
        )
        .all(sessionId) as {
        id: number;
        session_id: number;
        at: number;
        at_us: number | null;
        kind: TimelineKind;
        source_id: string | null;
        segment: number | null;
        user_id: number | null;
        data: string;
      }[]
    ).map((e) => ({
      id: e.id,
      sessionId: e.session_id,
      at: e.at,
      atUs: e.at_us,
      kind: e.kind,
      sourceId: e.source_id,
      segment: e.segment,
      userId: e.user_id,
      data: JSON.parse(e.data) as unknown,
    }));
  }

  // -------------------------------------------------------------------------------------
  // Crash recovery, resume, abandon (R3.5)

  /**
   * Recovers segments a previous core left open: each file is scanned from its first box,
   * cut back to its last whole fragment, rehashed; fragments found beyond the journal are
   * journaled (`recovered`); the segment becomes `recovered` with what was cut and why, and
   * its session `interrupted`. At start-up (`atStartup`), every session still `recording` is
   * interrupted too: its recording cannot have survived the core that was receiving it.
   */
  recover(caller: Caller | null, atStartup = false): RecoverResultDto {
    const user = caller?.user ?? null;
    const { db, audit, now } = this.deps;
    const stale = (
      db
        .prepare("SELECT * FROM media_segments WHERE state = 'open' ORDER BY id")
        .all() as SegmentRow[]
    ).filter((r) => !this.live.has(r.id));
    const result: RecoverResultDto = { segments: [], sessions: [] };
    const stoppedAt = new Map<number, number>();
    for (const row of stale) {
      const abs = this.absolute(row.path);
      const journaled = db
        .prepare(
          'SELECT COUNT(*) AS n, COALESCE(MAX(offset + size), 0) AS bytes, MAX(journaled_at) AS last FROM media_fragments WHERE segment_id = ?',
        )
        .get(row.id) as { n: number; bytes: number; last: number | null };
      let recovered: ReturnType<typeof recoverSegmentFile> | null = null;
      let failure: string | null = null;
      let mtime: number | null = null;
      if (!existsSync(abs)) failure = 'the file is missing';
      else {
        try {
          mtime = Math.floor(statSync(abs).mtimeMs);
          recovered = recoverSegmentFile(abs);
        } catch (e) {
          failure = `the file could not be recovered: ${String(e)}`;
        }
      }
      const last = Math.max(mtime ?? 0, journaled.last ?? 0, row.opened_at);
      stoppedAt.set(row.session_id, Math.max(stoppedAt.get(row.session_id) ?? 0, last));
      const reason =
        failure ??
        (recovered!.problem
          ? `the core stopped while writing: ${recovered!.problem}`
          : 'the core stopped while the segment was open; the file ends on a whole fragment');
      const at = now();
      const recovery = {
        reason,
        fileBytes: recovered?.fileBytes ?? 0,
        keptBytes: recovered?.wholeBytes ?? 0,
        bytesCut: recovered?.bytesCut ?? 0,
        journaledBytes: journaled.bytes,
        journaledUnits: journaled.n,
        addedFromFile: recovered ? Math.max(0, recovered.units.length - journaled.n) : 0,
        // The file holding less than its journal means a write the OS acknowledged was lost.
        journalAhead: recovered ? journaled.bytes > recovered.wholeBytes : journaled.bytes > 0,
        // What was cut is kept beside the file (relative to the data directory).
        cutFiles: (recovered?.cutFiles ?? []).map((f) =>
          relative(this.dataDir, f).split(sep).join('/'),
        ),
        atStartup,
      };
      db.transaction(() => {
        if (recovered) {
          const insert = db.prepare(
            `INSERT INTO media_fragments (segment_id, seq, kind, offset, size, decode_time_us, duration_us, journaled_at, recovered)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
          );
          recovered.units.forEach((u, seq) => {
            if (seq >= journaled.n)
              insert.run(row.id, seq, u.kind, u.offset, u.size, u.decodeTimeUs, u.durationUs, at);
          });
        }
        db.prepare(
          `UPDATE media_segments SET state = 'recovered', closed_at = ?, bytes = ?, fragments = ?, duration_us = ?,
             sha256 = ?, recovery = ? WHERE id = ?`,
        ).run(
          at,
          recovered?.wholeBytes ?? 0,
          recovered?.fragments ?? 0,
          recovered?.durationUs ?? null,
          recovered?.sha256 ?? '0'.repeat(64),
          JSON.stringify(recovery),
          row.id,
        );
        const s = this.session(row.session_id);
        this.addEvent({
          session: s,
          at,
          kind: 'segment.recovered',
          sourceId: row.source_id,
          segmentId: row.id,
          userId: user?.id ?? null,
          data: {
            segment: row.segment,
            path: row.path,
            sha256: recovered?.sha256 ?? null,
            ...recovery,
          },
        });
        audit.append({
          at,
          actorUserId: user?.id ?? null,
          actor: user?.displayName ?? null,
          action: 'media.segment_recovered',
          entity: 'session',
          entityId: row.session_id,
          caseId: s.case_id,
          data: {
            sourceId: row.source_id,
            segment: row.segment,
            path: row.path,
            sha256: recovered?.sha256 ?? null,
            ...recovery,
          },
        });
      })();
      result.segments.push({
        sessionId: row.session_id,
        sourceId: row.source_id,
        segment: row.segment,
        path: row.path,
        bytesCut: recovery.bytesCut,
        keptBytes: recovery.keptBytes,
        fragments: recovered?.fragments ?? 0,
        sha256: recovered?.sha256 ?? null,
        reason,
      });
      this.log(
        `recording: recovered ${row.path}: kept ${recovery.keptBytes} bytes, cut ${recovery.bytesCut} (${reason})`,
      );
    }
    const sessions = new Set(stoppedAt.keys());
    if (atStartup) {
      for (const r of db.prepare("SELECT id FROM sessions WHERE status = 'recording'").all() as {
        id: number;
      }[]) {
        sessions.add(r.id);
      }
    }
    for (const sessionId of sessions) {
      const s = this.session(sessionId);
      if (s.status !== 'recording') continue;
      // A session still recording in a live core (recover called at run time) keeps going.
      if (!atStartup && [...this.live.values()].some((l) => l.sessionId === sessionId)) continue;
      const segs = result.segments.filter((x) => x.sessionId === sessionId);
      const detail =
        segs.length > 0
          ? `the core stopped while recording; ${segs.length} segment(s) cut back to their last whole fragment`
          : 'the core stopped while the session was recording';
      this.interrupt(sessionId, 'core_stopped', detail, 'recovered', stoppedAt.get(sessionId));
      result.sessions.push(sessionId);
    }
    return result;
  }

  resume(caller: Caller, id: number, reason: string): SessionDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      const s = this.session(id);
      if (s.status !== 'interrupted')
        throw new AppError('CONFLICT', `the session is ${s.status}, not interrupted`);
      const disk = this.measureDisk();
      if (this.thresholds.belowFloor(disk.freeBytes)) {
        throw new AppError(
          'CONFLICT',
          `only ${disk.freeBytes} bytes free, below the floor: free space first`,
        );
      }
      const at = now();
      markResumed(db, id);
      this.addEvent({ session: s, at, kind: 'session.resumed', userId: user.id, data: { reason } });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.resumed',
        entity: 'session',
        entityId: id,
        caseId: s.case_id,
        data: { reason },
      });
    })();
    const session = this.sessions.get(id);
    this.deps.emit('case.changed', { caseId: session.caseId });
    this.pushStatus(id);
    return session;
  }

  /**
   * Ends an interrupted session that cannot resume (R3.5). The statement is signed by two or
   * more officers of the session, each in person: the one signed in, the others with their
   * own username and password. Nothing is written unless every one of them is confirmed.
   */
  async abandon(
    caller: Caller,
    id: number,
    statement: string,
    officerIds: number[],
    confirmations: (OfficerConfirmation & { officerId: number })[],
  ): Promise<SessionDto> {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const before = this.session(id);
    if (before.status !== 'interrupted')
      throw new AppError('CONFLICT', `the session is ${before.status}, not interrupted`);
    const signers = officerIds.map((officerId) => {
      const o = db
        .prepare(
          `SELECT o.id, o.name, o.certificate_no AS certificateNo FROM session_officers so
           JOIN officers o ON o.id = so.officer_id WHERE so.session_id = ? AND so.officer_id = ?`,
        )
        .get(id, officerId) as { id: number; name: string; certificateNo: string } | undefined;
      if (!o) {
        throw new AppError(
          'RULE_VIOLATION',
          `officer ${officerId} is not an officer of this session; the statement is signed by the session's officers (R3.5)`,
        );
      }
      return o;
    });
    // Each officer in person, one after another (a wrong password stops here, nothing written).
    const confirmed: Awaited<ReturnType<UsersService['confirmOfficer']>>[] = [];
    for (const officerId of officerIds) {
      confirmed.push(
        await this.users.confirmOfficer(
          caller,
          officerId,
          confirmations.find((c) => c.officerId === officerId),
          { action: 'session.abandoned', caseId: before.case_id, since: before.started_at },
        ),
      );
    }
    db.transaction(() => {
      for (const who of confirmed) who.record();
      const s = this.session(id);
      if (s.status !== 'interrupted')
        throw new AppError('CONFLICT', `the session is ${s.status}, not interrupted`);
      const officers = signers.map((o, i) => ({
        ...o,
        confirmedBy: {
          officerId: o.id,
          userId: confirmed[i]!.userId,
          presence: confirmed[i]!.presence,
        },
      }));
      const last = lastSessionEvent<{ stoppedAt?: number }>(db, id, 'session.interrupted');
      const at = now();
      // The record ends when the recording stopped, not when the statement was written (R2.4).
      const stoppedAt = last?.stoppedAt ?? at;
      markEnded(db, id, stoppedAt);
      this.addEvent({
        session: s,
        at,
        kind: 'session.abandoned',
        userId: user.id,
        data: { statement, officers, stoppedAt },
      });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.abandoned',
        entity: 'session',
        entityId: id,
        caseId: s.case_id,
        data: { statement, officers, stoppedAt },
      });
    })();
    const session = this.sessions.get(id);
    this.deps.emit('case.changed', { caseId: session.caseId });
    return session;
  }

  // -------------------------------------------------------------------------------------
  // Lifecycle

  /** The connection that opened segments went away: they end, their sessions are interrupted. */
  connectionClosed(conn: number): void {
    this.endAndInterrupt(
      [...this.live.values()].filter((s) => s.owner === conn),
      'connection_lost',
      'the window that was recording closed or lost its connection to the core',
      'connection_lost',
    );
  }

  /**
   * Ends segments whole and interrupts their sessions (R3.5): the writer went away, went
   * silent, or the core is shutting down.
   */
  private endAndInterrupt(
    segs: LiveSegment[],
    reason: 'connection_lost' | 'shutdown',
    detail: string,
    fault: FaultEventKind,
  ): void {
    if (segs.length === 0) return;
    const sessions = new Set(segs.map((s) => s.sessionId));
    for (const seg of segs) this.safely(() => this.closeLive(seg, reason, null));
    for (const sessionId of sessions) {
      this.safely(() => this.interrupt(sessionId, reason, detail, fault));
    }
  }

  /** The session ended: segments still open are finished by the core. */
  /**
   * Where the recorded media of a session ends, in session ms (the latest segment end), or
   * null when nothing was recorded. The written end time may not claim less (R2.4).
   */
  mediaEndMs(sessionId: number): number | null {
    const row = this.deps.db
      .prepare(
        `SELECT MAX(session_time_us + COALESCE(duration_us, 0)) AS end_us
         FROM media_segments WHERE session_id = ? AND fragments > 0`,
      )
      .get(sessionId) as { end_us: number | null };
    return row.end_us === null ? null : Math.ceil(row.end_us / 1000);
  }

  sessionEnded(sessionId: number): void {
    for (const seg of [...this.live.values()].filter((s) => s.sessionId === sessionId)) {
      this.safely(() => this.closeLive(seg, 'session_ended', null));
    }
  }

  /** The core is closing: open segments end whole, their sessions are interrupted. */
  close(): void {
    this.endAndInterrupt(
      [...this.live.values()],
      'shutdown',
      'the core was shut down while recording',
      'safe_stop',
    );
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    for (const t of this.statusTimers.values()) clearTimeout(t);
    this.statusTimers.clear();
  }

  private safely(fn: () => void) {
    try {
      fn();
    } catch (e) {
      this.log(`recording: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}
