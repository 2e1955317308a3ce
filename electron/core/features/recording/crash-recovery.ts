/**
 * Crash recovery (R3.5): segments a previous core left open are cut back to their last whole
 * fragment, their journal completed from the file, and their sessions interrupted.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { RecoverResultDto } from '../../../shared/api/recording';
import type { Caller } from '../context';
import { sessionIdsInStatus } from '../sessions';
import type { RecordingContext } from './context';
import type { Interruptions } from './interruptions';
import { recoverSegmentFile } from './media';
import {
  insertFragments,
  journalSummary,
  markSegmentRecovered,
  openSegmentRows,
  type SegmentRow,
} from './store';

export class CrashRecovery {
  constructor(
    private readonly ctx: RecordingContext,
    private readonly interruptions: Interruptions,
  ) {}

  /**
   * Recovers segments a previous core left open: each file is scanned from its first box,
   * cut back to its last whole fragment, rehashed; fragments found beyond the journal are
   * journaled (`recovered`); the segment becomes `recovered` with what was cut and why, and
   * its session `interrupted`. At start-up (`atStartup`), every session still `recording` is
   * interrupted too: its recording cannot have survived the core that was receiving it.
   */
  recover(caller: Caller | null, atStartup = false): RecoverResultDto {
    const { ctx } = this;
    const { db } = ctx.deps;
    const stale = openSegmentRows(db).filter((r) => !ctx.live.has(r.id));
    const result: RecoverResultDto = { segments: [], sessions: [] };
    const stoppedAt = new Map<number, number>();
    for (const row of stale) {
      const segment = this.recoverSegment(caller, row, atStartup);
      stoppedAt.set(row.session_id, Math.max(stoppedAt.get(row.session_id) ?? 0, segment.last));
      result.segments.push(segment.summary);
    }
    const sessions = new Set(stoppedAt.keys());
    if (atStartup) {
      for (const id of sessionIdsInStatus(db, 'recording')) sessions.add(id);
    }
    for (const sessionId of sessions) {
      const s = ctx.session(sessionId);
      if (s.status !== 'recording') continue;
      // A session still recording in a live core (recover called at run time) keeps going.
      if (!atStartup && ctx.liveOf(sessionId).length > 0) continue;
      const segs = result.segments.filter((x) => x.sessionId === sessionId);
      const detail =
        segs.length > 0
          ? `the core stopped while recording; ${segs.length} segment(s) cut back to their last whole fragment`
          : 'the core stopped while the session was recording';
      this.interruptions.interrupt(
        sessionId,
        'core_stopped',
        detail,
        'recovered',
        stoppedAt.get(sessionId),
      );
      result.sessions.push(sessionId);
    }
    return result;
  }

  /**
   * Recovers one segment; returns its summary and when it was last known written (the latest
   * of the file's mtime, its last journal entry and its opening).
   */
  private recoverSegment(
    caller: Caller | null,
    row: SegmentRow,
    atStartup: boolean,
  ): { summary: RecoverResultDto['segments'][number]; last: number } {
    const { ctx } = this;
    const user = caller?.user ?? null;
    const { db, audit, now } = ctx.deps;
    const abs = ctx.absolute(row.path);
    const journaled = journalSummary(db, row.id);
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
        relative(ctx.dataDir, f).split(sep).join('/'),
      ),
      // Their SHA-256 as kept: the seal copies them with the segment and checks each.
      cutFilesSha256: Object.fromEntries(
        (recovered?.cutFiles ?? []).map((f) => [
          relative(ctx.dataDir, f).split(sep).join('/'),
          createHash('sha256').update(readFileSync(f)).digest('hex'),
        ]),
      ),
      atStartup,
    };
    db.transaction(() => {
      if (recovered) {
        insertFragments(
          db,
          row.id,
          recovered.units.map((u, seq) => ({ ...u, seq })).filter((u) => u.seq >= journaled.n),
          at,
          true,
        );
      }
      markSegmentRecovered(db, row.id, {
        at,
        bytes: recovered?.wholeBytes ?? 0,
        fragments: recovered?.fragments ?? 0,
        durationUs: recovered?.durationUs ?? null,
        sha256: recovered?.sha256 ?? '0'.repeat(64),
        recovery,
      });
      const s = ctx.session(row.session_id);
      ctx.addEvent({
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
        caseId: s.caseId,
        data: {
          sourceId: row.source_id,
          segment: row.segment,
          path: row.path,
          sha256: recovered?.sha256 ?? null,
          ...recovery,
        },
      });
    })();
    ctx.log(
      `recording: recovered ${row.path}: kept ${recovery.keptBytes} bytes, cut ${recovery.bytesCut} (${reason})`,
    );
    return {
      summary: {
        sessionId: row.session_id,
        sourceId: row.source_id,
        segment: row.segment,
        path: row.path,
        bytesCut: recovery.bytesCut,
        keptBytes: recovery.keptBytes,
        fragments: recovered?.fragments ?? 0,
        sha256: recovered?.sha256 ?? null,
        reason,
      },
      last,
    };
  }
}
