/**
 * The one owner of a session's status and of its timeline (`sessions.status`,
 * `sessions.started_at`/`ended_at`, `session_events`). Recording, signing and sealing move a
 * session on only through these functions, so each transition is checked in one place: a
 * session is planned, then recording, possibly interrupted and resumed, then ended, then
 * sealed, and never goes back.
 *
 * Each function runs inside the caller's transaction (better-sqlite3 nests them), so the
 * change, its timeline entry and its audit entry are written together or not at all.
 */
import { AppError } from '../../../shared/errors';
import type { SessionStatus } from '../../../shared/domain';
import type { TimelineKind } from '../../../shared/api/recording';
import type { SigningTimelineKind } from '../../../shared/api/signing';
import type { Db } from '../../platform/db/database';

/** What may follow each status; anything else is refused. */
const NEXT: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  planned: ['recording'],
  recording: ['interrupted', 'ended'],
  interrupted: ['recording', 'ended'],
  ended: ['sealed'],
  sealed: [],
};

export function canMove(from: SessionStatus, to: SessionStatus): boolean {
  return NEXT[from].includes(to);
}

function statusOf(db: Db, sessionId: number): SessionStatus {
  const row = db.prepare('SELECT status FROM sessions WHERE id = ?').get(sessionId) as
    { status: SessionStatus } | undefined;
  if (!row) throw new AppError('NOT_FOUND', `no session ${sessionId}`);
  return row.status;
}

/**
 * Moves a session from one of `from` to `to`; refuses (CONFLICT) when it is elsewhere.
 * `fields` are the times the transition records (the start anchors the session clock, the
 * end is when the recording stopped).
 */
function move(
  db: Db,
  sessionId: number,
  to: SessionStatus,
  fields: { started_at?: number; time_zone?: string; ended_at?: number } = {},
): void {
  const from = statusOf(db, sessionId);
  if (!canMove(from, to)) {
    throw new AppError('CONFLICT', `the session is ${from}`);
  }
  const sets = ['status = ?', ...Object.keys(fields).map((k) => `${k} = ?`)];
  db.prepare(`UPDATE sessions SET ${sets.join(', ')} WHERE id = ? AND status = ?`).run(
    to,
    ...Object.values(fields),
    sessionId,
    from,
  );
}

/** Planned → recording: session time 0 is `at`, in the machine's `timeZone`. */
export function markStarted(db: Db, sessionId: number, at: number, timeZone: string): void {
  move(db, sessionId, 'recording', { started_at: at, time_zone: timeZone });
}

/** Recording → interrupted. Returns false (and changes nothing) when it is not recording. */
export function markInterrupted(db: Db, sessionId: number): boolean {
  if (statusOf(db, sessionId) !== 'recording') return false;
  move(db, sessionId, 'interrupted');
  return true;
}

/** Interrupted → recording. */
export function markResumed(db: Db, sessionId: number): void {
  move(db, sessionId, 'recording');
}

/** Recording or interrupted → ended, at `endedAt` (when the recording stopped, R2.4). */
export function markEnded(db: Db, sessionId: number, endedAt: number): void {
  move(db, sessionId, 'ended', { ended_at: endedAt });
}

/** Ended → sealed. */
export function markSealed(db: Db, sessionId: number): void {
  move(db, sessionId, 'sealed');
}

export type SessionEventKind = TimelineKind | SigningTimelineKind;

export interface SessionEventInput {
  sessionId: number;
  /** When the session started (null before it did): the event's session time derives from it. */
  startedAt: number | null;
  at: number;
  kind: SessionEventKind;
  sourceId?: string | null;
  segmentId?: number | null;
  userId?: number | null;
  data: unknown;
}

/** Appends to the session timeline; call inside the transaction of the change it records. */
export function appendSessionEvent(db: Db, e: SessionEventInput): number {
  return Number(
    db
      .prepare(
        `INSERT INTO session_events (session_id, at, at_us, kind, source_id, segment_id, user_id, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.sessionId,
        e.at,
        e.startedAt === null ? null : (e.at - e.startedAt) * 1000,
        e.kind,
        e.sourceId ?? null,
        e.segmentId ?? null,
        e.userId ?? null,
        JSON.stringify(e.data ?? null),
      ).lastInsertRowid,
  );
}

/** The data of the latest event of a kind on a session's timeline, or null. */
export function lastSessionEvent<T>(db: Db, sessionId: number, kind: SessionEventKind): T | null {
  const row = db
    .prepare(
      'SELECT data FROM session_events WHERE session_id = ? AND kind = ? ORDER BY id DESC LIMIT 1',
    )
    .get(sessionId, kind) as { data: string } | undefined;
  return row ? (JSON.parse(row.data) as T) : null;
}

/** Keeps the measured offsets between sources in the session record (ARCHITECTURE §3). */
export function recordMediaOffsets(db: Db, sessionId: number, offsets: unknown): void {
  db.prepare('UPDATE sessions SET media_offsets = ? WHERE id = ?').run(
    JSON.stringify(offsets),
    sessionId,
  );
}

/** One entry of a session's timeline as stored (`data` parsed). */
export interface SessionEventRecord {
  id: number;
  sessionId: number;
  at: number;
  atUs: number | null;
  kind: SessionEventKind;
  sourceId: string | null;
  segmentId: number | null;
  userId: number | null;
  data: unknown;
}

/** A session's timeline, oldest first. */
/** A session's timeline, in order; only entries of `kind` when it is given. */
export function sessionEvents(
  db: Db,
  sessionId: number,
  kind?: SessionEventKind,
): SessionEventRecord[] {
  return (
    db
      .prepare(
        `SELECT id, session_id, at, at_us, kind, source_id, segment_id, user_id, data
         FROM session_events WHERE session_id = ?${kind ? ' AND kind = ?' : ''} ORDER BY id`,
      )
      .all(...(kind ? [sessionId, kind] : [sessionId])) as {
      id: number;
      session_id: number;
      at: number;
      at_us: number | null;
      kind: SessionEventKind;
      source_id: string | null;
      segment_id: number | null;
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
    segmentId: e.segment_id,
    userId: e.user_id,
    data: JSON.parse(e.data) as unknown,
  }));
}
