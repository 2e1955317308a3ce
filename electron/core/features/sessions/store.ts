/**
 * SQL on the sessions' tables (sessions, session_officers, session_participants). The status,
 * the start and end times and the timeline are written by lifecycle.ts alone.
 */
import type {
  AgentAuthority,
  PersonParticulars,
  OfficerSessionRole,
  ParticipantRole,
  SessionKind,
  SessionParticipantDto,
  SessionStatus,
} from '../../../shared/domain';
import type { Db } from '../../platform/db/database';

export interface SessionRow {
  id: number;
  case_id: number;
  kind: SessionKind;
  status: SessionStatus;
  place: string;
  room: string | null;
  subject: string | null;
  scheduled_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  time_zone: string | null;
  created_at: number;
  av_list_version: number | null;
  av_requirement: 'whole' | 'record' | null;
}

export function sessionRow(db: Db, id: number): SessionRow | undefined {
  return db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
}

export function sessionRowsOfCase(db: Db, caseId: number): SessionRow[] {
  return db
    .prepare('SELECT * FROM sessions WHERE case_id = ? ORDER BY id')
    .all(caseId) as SessionRow[];
}

/** The officers of a session with their roles, in the order they were named. */
export function sessionOfficerLinks(
  db: Db,
  sessionId: number,
): { officerId: number; role: OfficerSessionRole }[] {
  return db
    .prepare(
      'SELECT officer_id AS officerId, role FROM session_officers WHERE session_id = ? ORDER BY rowid',
    )
    .all(sessionId) as { officerId: number; role: OfficerSessionRole }[];
}

export function sessionParticipants(db: Db, sessionId: number): SessionParticipantDto[] {
  const rows = db
    .prepare(
      `SELECT role, party_id AS partyId, name, authority, mandate, particulars
       FROM session_participants WHERE session_id = ? ORDER BY id`,
    )
    .all(sessionId) as (Omit<SessionParticipantDto, 'authority' | 'mandate' | 'particulars'> & {
    authority: AgentAuthority | null;
    mandate: string | null;
    particulars: string | null;
  })[];
  return rows.map(({ authority, mandate, particulars, ...p }) => ({
    ...p,
    ...(authority ? { authority } : {}),
    ...(mandate ? { mandate } : {}),
    ...(particulars ? { particulars: JSON.parse(particulars) as PersonParticulars } : {}),
  }));
}

/** A new planned session; returns its id. */
export function insertSession(
  db: Db,
  s: {
    caseId: number;
    kind: SessionKind;
    place: string;
    room: string | null;
    subject: string | null;
    scheduledAt: number | null;
    createdBy: number;
    createdAt: number;
  },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO sessions (case_id, kind, place, room, subject, scheduled_at, created_by,
           created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.caseId, s.kind, s.place, s.room, s.subject, s.scheduledAt, s.createdBy, s.createdAt)
      .lastInsertRowid,
  );
}

export function insertSessionOfficers(
  db: Db,
  sessionId: number,
  officers: readonly { officerId: number; role: OfficerSessionRole }[],
): void {
  const add = db.prepare(
    'INSERT INTO session_officers (session_id, officer_id, role) VALUES (?, ?, ?)',
  );
  for (const o of officers) add.run(sessionId, o.officerId, o.role);
}

export function insertSessionParticipants(
  db: Db,
  sessionId: number,
  participants: readonly {
    role: ParticipantRole;
    partyId?: number | undefined;
    name: string;
    authority?: AgentAuthority | undefined;
    mandate?: string | undefined;
    particulars?: PersonParticulars | undefined;
  }[],
): void {
  const add = db.prepare(
    `INSERT INTO session_participants (session_id, role, party_id, name, authority, mandate,
       particulars) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of participants)
    add.run(
      sessionId,
      p.role,
      p.partyId ?? null,
      p.name,
      p.authority ?? null,
      p.mandate ?? null,
      p.particulars ? JSON.stringify(p.particulars) : null,
    );
}

// Queries other features use

/** What recording needs to know of a session on every step: its case, status and start. */
export interface SessionHead {
  id: number;
  caseId: number;
  kind: SessionKind;
  status: SessionStatus;
  /** UTC ms of session time 0, null before the session started. */
  startedAt: number | null;
}

/** The head of a session, or undefined when there is no such session. */
export function sessionHead(db: Db, id: number): SessionHead | undefined {
  const row = db
    .prepare('SELECT id, case_id, kind, status, started_at FROM sessions WHERE id = ?')
    .get(id) as
    | {
        id: number;
        case_id: number;
        kind: SessionKind;
        status: SessionStatus;
        started_at: number | null;
      }
    | undefined;
  return row
    ? {
        id: row.id,
        caseId: row.case_id,
        kind: row.kind,
        status: row.status,
        startedAt: row.started_at,
      }
    : undefined;
}

/** The ids of the sessions in a status, in no particular order. */
export function sessionIdsInStatus(db: Db, status: SessionStatus): number[] {
  return (
    db.prepare('SELECT id FROM sessions WHERE status = ?').all(status) as { id: number }[]
  ).map((r) => r.id);
}

/** The media offsets kept in the session record (lifecycle.recordMediaOffsets), or null. */
export function storedMediaOffsets(db: Db, sessionId: number): unknown {
  const row = db.prepare('SELECT media_offsets FROM sessions WHERE id = ?').get(sessionId) as
    { media_offsets: string | null } | undefined;
  return row?.media_offsets ? (JSON.parse(row.media_offsets) as unknown) : null;
}

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

/** How many sessions a case has (any status). */
export function sessionCountOfCase(db: Db, caseId: number): number {
  return (
    db.prepare('SELECT count(*) AS n FROM sessions WHERE case_id = ?').get(caseId) as { n: number }
  ).n;
}

/** The officers of every session of a case, with their role there (moderator, recorder, …). */
export function sessionOfficersOfCase(
  db: Db,
  caseId: number,
): { sessionId: number; officerId: number; name: string; role: string }[] {
  return db
    .prepare(
      `SELECT so.session_id AS sessionId, so.officer_id AS officerId, o.name, so.role
       FROM session_officers so JOIN sessions s ON s.id = so.session_id
       JOIN officers o ON o.id = so.officer_id WHERE s.case_id = ? ORDER BY so.session_id, o.name`,
    )
    .all(caseId) as { sessionId: number; officerId: number; name: string; role: string }[];
}

/** How many sessions naming the party have ended (their record written, maybe signed). */
export function endedSessionsNamingParty(db: Db, partyId: number): number {
  return (
    db
      .prepare(
        `SELECT count(DISTINCT s.id) AS n FROM session_participants p JOIN sessions s ON s.id = p.session_id
         WHERE p.party_id = ? AND s.status IN ('ended', 'sealed')`,
      )
      .get(partyId) as { n: number }
  ).n;
}

/** The A/V matters list's version and requirement the session was started under (R3.2). */
export function recordAvRequirement(
  db: Db,
  sessionId: number,
  version: number,
  requirement: 'whole' | 'record',
): void {
  db.prepare('UPDATE sessions SET av_list_version = ?, av_requirement = ? WHERE id = ?').run(
    version,
    requirement,
    sessionId,
  );
}
