import type { SessionKind } from '../../../shared/domain';
import type { Db } from '../../platform/db/database';

// Queries other features use

/** A session as the case file lists it. */
export interface CaseSessionRow {
  id: number;
  kind: string;
  status: string;
  place: string;
  room: string | null;
  scheduledAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  createdAt: number;
}

/** The sessions of a case in the order they were made. */
export function sessionsOfCase(db: Db, caseId: number): CaseSessionRow[] {
  return db
    .prepare(
      `SELECT id, kind, status, place, room, scheduled_at AS scheduledAt, started_at AS startedAt,
              ended_at AS endedAt, created_at AS createdAt
       FROM sessions WHERE case_id = ? ORDER BY id`,
    )
    .all(caseId) as CaseSessionRow[];
}

/** The officers of a session, by officer id. */
export function officerIdsOfSession(db: Db, sessionId: number): number[] {
  return (
    db
      .prepare('SELECT officer_id FROM session_officers WHERE session_id = ? ORDER BY officer_id')
      .all(sessionId) as { officer_id: number }[]
  ).map((r) => r.officer_id);
}

/** The kind of a session, or null when there is no such session. */
export function sessionKindOf(db: Db, sessionId: number): SessionKind | null {
  const row = db.prepare('SELECT kind FROM sessions WHERE id = ?').get(sessionId) as
    { kind: SessionKind } | undefined;
  return row?.kind ?? null;
}

/** The measured offsets between a session's sources (ARCHITECTURE §3), or null if none. */
export function sessionMediaOffsets(db: Db, sessionId: number): unknown {
  const row = db.prepare('SELECT media_offsets FROM sessions WHERE id = ?').get(sessionId) as
    { media_offsets: string | null } | undefined;
  return row?.media_offsets ? (JSON.parse(row.media_offsets) as unknown) : null;
}

/** One entry of a session's timeline (table `session_events`). */
export interface TimelineEntry {
  id: number;
  at: number;
  /** Session time in µs, or null before the session started. */
  atUs: number | null;
  kind: string;
  sourceId: string | null;
  segmentId: number | null;
  userId: number | null;
  /** The event's data (JSON). */
  data: string;
}

/** A session's whole timeline, in the order it was written. */
export function sessionTimeline(db: Db, sessionId: number): TimelineEntry[] {
  return db
    .prepare(
      `SELECT id, at, at_us AS atUs, kind, source_id AS sourceId, segment_id AS segmentId,
              user_id AS userId, data
       FROM session_events WHERE session_id = ? ORDER BY id`,
    )
    .all(sessionId) as TimelineEntry[];
}
