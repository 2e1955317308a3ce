import { AppError } from '../../../shared/errors';
import type {
  CaseDetailDto,
  CaseOfficerDto,
  CaseSummaryDto,
  PartyDto,
  Phase,
  UserDto,
} from '../../../shared/domain';
import type { CaseCreateInput } from '../../../shared/api/index';
import { conflictOnUnique, requireUser, type Caller, type ServiceDeps } from '../context';
import { officerCard } from '../registers';
import { endedSessionsNamingParty, sessionCountOfCase, type SessionsService } from '../sessions';
import { needsApprovedDecision, requireNextPhase, requireNotArchiving, requireOpen } from './rules';
import {
  caseOfficerLinks,
  caseRow,
  clearCaseLead,
  insertCase,
  insertCaseOfficer,
  insertParty,
  isPartyOfCase,
  updateParty,
  insertPhaseChange,
  isCaseOfficer,
  listCases,
  partiesOfCase,
  partyById,
  setCaseLead,
  setCasePhase,
  touchCase,
  type CaseFilter,
  type CaseRow,
  type PartyFields,
} from './store';
import type { AuditAction, AuditEntity } from '../../../shared/audit-actions';

/** Cases: their record (origin, parties, officers, approvals) and the phases they go through. */
/** What the case asks of the features that decide and file it. */
export interface CasePorts {
  /** Whether an approved decision form lets the case leave review (R1.4). */
  decisionApproved(caseId: number): boolean;
}

