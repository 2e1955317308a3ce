/**
 * Access to a case's records (R6.1, ARCHITECTURE §9): the case team works on its open case;
 * everyone else, and the team once the case is filed (归档), reads under a time-limited grant
 * a leader approved. {@link AccessService.require} is the one check every read of evidence
 * goes through (playback, a sealed bundle's files, disc images, exports); each refusal is an
 * audit entry naming what was asked and why it was refused.
 */
import type {
  AccessBasisDto,
  AccessNowDto,
  CaseTeamDto,
  GrantDto,
  TeamMemberDto,
} from '../../../shared/api/access';
import type { UserDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { dateTimeIn } from '../../../shared/time';
import { ZH_ENUMS } from '../../../shared/names-zh';
import { SUPERVISORS } from '../../../shared/api/define';
import { caseHeader, caseIdByNo, caseOfficersOf, casePhase } from '../cases';
import {
  requireUser,
  type Caller,
  type EvidenceAsk,
  type EvidenceGuard,
  type ServiceDeps,
} from '../context';
import { sessionOfficersOfCase, sessionsOfCase } from '../sessions';
import { accountOf, activeAccountsWithRole, userDisplayName, userIdOfOfficer } from '../users';
import { grantCovers, grantState, namedGrantProblem, type AccessNeed } from './rules';
import {
  clerksOfCase,
  decisionsOf,
  insertClerkChange,
  insertDecision,
  insertRequest,
  isClerkOfCase,
  isOfficerOfCaseTeam,
  requestById,
  requests,
  teamCaseIds,
  type StoredRequest,
} from './store';

const DAY_MS = 86_400_000;
/** Whether the user supervises (sees every request, the whole trail): leaders, the legal-affairs office, administrators. */
function supervises(user: UserDto): boolean {
  return user.roles.some((r) => SUPERVISORS.includes(r));
}

export type AccessAsk = EvidenceAsk;

export class AccessService implements EvidenceGuard {
  constructor(private readonly deps: ServiceDeps) {}

  // The team

  /** Whether the user is on the case team (its officers, its sessions' officers, its clerks). */
  onTeam(user: UserDto, caseId: number): boolean {
    if (isClerkOfCase(this.deps.db, caseId, user.id)) return true;
    return user.officerId !== null && isOfficerOfCaseTeam(this.deps.db, caseId, user.officerId);
  }

  /**
   * What of the audit trail a reader sees in a case's history: supervisors everything; anyone
   * else the entries of the cases whose team they are on, and their own acts.
   */
  auditScope(caller: Caller): { caseIds: number[]; userId: number } | undefined {
    const user = requireUser(caller);
    if (supervises(user)) return undefined;
    return { caseIds: teamCaseIds(this.deps.db, user.id, user.officerId), userId: user.id };
  }

  /** Whether the case is filed (归档): its team then needs a grant too. */
  filed(caseId: number): boolean {
    return casePhase(this.deps.db, caseId) === 'archiving';
  }

  team(caller: Caller, caseId: number): CaseTeamDto {
    const user = requireUser(caller);
    const phase = casePhase(this.deps.db, caseId);
    if (!phase) throw new AppError('NOT_FOUND', `case ${caseId} not found`);
    const db = this.deps.db;
    const byOfficer = new Map<number, TeamMemberDto>();
    const userOf = (officerId: number) => userIdOfOfficer(db, officerId) ?? null;
    for (const o of caseOfficersOf(db, caseId)) {
      byOfficer.set(o.officerId, {
        userId: userOf(o.officerId),
        officerId: o.officerId,
        name: o.name,
        basis: ['case_officer'],
        sessionRoles: [],
      });
    }
    for (const o of sessionOfficersOfCase(db, caseId)) {
      const m = byOfficer.get(o.officerId) ?? {
        userId: userOf(o.officerId),
        officerId: o.officerId,
        name: o.name,
        basis: [],
        sessionRoles: [],
      };
      if (!m.basis.includes('session_officer')) m.basis.push('session_officer');
      if (!m.sessionRoles.includes(o.role)) m.sessionRoles.push(o.role);
      byOfficer.set(o.officerId, m);
    }
    const members = [...byOfficer.values()];
    for (const c of clerksOfCase(db, caseId)) {
      members.push({
        userId: c.userId,
        officerId: null,
        name: c.name,
        basis: ['clerk'],
        sessionRoles: [],
      });
    }
    const assigned = new Set(members.map((m) => m.userId));
    const mayAssign = this.mayAssign(user, caseId);
    const clerkCandidates = mayAssign
      ? activeAccountsWithRole(db, 'clerk').filter((c) => !assigned.has(c.userId))
      : [];
    return {
      caseId,
      phase,
      filed: phase === 'archiving',
      members,
      me: this.now(user, caseId),
      mayAssign,
      clerkCandidates,
    };
  }

  /**
   * Leaders assign and remove clerks on any case, the case's own officers on theirs. An
   * administrator does not: assigning someone would be a way round the grants.
   */
  private mayAssign(user: UserDto, caseId: number): boolean {
    return (
      user.roles.includes('leader') ||
      (user.roles.some((r) => r === 'officer' || r === 'moderator') &&
        user.officerId !== null &&
        isOfficerOfCaseTeam(this.deps.db, caseId, user.officerId))
    );
  }

  assignClerk(caller: Caller, caseId: number, userId: number): CaseTeamDto {
    return this.changeClerk(caller, caseId, userId, 'assigned');
  }

  removeClerk(caller: Caller, caseId: number, userId: number): CaseTeamDto {
    return this.changeClerk(caller, caseId, userId, 'removed');
  }

  private changeClerk(
    caller: Caller,
    caseId: number,
    userId: number,
    change: 'assigned' | 'removed',
  ): CaseTeamDto {
    const user = requireUser(caller);
    if (!casePhase(this.deps.db, caseId))
      throw new AppError('NOT_FOUND', `case ${caseId} not found`);
    if (!this.mayAssign(user, caseId)) {
      throw new AppError('FORBIDDEN', '只有负责人或本案的执法人员可以指派或撤回书记员');
    }
    const clerk = accountOf(this.deps.db, userId);
    if (!clerk) throw new AppError('NOT_FOUND', `user ${userId} not found`);
    const on = isClerkOfCase(this.deps.db, caseId, userId);
    if (change === 'assigned') {
      if (clerk.disabled || !clerk.roles.includes('clerk')) {
        throw new AppError('RULE_VIOLATION', `${clerk.displayName} 不是在用的书记员账户`);
      }
      if (on) throw new AppError('CONFLICT', `${clerk.displayName} 已是本案的书记员`);
    } else if (!on) {
      throw new AppError('CONFLICT', `${clerk.displayName} 不是本案的书记员`);
    }
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      insertClerkChange(this.deps.db, { caseId, userId, change, by: user.id, at });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: change === 'assigned' ? 'case.clerk_assigned' : 'case.clerk_removed',
        entity: 'case',
        entityId: caseId,
        caseId,
        data: { userId, name: clerk.displayName },
      });
    })();
    this.deps.emit('access.changed', { caseId });
    return this.team(caller, caseId);
  }

  // Requests and grants

  request(
    caller: Caller,
    input: {
      caseId?: number | undefined;
      caseNo?: string | undefined;
      mode: 'view' | 'copy';
      sessions?: number[] | undefined;
      purpose: string;
      days: number;
    },
  ): GrantDto {
    const user = requireUser(caller);
    const caseId = input.caseId ?? caseIdByNo(this.deps.db, input.caseNo ?? '');
    if (caseId === undefined || !caseHeader(this.deps.db, caseId)) {
      throw new AppError('NOT_FOUND', `没有编号为 ${input.caseNo ?? input.caseId} 的案件`);
    }
    const sessions = input.sessions ? this.sessionsOfCaseOnly(caseId, input.sessions) : null;
    const at = this.deps.now();
    const id = this.deps.db.transaction(() => {
      const id = insertRequest(this.deps.db, {
        caseId,
        userId: user.id,
        mode: input.mode,
        sessions,
        purpose: input.purpose,
        days: input.days,
        requestedAt: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'access.requested',
        entity: 'access_request',
        entityId: id,
        caseId,
        data: { mode: input.mode, sessions, purpose: input.purpose, days: input.days },
      });
      return id;
    })();
    this.deps.emit('access.changed', { caseId });
    return this.grant(id);
  }

  decide(
    caller: Caller,
    input: {
      requestId: number;
      decision: 'approved' | 'refused';
      opinion: string;
      validUntil?: number | undefined;
      sessions?: number[] | undefined;
    },
  ): GrantDto {
    const user = requireUser(caller);
    const req = this.requestOf(input.requestId);
    const at = this.deps.now();
    const state = grantState(req, decisionsOf(this.deps.db, req.id), at).state;
    if (state !== 'pending') {
      throw new AppError('CONFLICT', `调阅申请第 ${req.id} 号已有决定（${STATE_ZH[state]}）`);
    }
    if (req.userId === user.id) {
      throw new AppError('RULE_VIOLATION', '不能审批自己的调阅申请');
    }
    let validUntil: number | null = null;
    let sessions: number[] | null = null;
    if (input.decision === 'approved') {
      const longest = at + req.days * DAY_MS;
      validUntil = input.validUntil ?? longest;
      if (validUntil <= at) throw new AppError('INVALID_INPUT', '授权截止时间应晚于现在');
      if (validUntil > longest) {
        throw new AppError('INVALID_INPUT', `授权期限不能超过申请的 ${req.days} 天`);
      }
      if (input.sessions) {
        sessions = this.sessionsOfCaseOnly(req.caseId, input.sessions);
        if (req.sessions && sessions.some((s) => !req.sessions!.includes(s))) {
          throw new AppError('INVALID_INPUT', '批准的询问/听证不能超出申请的范围');
        }
      }
    } else if (input.validUntil !== undefined || input.sessions !== undefined) {
      throw new AppError('INVALID_INPUT', '不予批准时不填写期限和范围');
    }
    this.deps.db.transaction(() => {
      insertDecision(this.deps.db, {
        requestId: req.id,
        decision: input.decision,
        opinion: input.opinion,
        validUntil,
        sessions,
        by: user.id,
        at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: input.decision === 'approved' ? 'access.approved' : 'access.declined',
        entity: 'access_request',
        entityId: req.id,
        caseId: req.caseId,
        data: { opinion: input.opinion, validUntil, sessions, requester: req.userId },
      });
    })();
    this.deps.emit('access.changed', { caseId: req.caseId });
    return this.grant(req.id);
  }

  revoke(caller: Caller, requestId: number, opinion: string): GrantDto {
    const user = requireUser(caller);
    const req = this.requestOf(requestId);
    const at = this.deps.now();
    const state = grantState(req, decisionsOf(this.deps.db, req.id), at).state;
    if (state !== 'approved') {
      throw new AppError(
        'CONFLICT',
        `查阅授权第 ${req.id} 号不在有效期内（${STATE_ZH[state]}），无需撤销`,
      );
    }
    this.deps.db.transaction(() => {
      insertDecision(this.deps.db, {
        requestId: req.id,
        decision: 'revoked',
        opinion,
        validUntil: null,
        sessions: null,
        by: user.id,
        at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'access.revoked',
        entity: 'access_request',
        entityId: req.id,
        caseId: req.caseId,
        data: { opinion, requester: req.userId },
      });
    })();
    this.deps.emit('access.changed', { caseId: req.caseId });
    return this.grant(req.id);
  }

  list(caller: Caller, scope: 'mine' | 'pending' | 'all', caseId?: number): GrantDto[] {
    const user = requireUser(caller);
    if (scope !== 'mine' && !supervises(user)) {
      throw new AppError('FORBIDDEN', '只有负责人、法制审核人员和管理员可以查看全部调阅申请');
    }
    const rows = requests(this.deps.db, {
      userId: scope === 'mine' ? user.id : undefined,
      caseId,
    });
    const grants = rows.map((r) => this.toDto(r));
    return scope === 'pending' ? grants.filter((g) => g.state === 'pending') : grants;
  }

  grant(id: number): GrantDto {
    return this.toDto(this.requestOf(id));
  }

  // The check

  /** What the user may do with the case's records now. */
  now(user: UserDto, caseId: number): AccessNowDto {
    const view = this.basis(user, { caseId, mode: 'view', sessionIds: [] }, true);
    const copy = this.basis(user, { caseId, mode: 'copy', sessionIds: [] }, true);
    return {
      view,
      copy,
      refusal: view
        ? null
        : this.refusalText(user, { caseId, mode: 'view', sessionIds: [], what: '调阅本案的记录' }),
    };
  }

  /**
   * The one check before a read of evidence: returns the basis it is allowed on (the team,
   * or the grant), or records the refusal in the audit trail and throws ACCESS_NOT_GRANTED
   * naming the grant that is missing. Nothing is read before it returns.
   */
  require(caller: Caller, ask: AccessAsk): AccessBasisDto {
    const user = requireUser(caller);
    let problem: string | null = null;
    let basis: AccessBasisDto | null = null;
    if (ask.grantId !== undefined) {
      const req = requestById(this.deps.db, ask.grantId);
      if (!req) problem = `查阅授权第 ${ask.grantId} 号不存在`;
      else {
        const facts = grantState(req, decisionsOf(this.deps.db, req.id), this.deps.now());
        problem = namedGrantProblem(req, facts, ask, user.id, (ms) => this.when(ms));
        if (!problem)
          basis = {
            kind: 'grant',
            grantId: req.id,
            validUntil: facts.validUntil!,
            sessions: facts.sessions,
          };
      }
    } else {
      basis = this.basis(user, ask, false);
    }
    if (basis) return basis;
    throw this.refused(user, ask, problem ?? this.refusalText(user, ask), {
      mode: ask.mode,
      sessions: ask.sessionIds,
      grantId: ask.grantId ?? null,
      ...ask.detail,
    });
  }

  requireTeam(
    caller: Caller,
    ask: Pick<AccessAsk, 'caseId' | 'what' | 'entity' | 'entityId'>,
  ): void {
    const user = requireUser(caller);
    const filed = this.filed(ask.caseId);
    if (!filed && this.onTeam(user, ask.caseId)) return;
    const reason = filed
      ? '本案已归档，记录不再改动'
      : '只有本案的办案人员（本案及其询问、听证的执法人员和指派的书记员）可以记录';
    throw this.refused(user, ask, reason, { mode: 'write' });
  }

  /** Audits a refusal and gives the error that says it, naming the case. */
  private refused(
    user: UserDto,
    ask: Pick<AccessAsk, 'caseId' | 'what' | 'entity' | 'entityId'>,
    reason: string,
    data: Record<string, unknown>,
  ): AppError {
    const caseNo = caseHeader(this.deps.db, ask.caseId)?.caseNo ?? String(ask.caseId);
    this.deps.audit.append({
      at: this.deps.now(),
      actorUserId: user.id,
      actor: user.displayName,
      action: 'access.refused',
      entity: ask.entity,
      entityId: ask.entityId,
      caseId: ask.caseId,
      data: { what: ask.what, ...data, reason },
    });
    return new AppError('ACCESS_NOT_GRANTED', `${ask.what}（${caseNo}）：${reason}`);
  }

  allows(caller: Caller, need: AccessNeed): boolean {
    return caller.user !== null && this.basis(caller.user, need, false) !== null;
  }

  /** The basis the user has for the need: the team (unless filed), else a grant in force. */
  private basis(user: UserDto, need: AccessNeed, anySession: boolean): AccessBasisDto | null {
    if (!this.filed(need.caseId) && this.onTeam(user, need.caseId)) return { kind: 'team' };
    const at = this.deps.now();
    for (const req of requests(this.deps.db, { userId: user.id, caseId: need.caseId })) {
      const facts = grantState(req, decisionsOf(this.deps.db, req.id), at);
      if (facts.state !== 'approved') continue;
      const covers = anySession
        ? grantCovers(req, { ...facts, sessions: null }, need)
        : grantCovers(req, facts, need);
      if (covers)
        return {
          kind: 'grant',
          grantId: req.id,
          validUntil: facts.validUntil!,
          sessions: facts.sessions,
        };
    }
    return null;
  }

  /** Why the user has no basis, naming the grant that is missing. */
  private refusalText(user: UserDto, ask: AccessNeed & { what: string }): string {
    const kind = ask.mode === 'copy' ? '复制授权' : '查阅授权';
    const team = this.onTeam(user, ask.caseId);
    const lead =
      team && this.filed(ask.caseId) ? '本案已归档，办案人员也' : '您不是本案的办案人员，';
    const at = this.deps.now();
    const own = requests(this.deps.db, { userId: user.id, caseId: ask.caseId }).map((r) => ({
      r,
      f: grantState(r, decisionsOf(this.deps.db, r.id), at),
    }));
    const latest = own[0];
    let tail = '您没有本案的有效授权';
    if (latest) {
      const p = namedGrantProblem(latest.r, latest.f, ask, user.id, (ms) => this.when(ms));
      if (p) tail = `您最近的${p}`;
    }
    return `${lead}需要经负责人批准的${kind}；${tail}`;
  }

  private when(ms: number): string {
    return dateTimeIn(ms, this.deps.timeZone());
  }

  private requestOf(id: number): StoredRequest {
    const req = requestById(this.deps.db, id);
    if (!req) throw new AppError('NOT_FOUND', `调阅申请第 ${id} 号不存在`);
    return req;
  }

  private sessionsOfCaseOnly(caseId: number, ids: number[]): number[] {
    const own = new Set(sessionsOfCase(this.deps.db, caseId).map((s) => s.id));
    const foreign = ids.filter((id) => !own.has(id));
    if (foreign.length > 0) {
      throw new AppError('INVALID_INPUT', `询问/听证 ${foreign.join('、')} 不属于本案`);
    }
    return [...new Set(ids)].sort((a, b) => a - b);
  }

  private toDto(r: StoredRequest): GrantDto {
    const decisions = decisionsOf(this.deps.db, r.id);
    const facts = grantState(r, decisions, this.deps.now());
    return {
      id: r.id,
      caseId: r.caseId,
      caseNo: caseHeader(this.deps.db, r.caseId)?.caseNo ?? '',
      userId: r.userId,
      requester: userDisplayName(this.deps.db, r.userId) ?? '',
      mode: r.mode,
      sessions: r.sessions,
      purpose: r.purpose,
      days: r.days,
      requestedAt: r.requestedAt,
      state: facts.state,
      validUntil: facts.validUntil,
      grantedSessions:
        facts.state === 'pending' || facts.state === 'refused' ? null : facts.sessions,
      decisions: decisions.map((d) => ({
        decision: d.decision,
        opinion: d.opinion,
        validUntil: d.validUntil,
        sessions: d.sessions,
        decidedBy: d.decidedBy,
        decidedAt: d.decidedAt,
      })),
    };
  }
}

const STATE_ZH = ZH_ENUMS.grantState;
