/**
 * The order of an approval form (审批表, R1.4): the handler (承办人) proposes with the facts,
 * evidence, legal basis and discretion; the legal reviewer (法制审核) gives an opinion; where
 * the matter is major, a collective discussion (集体讨论) is held and every participant signs
 * its minutes; then the leader (负责人) decides. One rule for the core (which refuses a step
 * out of order) and the screen (which offers only the next step).
 */
import { AppError } from '../errors';
import type { ApprovalDecision, Phase, UserRole } from '../domain';

export const APPROVAL_FORM_KINDS = [
  'initiation', // 立案审批表
  'decision', // 行政处理（处罚）决定审批表
] as const;
export type ApprovalFormKind = (typeof APPROVAL_FORM_KINDS)[number];

export const APPROVAL_STEPS = [
  'proposal',
  'review',
  'discussion',
  'discussion_signature',
  'decision',
] as const;
export type ApprovalStep = (typeof APPROVAL_STEPS)[number];

/** Who may act at each step (the handler is, besides, an officer of the case). */
export const APPROVAL_STEP_HOLDERS: Readonly<
  Record<Exclude<ApprovalStep, 'discussion_signature'>, readonly UserRole[]>
> = {
  proposal: ['officer', 'moderator'],
  review: ['legal_reviewer'],
  discussion: ['leader'],
  decision: ['leader'],
};

/** One act on a form, as the rule reads it. */
export interface ApprovalActFact {
  step: ApprovalStep;
  decision: ApprovalDecision | null;
  userId: number;
  /** The case's phase when the act was made. */
  casePhase: Phase;
  at: number;
  /** The reviewer asks for a collective discussion; the discussion lists its participants. */
  requiresDiscussion?: boolean;
  participants?: number[];
}

export type ApprovalStage =
  | 'awaiting_review'
  | 'awaiting_discussion'
  | 'awaiting_signatures'
  | 'awaiting_decision'
  | 'approved'
  | 'not_approved'
  | 'returned';

export interface ApprovalProgress {
  stage: ApprovalStage;
  /** Whether a collective discussion is required (by the handler's form or the reviewer). */
  discussionRequired: boolean;
  /** Participants of the discussion who have not yet signed its minutes. */
  unsigned: number[];
  /** Whether the form is decided (approved, not approved, or returned for rework). */
  closed: boolean;
}

/** Where a form stands, from its acts in order. */
export function approvalProgress(
  form: { collectiveRequired: boolean },
  acts: readonly ApprovalActFact[],
): ApprovalProgress {
  const review = acts.find((a) => a.step === 'review');
  const discussion = acts.find((a) => a.step === 'discussion');
  const decision = acts.find((a) => a.step === 'decision');
  const discussionRequired = form.collectiveRequired || review?.requiresDiscussion === true;
  const signed = new Set(
    acts.filter((a) => a.step === 'discussion_signature').map((a) => a.userId),
  );
  const unsigned = (discussion?.participants ?? []).filter((p) => !signed.has(p));
  const of = (stage: ApprovalStage, closed = false): ApprovalProgress => ({
    stage,
    discussionRequired,
    unsigned,
    closed,
  });
  if (review?.decision === 'return') return of('returned', true);
  if (decision) {
    if (decision.decision === 'agree') return of('approved', true);
    return of(decision.decision === 'return' ? 'returned' : 'not_approved', true);
  }
  if (!review) return of('awaiting_review');
  if (discussionRequired && !discussion) return of('awaiting_discussion');
  if (discussionRequired && unsigned.length > 0) return of('awaiting_signatures');
  return of('awaiting_decision');
}

const STEP_ZH: Record<ApprovalStep, string> = {
  proposal: '承办人意见',
  review: '法制审核意见',
  discussion: '集体讨论记录',
  discussion_signature: '集体讨论签名',
  decision: '负责人审批意见',
};

/** Refuses an act that is not the form's next step (R1.4: review before the leader, and so on). */
export function requireStep(progress: ApprovalProgress, step: ApprovalStep): void {
  const expected: Partial<Record<ApprovalStage, ApprovalStep>> = {
    awaiting_review: 'review',
    awaiting_discussion: 'discussion',
    awaiting_signatures: 'discussion_signature',
    awaiting_decision: 'decision',
  };
  if (progress.closed)
    throw new AppError('CONFLICT', '该审批表已办结，不能再签署意见；如需重新审批，请重新提出');
  const next = expected[progress.stage];
  if (next !== step)
    throw new AppError(
      'RULE_VIOLATION',
      `审批须依次进行：现在应当${next ? `由${STEP_ZH[next]}` : ''}签署，不能先签${STEP_ZH[step]}`,
    );
}

/**
 * Whether a decision form lets the case leave review: approved, with the legal review and the
 * leader's approval both given while the case was in review. An approval signed before the
 * case reached review was given on an unfinished investigation, and does not count.
 */
export function decisionFormCounts(
  form: { kind: ApprovalFormKind; collectiveRequired: boolean },
  acts: readonly ApprovalActFact[],
): boolean {
  if (form.kind !== 'decision') return false;
  if (approvalProgress(form, acts).stage !== 'approved') return false;
  return acts
    .filter((a) => a.step === 'review' || a.step === 'decision')
    .every((a) => a.casePhase === 'review');
}
