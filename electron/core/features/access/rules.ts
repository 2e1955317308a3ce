/**
 * The pure rules of access (R6.1): what state a grant is in at a moment, whether it covers
 * a read, and what a refusal says. The service reads the facts from the store and applies
 * these; nothing here touches the database or the clock.
 */
import type { AccessMode, GrantState } from '../../../shared/api/access';

export interface DecisionFacts {
  decision: 'approved' | 'refused' | 'revoked';
  validUntil: number | null;
  sessions: number[] | null;
  decidedAt: number;
}

export interface RequestFacts {
  id: number;
  caseId: number;
  userId: number;
  mode: AccessMode;
  sessions: number[] | null;
  days: number;
  requestedAt: number;
}

export interface GrantFacts {
  state: GrantState;
  /** The end of the approval in force (or that was: expired, revoked). */
  validUntil: number | null;
  /** The sessions granted: the approval's, else what was asked; null for every session. */
  sessions: number[] | null;
}

/** The state of a request at `now`, from its decisions in the order they were made. */
export function grantState(
  request: RequestFacts,
  decisions: readonly DecisionFacts[],
  now: number,
): GrantFacts {
  const approval = [...decisions].reverse().find((d) => d.decision === 'approved');
  const last = decisions[decisions.length - 1];
  const sessions = approval?.sessions ?? request.sessions;
  const validUntil = approval?.validUntil ?? null;
  if (!last) return { state: 'pending', validUntil: null, sessions: request.sessions };
  if (last.decision === 'refused') return { state: 'refused', validUntil: null, sessions };
  if (last.decision === 'revoked') return { state: 'revoked', validUntil, sessions };
  return {
    state: validUntil !== null && now < validUntil ? 'approved' : 'expired',
    validUntil,
    sessions,
  };
}

/** What one read needs: a mode on some sessions of a case. */
export interface AccessNeed {
  caseId: number;
  mode: AccessMode;
  /** The sessions read (a disc of several bundles needs each); empty: the case as a whole. */
  sessionIds: readonly number[];
}

/** Whether a grant in force covers the need: its case, its mode (copy includes view), its sessions. */
export function grantCovers(request: RequestFacts, facts: GrantFacts, need: AccessNeed): boolean {
  if (facts.state !== 'approved') return false;
  if (request.caseId !== need.caseId) return false;
  if (need.mode === 'copy' && request.mode !== 'copy') return false;
  if (facts.sessions === null) return true;
  if (need.sessionIds.length === 0) return false;
  return need.sessionIds.every((id) => facts.sessions!.includes(id));
}

/** Whether the caller's named grant fails the need, and why (in the words of a refusal). */
export function namedGrantProblem(
  request: RequestFacts,
  facts: GrantFacts,
  need: AccessNeed,
  userId: number,
  when: (ms: number) => string,
): string | null {
  const no = `查阅授权第 ${request.id} 号`;
  if (request.userId !== userId) return `${no}不是批准给您的授权`;
  if (request.caseId !== need.caseId) return `${no}是另一案件的授权`;
  switch (facts.state) {
    case 'pending':
      return `${no}尚未经负责人批准`;
    case 'refused':
      return `${no}已被负责人拒绝`;
    case 'revoked':
      return `${no}已被撤销`;
    case 'expired':
      return `${no}已于 ${when(facts.validUntil ?? 0)} 到期`;
    case 'approved':
      break;
  }
  if (need.mode === 'copy' && request.mode !== 'copy') return `${no}只允许查阅，不允许复制`;
  if (!grantCovers(request, facts, need)) return `${no}不包括所要读取的询问/听证记录`;
  return null;
}
