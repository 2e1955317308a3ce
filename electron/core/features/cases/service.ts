import { AppError } from '../../../shared/errors';
import {
  APPROVAL_ROLE_HOLDERS,
  PHASES,
  type ApprovalDecision,
  type ApprovalDto,
  type ApprovalRole,
  type CaseDetailDto,
  type CaseOfficerDto,
  type CaseSummaryDto,
  type MatterKind,
  type OriginKind,
  type PartyDto,
  type PartyKind,
  type IdType,
  type Phase,
  type UserDto,
} from '../../../shared/domain';
import type { CaseCreateInput } from '../../../shared/api/index';
import { conflictOnUnique, requireUser, type Caller, type ServiceDeps } from '../context';
import type { SessionsService } from '../sessions';

interface CaseRow {
  id: number;
  case_no: string;
  cause: string;
  matter_kind: MatterKind;
  phase: Phase;
  origin_kind: OriginKind;
  origin_source: string | null;
  origin_reason: string | null;
  complainant: string | null;
  received_at: number | null;
  created_at: number;
  updated_at: number;
}
interface PartyRow {
  id: number;
  case_id: number;
  kind: PartyKind;
  name: string;
  id_type: IdType;
  id_number: string;
  address: string | null;
  contact: string | null;
  legal_representative: string | null;
}

export interface PartyFields {
  kind: PartyKind;
  name: string;
  idType: IdType;
  idNumber: string;
  address?: string | undefined;
  contact?: string | undefined;
  legalRepresentative?: string | undefined;
}

export function partyToDto(r: PartyRow): PartyDto {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    name: r.name,
    idType: r.id_type,
    idNumber: r.id_number,
    address: r.address,
    contact: r.contact,
    legalRepresentative: r.legal_representative,
  };
}

