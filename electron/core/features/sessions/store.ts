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
