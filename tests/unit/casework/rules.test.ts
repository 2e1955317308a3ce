/** The pure rules of the case around its sessions: approval order, proof of service, filing clock, retention. */
import { describe, expect, it } from 'vitest';
import {
  approvalProgress,
  decisionFormCounts,
  requireStep,
  type ApprovalActFact,
} from '../../../electron/shared/rules/approval-form';
import { serviceProof } from '../../../electron/shared/rules/service';
import { endOfMatter, filingClock } from '../../../electron/shared/rules/filing';
import {
  allowedRetentionChoices,
  caseFileRetention,
  proposalState,
} from '../../../electron/shared/rules/retention';

const DAY = 86_400_000;
const act = (
  step: ApprovalActFact['step'],
  more: Partial<ApprovalActFact> = {},
): ApprovalActFact => ({
  step,
  decision: step === 'review' || step === 'decision' || step === 'proposal' ? 'agree' : null,
  userId: 1,
  casePhase: 'review',
  at: 0,
  ...more,
});

describe('approval order', () => {
  const form = { kind: 'decision' as const, collectiveRequired: false };
  it('goes proposal, review, (discussion and its signatures), decision', () => {
    expect(approvalProgress(form, [act('proposal')]).stage).toBe('awaiting_review');
    expect(() => requireStep(approvalProgress(form, [act('proposal')]), 'decision')).toThrow(
      '审批须依次进行：现在应当由法制审核意见签署，不能先签负责人审批意见',
    );
    const reviewed = [act('proposal'), act('review', { requiresDiscussion: true })];
    expect(approvalProgress(form, reviewed).stage).toBe('awaiting_discussion');
    const discussed = [
      ...reviewed,
      act('discussion', { participants: [2, 3, 4] }),
      act('discussion_signature', { userId: 2 }),
    ];
    expect(approvalProgress(form, discussed)).toMatchObject({
      stage: 'awaiting_signatures',
      unsigned: [3, 4],
    });
    const signed = [
      ...discussed,
      act('discussion_signature', { userId: 3 }),
      act('discussion_signature', { userId: 4 }),
    ];
    expect(approvalProgress(form, signed).stage).toBe('awaiting_decision');
    expect(approvalProgress(form, [...signed, act('decision')])).toMatchObject({
      stage: 'approved',
      closed: true,
    });
    expect(
      approvalProgress(form, [act('proposal'), act('review', { decision: 'return' })]).stage,
    ).toBe('returned');
  });

  it('counts a decision only when reviewed and approved while the case was in review', () => {
    const approved = [
      act('proposal', { casePhase: 'investigation' }),
      act('review'),
      act('decision'),
    ];
    expect(decisionFormCounts(form, approved)).toBe(true);
    expect(
      decisionFormCounts(form, [
        act('proposal'),
        act('review', { casePhase: 'investigation' }),
        act('decision'),
      ]),
    ).toBe(false);
    expect(decisionFormCounts({ ...form, kind: 'initiation' }, approved)).toBe(false);
    expect(
      decisionFormCounts(form, [
        act('proposal'),
        act('review'),
        act('decision', { decision: 'disagree' }),
      ]),
    ).toBe(false);
  });
});

describe('proof of service', () => {
  it('is at once for direct and left, on the receipt for entrusted and postal, after the period for a notice', () => {
    expect(serviceProof({ method: 'direct', servedAt: 5, receiptReceivedAt: null }, 5)).toEqual({
      proven: true,
      servedAt: 5,
    });
    expect(serviceProof({ method: 'left', servedAt: 5, receiptReceivedAt: null }, 5).proven).toBe(
      true,
    );
    expect(serviceProof({ method: 'postal', servedAt: 5, receiptReceivedAt: null }, 99)).toEqual({
      proven: false,
      missing: 'receipt',
    });
    expect(serviceProof({ method: 'entrusted', servedAt: 5, receiptReceivedAt: 50 }, 99)).toEqual({
      proven: true,
      servedAt: 50,
    });
    expect(
      serviceProof({ method: 'public_notice', servedAt: 0, receiptReceivedAt: null }, 29 * DAY),
    ).toEqual({ proven: false, missing: 'notice_period', until: 30 * DAY });
    expect(
      serviceProof(
        { method: 'public_notice', servedAt: 0, receiptReceivedAt: null, noticeDays: 60 },
        60 * DAY,
      ),
    ).toEqual({ proven: true, servedAt: 60 * DAY });
  });
});

describe('filing clock', () => {
  const policy = { filingDays: 30, warnDays: 5 };
  it('runs from the last decision or execution and stops at the filing', () => {
    expect(endOfMatter([], [])).toBeNull();
    expect(endOfMatter([10 * DAY], [20 * DAY, 15 * DAY])).toBe(20 * DAY);
    expect(filingClock(null, null, policy, 0)).toMatchObject({
      status: 'not_started',
      deadline: null,
    });
    expect(filingClock(0, null, policy, 10 * DAY)).toMatchObject({
      status: 'ok',
      deadline: 30 * DAY,
      daysLeft: 20,
    });
    expect(filingClock(0, null, policy, 26 * DAY)).toMatchObject({ status: 'warn', daysLeft: 4 });
    expect(filingClock(0, null, policy, 31 * DAY)).toMatchObject({
      status: 'overdue',
      daysLeft: -1,
    });
    expect(filingClock(0, 29 * DAY, policy, 90 * DAY)).toMatchObject({
      status: 'filed',
      daysLeft: null,
    });
    expect(filingClock(0, 31 * DAY, policy, 90 * DAY)).toMatchObject({ status: 'filed_late' });
  });
});

describe('retention', () => {
  const ground = (g: 'signature_refused' | 'obstruction') => ({ ground: g, at: 0, evidence: '' });
  it('proposes long-term on a ground, keeps a decline until a new ground, never takes back a confirmation', () => {
    expect(proposalState([], [])).toBe('none');
    expect(proposalState([ground('signature_refused')], [])).toBe('proposed');
    const declined = { decision: 'declined' as const, grounds: ['signature_refused' as const] };
    expect(proposalState([ground('signature_refused')], [declined])).toBe('declined');
    expect(proposalState([ground('signature_refused'), ground('obstruction')], [declined])).toBe(
      'proposed',
    );
    expect(proposalState([], [{ decision: 'confirmed', grounds: [] }])).toBe('confirmed');
    expect(caseFileRetention('confirmed')).toBe('long-term');
    expect(caseFileRetention('declined')).toBe('case-3y');
  });
  it('never lets audio/video be kept shorter than its case file', () => {
    expect(allowedRetentionChoices('case-3y')).toEqual(['case-3y', 'long-term']);
    expect(allowedRetentionChoices('av-1y')).toEqual(['case-3y', 'long-term']);
    expect(allowedRetentionChoices('long-term')).toEqual(['long-term']);
  });
});