export class CasesService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessions: SessionsService,
    private readonly ports: CasePorts,
  ) {}

  private row(id: number): CaseRow {
    const row = caseRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `no case ${id}`);
    return row;
  }

  /** The case, refused when it is closed. */
  private writable(id: number): CaseRow {
    const row = this.row(id);
    requireOpen(row.phase);
    return row;
  }

  private audit(
    user: UserDto,
    action: AuditAction,
    caseId: number,
    entity: AuditEntity,
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
    touchCase(this.deps.db, id, this.deps.now());
  }

  get(id: number): CaseDetailDto {
    const { db } = this.deps;
    const r = this.row(id);
    const officers = caseOfficerLinks(db, id).flatMap((link): CaseOfficerDto[] => {
      const officer = officerCard(db, link.officerId);
      return officer
        ? [
            {
              officerId: officer.id,
              name: officer.name,
              certificateNo: officer.certificateNo,
              lead: link.lead,
            },
          ]
        : [];
    });
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
      parties: partiesOfCase(db, id),
      officers,
      emergency: r.emergency_reason,
      sessions: this.sessions.listForCase(id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  list(filter: CaseFilter): { items: CaseSummaryDto[]; total: number } {
    const { db } = this.deps;
    const { total, rows } = listCases(db, filter);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        caseNo: r.case_no,
        cause: r.cause,
        matterKind: r.matter_kind,
        phase: r.phase,
        originKind: r.origin_kind,
        partyNames: r.partyNames,
        sessionCount: sessionCountOfCase(db, r.id),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
    };
  }

  private requireActiveOfficer(officerId: number) {
    const o = officerCard(this.deps.db, officerId);
    if (!o) throw new AppError('NOT_FOUND', `no officer ${officerId}`);
    if (!o.active) throw new AppError('CONFLICT', `officer ${officerId} is not active`);
  }

  create(caller: Caller, input: CaseCreateInput): CaseDetailDto {
    const user = requireUser(caller);
    const { db, now } = this.deps;
    const detail = db.transaction(() => {
      const at = now();
      input.officerIds.forEach((o) => this.requireActiveOfficer(o));
      const id = conflictOnUnique(
        () => insertCase(db, input, user.id, at),
        `the case number ${input.caseNo} already exists`,
      );
      input.officerIds.forEach((officerId, i) => insertCaseOfficer(db, id, officerId, i === 0, at));
      this.audit(user, 'case.created', id, 'case', id, {
        caseNo: input.caseNo,
        cause: input.cause,
        matterKind: input.matterKind,
        origin: input.origin,
        officerIds: input.officerIds,
      });
      for (const p of input.parties ?? []) {
        const partyId = insertParty(db, id, p, now());
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
      const id = insertParty(db, caseId, party, this.deps.now());
      this.audit(user, 'party.added', caseId, 'party', id, party);
      this.touch(caseId);
      return partyById(db, id);
    })();
    this.deps.emit('case.changed', { caseId });
    return dto;
  }

  /**
   * Completes or corrects a party's details at the desk (what the record's header prints);
   * the entry keeps what each changed field was and became.
   */
  updateParty(
    caller: Caller,
    caseId: number,
    partyId: number,
    party: PartyFields,
    reason?: string,
  ): PartyDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    const dto = db.transaction(() => {
      this.writable(caseId);
      if (!isPartyOfCase(db, partyId, caseId)) {
        throw new AppError('NOT_FOUND', `party ${partyId} is not a party of case ${caseId}`);
      }
      const before = partyById(db, partyId);
      if (party.kind !== before.kind) {
        throw new AppError('INVALID_INPUT', 'a party stays a person or an organisation', [
          { path: 'party.kind', message: 'cannot change' },
        ]);
      }
      // A record already written names the party as they were: changing who they are then
      // is a correction with a stated reason, kept in the audit trail.
      const identityChanges =
        party.name !== before.name ||
        party.idType !== before.idType ||
        party.idNumber.toUpperCase() !== before.idNumber;
      if (identityChanges && !reason && endedSessionsNamingParty(db, partyId) > 0) {
        throw new AppError(
          'RULE_VIOLATION',
          '已有笔录载明该当事人的姓名和证件，更正姓名或证件须写明理由',
          [{ path: 'reason', message: 'required' }],
        );
      }
      updateParty(db, partyId, party);
      const after = partyById(db, partyId);
      const changed = Object.fromEntries(
        (Object.keys(after) as (keyof PartyDto)[])
          .filter((k) => after[k] !== before[k])
          .map((k) => [k, { from: before[k], to: after[k] }]),
      );
      this.audit(user, 'party.updated', caseId, 'party', partyId, {
        changed,
        reason: reason ?? null,
      });
      this.touch(caseId);
      return after;
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
      if (lead) clearCaseLead(db, caseId);
      if (isCaseOfficer(db, caseId, officerId)) {
        if (!lead) throw new AppError('CONFLICT', 'the officer is already on the case');
        setCaseLead(db, caseId, officerId);
      } else {
        insertCaseOfficer(db, caseId, officerId, lead, now());
      }
      this.audit(user, 'case.officer_assigned', caseId, 'officer', officerId, { lead });
      this.touch(caseId);
      return this.get(caseId);
    })();
    this.deps.emit('case.changed', { caseId });
    return detail;
  }

  /**
   * Moves a case one phase forward (R1.1). Phases never go back, and none is skipped. Leaving
   * review for service needs an approved decision form (R1.4); archiving is the filing act's.
   */
  advancePhase(caller: Caller, caseId: number, to: Phase, note?: string): CaseDetailDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    const detail = db.transaction(() => {
      const row = this.writable(caseId);
      requireNextPhase(row.phase, to);
      requireNotArchiving(to);
      if (needsApprovedDecision(row.phase) && !this.ports.decisionApproved(caseId))
        throw new AppError(
          'RULE_VIOLATION',
          '处理决定须经法制审核、负责人批准（重大案件经集体讨论）后才能送达执行；请先办结决定审批表 (R1.4)',
        );
      this.enterPhase(user, row.phase, to, caseId, note);
      return this.get(caseId);
    })();
    this.deps.emit('case.changed', { caseId });
    return detail;
  }

  /**
   * Archives the case: the filing act's last step, inside its transaction (the one way a case
   * enters archiving).
   */
  archive(user: UserDto, caseId: number, note: string): void {
    const row = this.writable(caseId);
    requireNextPhase(row.phase, 'archiving');
    this.enterPhase(user, row.phase, 'archiving', caseId, note);
  }

  private enterPhase(user: UserDto, from: Phase, to: Phase, caseId: number, note?: string) {
    const { db } = this.deps;
    const at = this.deps.now();
    setCasePhase(db, caseId, to, at);
    insertPhaseChange(db, { caseId, from, to, note: note ?? null, userId: user.id }, at);
    this.audit(user, 'case.phase_advanced', caseId, 'case', caseId, {
      from,
      to,
      note: note ?? null,
    });
  }

  /** Used by sessions: the case must exist and still be open. */
  requireWritable(caseId: number): void {
    this.writable(caseId);
  }
}
