/** SQL on the tables of access: case clerks, access requests and the decisions on them. */
import type { Db } from '../../platform/db/database';
import type { AccessMode } from '../../../shared/api/access';
import type { DecisionFacts, RequestFacts } from './rules';

// Case clerks: the latest change of each clerk of a case is in force.

const CURRENT_CLERKS = `SELECT c.case_id, c.user_id FROM case_clerk_changes c
  WHERE c.change = 'assigned' AND c.id = (SELECT max(id) FROM case_clerk_changes x
    WHERE x.case_id = c.case_id AND x.user_id = c.user_id)`;

export function clerksOfCase(
  db: Db,
  caseId: number,
): { userId: number; name: string; assignedAt: number }[] {
  return db
    .prepare(
      `SELECT c.user_id AS userId, u.display_name AS name, c.changed_at AS assignedAt
       FROM case_clerk_changes c JOIN users u ON u.id = c.user_id
       WHERE c.case_id = @caseId AND c.change = 'assigned' AND c.id = (SELECT max(id)
         FROM case_clerk_changes x WHERE x.case_id = c.case_id AND x.user_id = c.user_id)
       ORDER BY c.changed_at`,
    )
    .all({ caseId }) as { userId: number; name: string; assignedAt: number }[];
}

export function isClerkOfCase(db: Db, caseId: number, userId: number): boolean {
  const row = db
    .prepare(
      'SELECT change FROM case_clerk_changes WHERE case_id = ? AND user_id = ? ORDER BY id DESC LIMIT 1',
    )
    .get(caseId, userId) as { change: string } | undefined;
  return row?.change === 'assigned';
}

export function insertClerkChange(
  db: Db,
  row: { caseId: number; userId: number; change: 'assigned' | 'removed'; by: number; at: number },
): void {
  db.prepare(
    `INSERT INTO case_clerk_changes (case_id, user_id, change, changed_by, changed_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(row.caseId, row.userId, row.change, row.by, row.at);
}

/** Whether the officer is one of the case's officers or an officer of any of its sessions. */
export function isOfficerOfCaseTeam(db: Db, caseId: number, officerId: number): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM case_officers WHERE case_id = @c AND officer_id = @o
         UNION ALL
         SELECT 1 FROM session_officers so JOIN sessions s ON s.id = so.session_id
         WHERE s.case_id = @c AND so.officer_id = @o LIMIT 1`,
      )
      .get({ c: caseId, o: officerId }) !== undefined
  );
}

// Requests and decisions

interface RequestRow {
  id: number;
  case_id: number;
  user_id: number;
  mode: AccessMode;
  sessions: string | null;
  purpose: string;
  days: number;
  requested_at: number;
}

export interface StoredRequest extends RequestFacts {
  purpose: string;
}

function toRequest(r: RequestRow): StoredRequest {
  return {
    id: r.id,
    caseId: r.case_id,
    userId: r.user_id,
    mode: r.mode,
    sessions: r.sessions === null ? null : (JSON.parse(r.sessions) as number[]),
    purpose: r.purpose,
    days: r.days,
    requestedAt: r.requested_at,
  };
}

export function insertRequest(db: Db, r: Omit<StoredRequest, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO access_requests (case_id, user_id, mode, sessions, purpose, days, requested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.caseId,
        r.userId,
        r.mode,
        r.sessions === null ? null : JSON.stringify(r.sessions),
        r.purpose,
        r.days,
        r.requestedAt,
      ).lastInsertRowid,
  );
}

export function requestById(db: Db, id: number): StoredRequest | undefined {
  const row = db.prepare('SELECT * FROM access_requests WHERE id = ?').get(id) as
    RequestRow | undefined;
  return row ? toRequest(row) : undefined;
}

/** Requests filtered by requester and case, newest first. */
export function requests(
  db: Db,
  filter: { userId?: number | undefined; caseId?: number | undefined },
): StoredRequest[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.userId !== undefined) {
    where.push('user_id = @userId');
    params.userId = filter.userId;
  }
  if (filter.caseId !== undefined) {
    where.push('case_id = @caseId');
    params.caseId = filter.caseId;
  }
  return (
    db
      .prepare(
        `SELECT * FROM access_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT 2000`,
      )
      .all(params) as RequestRow[]
  ).map(toRequest);
}

export interface StoredDecision extends DecisionFacts {
  opinion: string;
  decidedBy: string;
}

export function decisionsOf(db: Db, requestId: number): StoredDecision[] {
  return (
    db
      .prepare(
        `SELECT d.decision, d.opinion, d.valid_until AS validUntil, d.sessions,
                d.decided_at AS decidedAt, u.display_name AS decidedBy
         FROM access_decisions d JOIN users u ON u.id = d.decided_by
         WHERE d.request_id = ? ORDER BY d.id`,
      )
      .all(requestId) as (Omit<StoredDecision, 'sessions'> & { sessions: string | null })[]
  ).map((d) => ({
    ...d,
    sessions: d.sessions === null ? null : (JSON.parse(d.sessions) as number[]),
  }));
}

export function insertDecision(
  db: Db,
  d: {
    requestId: number;
    decision: DecisionFacts['decision'];
    opinion: string;
    validUntil: number | null;
    sessions: number[] | null;
    by: number;
    at: number;
  },
): void {
  db.prepare(
    `INSERT INTO access_decisions (request_id, decision, opinion, valid_until, sessions, decided_by, decided_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    d.requestId,
    d.decision,
    d.opinion,
    d.validUntil,
    d.sessions === null ? null : JSON.stringify(d.sessions),
    d.by,
    d.at,
  );
}

/** The cases whose team the account is on (any phase). */
export function teamCaseIds(db: Db, userId: number, officerId: number | null): number[] {
  return (
    db
      .prepare(
        `SELECT case_id AS id FROM (${CURRENT_CLERKS}) WHERE user_id = @u
         UNION SELECT case_id FROM case_officers WHERE officer_id = @o
         UNION SELECT s.case_id FROM session_officers so JOIN sessions s ON s.id = so.session_id
         WHERE so.officer_id = @o`,
      )
      .all({ u: userId, o: officerId ?? -1 }) as { id: number }[]
  ).map((r) => r.id);
}