export class CasesService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessions: SessionsService,
  ) {}

  private row(id: number): CaseRow {
    const row = this.deps.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as
      CaseRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no case ${id}`);
    return row;
  }

  /** A case in the archiving phase is closed: its record can no longer change. */
  private writable(id: number): CaseRow {
    const row = this.row(id);
    if (row.phase === 'archiving')
      throw new AppError('CONFLICT', 'the case is archived and can no longer change');
    return row;
  }

  private audit(
    user: UserDto,
    action: string,
    caseId: number,
    entity: string,
    entityId: number,
    data: unknown,
  ) {
    this.deps.audit.append({
      at: this.deps.now(),
      actorUserId: user.id,
      actor: user.displayName,
      action,
      entity,
      entityId,
      caseId,
      data,
    });
  }

  private touch(id: number) {
    this.deps.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(this.deps.now(), id);
  }

  get(id: number): CaseDetailDto {
    const { db } = this.deps;
    const r = this.row(id);
    const parties = (
      db.prepare('SELECT * FROM parties WHERE case_id = ? ORDER BY id').all(id) as PartyRow[]
    ).map(partyToDto);
    const officers = (
      db
        .prepare(
          `SELECT o.id AS officerId, o.name, o.certificate_no AS certificateNo, co.lead
           FROM case_officers co JOIN officers o ON o.id = co.officer_id
           WHERE co.case_id = ? ORDER BY co.lead DESC, co.assigned_at, o.id`,
        )
        .all(id) as (Omit<CaseOfficerDto, 'lead'> & { lead: number })[]
    ).map((o) => ({ ...o, lead: o.lead === 1 }));
    const approvals = db
      .prepare(
        `SELECT a.id, a.case_id AS caseId, a.role, a.user_id AS userId, u.display_name AS userName,
                a.decision, a.opinion, a.decided_at AS decidedAt
         FROM approvals a JOIN users u ON u.id = a.user_id WHERE a.case_id = ? ORDER BY a.id`,
      )
      .all(id) as ApprovalDto[];
    return {
      id: r.id,
      caseNo: r.case_no,
      cause: r.cause,
      matterKind: r.matter_kind,
      phase: r.phase,
      originKind: r.origin_kind,
      origin: {
        kind: r.origin_kind,
        source: r.origin_source,
        reason: r.origin_reason,
        complainant: r.complainant,
        receivedAt: r.received_at,
      },
      parties,
      officers,
      approvals,
      sessions: this.sessions.listForCase(id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  list(filter: {
    query?: string | undefined;
    phase?: Phase | undefined;
    matterKind?: MatterKind | undefined;
    limit?: number | undefined;
    offset?: number | undefined;
  }): { items: CaseSummaryDto[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.phase) {
      where.push('c.phase = @phase');
      params.phase = filter.phase;
    }
    if (filter.matterKind) {
      where.push('c.matter_kind = @matterKind');
      params.matterKind = filter.matterKind;
    }
    if (filter.query) {
      // LIKE with the wildcards of the user's text escaped: a search for "100%" means that text.
      params.q = `%${filter.query.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      where.push(`(c.case_no LIKE @q ESCAPE '\\' OR c.cause LIKE @q ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND (p.name LIKE @q ESCAPE '\\' OR p.id_number LIKE @q ESCAPE '\\')))`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { db } = this.deps;
    const total = (
      db.prepare(`SELECT count(*) AS n FROM cases c ${clause}`).get(params) as { n: number }
    ).n;
    const rows = db
      .prepare(
        `SELECT c.*,
           (SELECT json_group_array(name) FROM (SELECT name FROM parties WHERE case_id = c.id ORDER BY id)) AS party_names,
           (SELECT count(*) FROM sessions s WHERE s.case_id = c.id) AS session_count
         FROM cases c ${clause} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: filter.limit ?? 50, offset: filter.offset ?? 0 }) as (CaseRow & {
      party_names: string;
      session_count: number;
    })[];
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        caseNo: r.case_no,
        cause: r.cause,
        matterKind: r.matter_kind,
        phase: r.phase,
        originKind: r.origin_kind,
        partyNames: JSON.parse(r.party_names) as string[],
        sessionCount: r.session_count,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
    };
  }

  private requireActiveOfficer(officerId: number) {
    const o = this.deps.db.prepare('SELECT active FROM officers WHERE id = ?').get(officerId) as
      { active: number } | undefined;
    if (!o) throw new AppError('NOT_FOUND', `no officer ${officerId}`);
    if (o.active !== 1) throw new AppError('CONFLICT', `officer ${officerId} is not active`);
  }

  private insertParty(caseId: number, p: PartyFields): number {
    return Number(
      this.deps.db
        .prepare(
          `INSERT INTO parties (case_id, kind, name, id_type, id_number, address, contact, legal_representative, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          caseId,
          p.kind,
          p.name,
          p.idType,
          p.idNumber.toUpperCase(),
          p.address ?? null,
          p.contact ?? null,
          p.legalRepresentative ?? null,
          this.deps.now(),
        ).lastInsertRowid,
    );
  }

  create(caller: Caller, input: CaseCreateInput): CaseDetailDto {
    const user = requireUser(caller);
    const { db, now } = this.deps;
    const detail = db.transaction(() => {
      const at = now();
      input.officerIds.forEach((o) => this.requireActiveOfficer(o));
      const id = conflictOnUnique(
        () =>
          Number(
            db
              .prepare(
                `INSERT INTO cases (case_no, cause, matter_kind, origin_kind, origin_source, origin_reason, complainant, received_at, created_by, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(
                input.caseNo,
                input.cause,
                input.matterKind,
                input.origin.kind,
                input.origin.source ?? null,
                input.origin.reason ?? null,
                input.origin.complainant ?? null,
                input.origin.receivedAt ?? null,
                user.id,
                at,
                at,
              ).lastInsertRowid,
          ),
        `the case number ${input.caseNo} already exists`,
      );
      input.officerIds.forEach((officerId, i) =>
        db
          .prepare(
            'INSERT INTO case_officers (case_id, officer_id, lead, assigned_at) VALUES (?, ?, ?, ?)',
          )
          .run(id, officerId, i === 0 ? 1 : 0, at),
      );
      this.audit(user, 'case.created', id, 'case', id, {
        caseNo: input.caseNo,
        cause: input.cause,
        matterKind: input.matterKind,
        origin: input.origin,
        officerIds: input.officerIds,
      });
      for (const p of input.parties ?? []) {
        const partyId = this.insertParty(id, p);
        this.audit(user, 'party.added', id, 'party', partyId, p);
      }
      return this.get(id);
    })();
    this.deps.emit('case.changed', { caseId: detail.id });
    return detail;
  }

  addParty(caller: Caller, caseId: number, party: PartyFields): PartyDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    const dto = db.transaction(() => {
      this.writable(caseId);
      const id = this.insertParty(caseId, party);
      this.audit(user, 'party.added', caseId, 'party', id, party);
      this.touch(caseId);
      return partyToDto(db.prepare('SELECT * FROM parties WHERE id = ?').get(id) as PartyRow);
    })();
    this.deps.emit('case.changed', { caseId });
    return dto;
  }

  assignOfficer(caller: Caller, caseId: number, officerId: number, lead = false): CaseDetailDto {
    const user = requireUser(caller);
    const { db, now } = this.deps;
    const detail = db.transaction(() => {
      this.writable(caseId);
      this.requireActiveOfficer(officerId);
      if (lead) db.prepare('UPDATE case_officers SET lead = 0 WHERE case_id = ?').run(caseId);
      const existing = db
        .prepare('SELECT 1 FROM case_officers WHERE case_id = ? AND officer_id = ?')
        .get(caseId, officerId);
      if (existing) {
        if (!lead) throw new AppError('CONFLICT', 'the officer is already on the case');
        db.prepare('UPDATE case_officers SET lead = 1 WHERE case_id = ? AND officer_id = ?').run(
          caseId,
          officerId,
        );
      } else {
        db.prepare(
          'INSERT INTO case_officers (case_id, officer_id, lead, assigned_at) VALUES (?, ?, ?, ?)',
        ).run(caseId, officerId, lead ? 1 : 0, now());
      }
      this.audit(user, 'case.officer_assigned', caseId, 'officer', officerId, { lead });
      this.touch(caseId);
      return this.get(caseId);
    })();
    this.deps.emit('case.changed', { caseId });
    return detail;
  }

  addApproval(
    caller: Caller,
    input: { caseId: number; role: ApprovalRole; decision: ApprovalDecision; opinion: string },
  ): CaseDetailDto {
    const user = requireUser(caller);
    const holders = APPROVAL_ROLE_HOLDERS[input.role];
    if (!user.roles.some((r) => holders.includes(r))) {
      throw new AppError(
        'FORBIDDEN',
        `the ${input.role} opinion is given by: ${holders.join(', ')}`,
      );
    }
    const { db } = this.deps;
    const detail = db.transaction(() => {
      this.writable(input.caseId);
      const at = this.deps.now();
      const id = Number(
        db
          .prepare(
            'INSERT INTO approvals (case_id, role, user_id, decision, opinion, decided_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(input.caseId, input.role, user.id, input.decision, input.opinion, at)
          .lastInsertRowid,
      );
      this.audit(user, 'case.approval', input.caseId, 'approval', id, input);
      this.touch(input.caseId);
      return this.get(input.caseId);
    })();
    this.deps.emit('case.changed', { caseId: input.caseId });
    return detail;
  }

  /**
   * Moves a case one phase forward (R1.1). Phases never go back, and none is skipped. Leaving
   * review for service needs the approver's (批准人) latest opinion to be "agree" (R1.4).
   */
  advancePhase(caller: Caller, caseId: number, to: Phase, note?: string): CaseDetailDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    const detail = db.transaction(() => {
      const row = this.writable(caseId);
      const from = PHASES.indexOf(row.phase);
      const target = PHASES.indexOf(to);
      if (target !== from + 1) {
        throw new AppError(
          'CONFLICT',
          `the case is in ${row.phase}; the next phase is ${PHASES[from + 1] ?? 'none'}, not ${to}`,
        );
      }
      if (row.phase === 'review') {
        const last = db
          .prepare(
            "SELECT decision FROM approvals WHERE case_id = ? AND role = 'approver' ORDER BY id DESC LIMIT 1",
          )
          .get(caseId) as { decision: ApprovalDecision } | undefined;
        if (last?.decision !== 'agree') {
          throw new AppError(
            'RULE_VIOLATION',
            'a decision is served only after the approver (批准人) has agreed (R1.4)',
          );
        }
      }
      const at = this.deps.now();
      db.prepare('UPDATE cases SET phase = ?, updated_at = ? WHERE id = ?').run(to, at, caseId);
      db.prepare(
        'INSERT INTO phase_changes (case_id, from_phase, to_phase, note, user_id, at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(caseId, row.phase, to, note ?? null, user.id, at);
      this.audit(user, 'case.phase_advanced', caseId, 'case', caseId, {
        from: row.phase,
        to,
        note: note ?? null,
      });
      return this.get(caseId);
    })();
    this.deps.emit('case.changed', { caseId });
    return detail;
  }

  /** Used by sessions: the case must exist and still be open. */
  requireWritable(caseId: number): void {
    this.writable(caseId);
  }
}
