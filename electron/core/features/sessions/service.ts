import { AppError } from '../../../shared/errors';
import {
  SESSION_KINDS_NEEDING_TWO_OFFICERS,
  type OfficerSessionRole,
  type ParticipantRole,
  type SessionDto,
  type SessionKind,
  type SessionStatus,
} from '../../../shared/domain';
import type { SessionCreateInput } from '../../../shared/api/index';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { markEnded, markStarted } from './lifecycle';

interface SessionRow {
  id: number;
  case_id: number;
  kind: SessionKind;
  status: SessionStatus;
  place: string;
  room: string | null;
  scheduled_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  time_zone: string | null;
  created_at: number;
}

/** Sessions of a case: interviews, hearings, summons talks, on-site inspections. */
export class SessionsService {
  constructor(private readonly deps: ServiceDeps) {}

  private toDto(r: SessionRow): SessionDto {
    const { db } = this.deps;
    return {
      id: r.id,
      caseId: r.case_id,
      kind: r.kind,
      status: r.status,
      place: r.place,
      room: r.room,
      scheduledAt: r.scheduled_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      timeZone: r.time_zone,
      createdAt: r.created_at,
      officers: db
        .prepare(
          `SELECT o.id AS officerId, o.name, o.certificate_no AS certificateNo, so.role
           FROM session_officers so JOIN officers o ON o.id = so.officer_id
           WHERE so.session_id = ? ORDER BY so.rowid`,
        )
        .all(r.id) as SessionDto['officers'],
      participants: db
        .prepare(
          'SELECT role, party_id AS partyId, name FROM session_participants WHERE session_id = ? ORDER BY id',
        )
        .all(r.id) as SessionDto['participants'],
    };
  }

  get(id: number): SessionDto {
    const row = this.deps.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
      SessionRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no session ${id}`);
    return this.toDto(row);
  }

  listForCase(caseId: number): SessionDto[] {
    return (
      this.deps.db
        .prepare('SELECT * FROM sessions WHERE case_id = ? ORDER BY id')
        .all(caseId) as SessionRow[]
    ).map((r) => this.toDto(r));
  }

  /**
   * Opens a session of a case. Rules checked here:
   * - interviews, summons talks, inspections and hearings need at least two officers (R1.3);
   * - a hearing has exactly one moderator (主持人), who is not one of the case's own
   *   investigating officers (a hearing is presided over by someone outside the investigation);
   * - participants named as parties must be parties of this case.
   */
  create(caller: Caller, input: SessionCreateInput): SessionDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const session = db.transaction(() => {
      const c = db.prepare('SELECT phase FROM cases WHERE id = ?').get(input.caseId) as
        { phase: string } | undefined;
      if (!c) throw new AppError('NOT_FOUND', `no case ${input.caseId}`);
      if (c.phase === 'archiving')
        throw new AppError('CONFLICT', 'the case is archived and can no longer change');
      if (SESSION_KINDS_NEEDING_TWO_OFFICERS.includes(input.kind) && input.officers.length < 2) {
        throw new AppError(
          'RULE_VIOLATION',
          'at least two officers must take part (R1.3: 执法人员不得少于两人)',
        );
      }
      for (const o of input.officers) {
        const officer = db.prepare('SELECT active FROM officers WHERE id = ?').get(o.officerId) as
          { active: number } | undefined;
        if (!officer) throw new AppError('NOT_FOUND', `no officer ${o.officerId}`);
        if (officer.active !== 1)
          throw new AppError('CONFLICT', `officer ${o.officerId} is not active`);
      }
      if (input.kind === 'hearing') {
        const moderators = input.officers.filter((o) => o.role === 'moderator');
        if (moderators.length !== 1) {
          throw new AppError('RULE_VIOLATION', 'a hearing has exactly one moderator (主持人)');
        }
        const investigates = db
          .prepare('SELECT 1 FROM case_officers WHERE case_id = ? AND officer_id = ?')
          .get(input.caseId, moderators[0]!.officerId);
        if (investigates) {
          throw new AppError(
            'RULE_VIOLATION',
            "the hearing moderator must not be one of the case's investigating officers",
          );
        }
      }
      for (const p of input.participants) {
        if (p.partyId === undefined) continue;
        const party = db
          .prepare('SELECT 1 FROM parties WHERE id = ? AND case_id = ?')
          .get(p.partyId, input.caseId);
        if (!party)
          throw new AppError('NOT_FOUND', `party ${p.partyId} is not a party of this case`);
      }
      const at = now();
      const id = Number(
        db
          .prepare(
            `INSERT INTO sessions (case_id, kind, place, room, scheduled_at, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            input.caseId,
            input.kind,
            input.place,
            input.room ?? null,
            input.scheduledAt ?? null,
            user.id,
            at,
          ).lastInsertRowid,
      );
      const addOfficer = db.prepare(
        'INSERT INTO session_officers (session_id, officer_id, role) VALUES (?, ?, ?)',
      );
      for (const o of input.officers)
        addOfficer.run(id, o.officerId, o.role satisfies OfficerSessionRole);
      const addParticipant = db.prepare(
        'INSERT INTO session_participants (session_id, role, party_id, name) VALUES (?, ?, ?, ?)',
      );
      for (const p of input.participants)
        addParticipant.run(id, p.role satisfies ParticipantRole, p.partyId ?? null, p.name);
      db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(at, input.caseId);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.created',
        entity: 'session',
        entityId: id,
        caseId: input.caseId,
        data: input,
      });
      return this.get(id);
    })();
    this.deps.emit('case.changed', { caseId: input.caseId });
    return session;
  }

  /**
   * Starts the session: session time 0 is now, recorded in UTC with the machine's time zone.
   * The recording (issue 6) anchors its clock here; the transcript is stamped against it.
   */
  start(caller: Caller, id: number): SessionDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const session = db.transaction(() => {
      const s = this.get(id);
      if (s.status !== 'planned') throw new AppError('CONFLICT', `the session is ${s.status}`);
      const at = now();
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      markStarted(db, id, at, timeZone);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.started',
        entity: 'session',
        entityId: id,
        caseId: s.caseId,
        data: { startedAt: at, timeZone },
      });
      return this.get(id);
    })();
    this.deps.emit('case.changed', { caseId: session.caseId });
    return session;
  }

  /** Ends the session (the UI asks for confirmation: the rules forbid selective recording). */
  end(
    caller: Caller,
    id: number,
    stoppedAtSessionMs?: number,
    mediaEndMs?: number | null,
  ): SessionDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const session = db.transaction(() => {
      const s = this.get(id);
      if (s.status !== 'recording') throw new AppError('CONFLICT', `the session is ${s.status}`);
      // The end is when the recording stopped (R2.4); never later than now, never before the start.
      const stoppedAt =
        stoppedAtSessionMs !== undefined && s.startedAt !== null
          ? Math.min(now(), s.startedAt + stoppedAtSessionMs)
          : now();
      // ...and never before the end of what was recorded.
      const at =
        mediaEndMs != null && s.startedAt !== null
          ? Math.min(now(), Math.max(stoppedAt, s.startedAt + mediaEndMs))
          : stoppedAt;
      markEnded(db, id, at);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.ended',
        entity: 'session',
        entityId: id,
        caseId: s.caseId,
        data: { endedAt: at, durationMs: at - (s.startedAt ?? at) },
      });
      return this.get(id);
    })();
    this.deps.emit('case.changed', { caseId: session.caseId });
    return session;
  }
}
