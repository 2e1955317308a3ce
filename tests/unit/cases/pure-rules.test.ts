/** The pure rules of a case: when it may change, who gives which opinion, the phase order. */
import { describe, expect, it } from 'vitest';
import {
  needsApproverAgreement,
  requireApprovalHolder,
  requireApproverAgreed,
  requireNextPhase,
  requireOpen,
} from '../../../electron/core/features/cases/rules';
import type { UserDto, UserRole } from '../../../electron/shared/domain';
import { AppError } from '../../../electron/shared/errors';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
  return undefined;
}

const user = (roles: UserRole[]): UserDto => ({
  id: 1,
  username: 'u',
  displayName: 'U',
  roles,
  officerId: null,
  disabled: false,
  createdAt: 0,
});

describe('case rules', () => {
  it('closes a case once it is archiving', () => {
    expect(codeOf(() => requireOpen('review'))).toBeUndefined();
    expect(codeOf(() => requireOpen('archiving'))).toBe('CONFLICT');
  });

  it('lets only the holders of a role give its opinion', () => {
    expect(codeOf(() => requireApprovalHolder(user(['leader']), 'approver'))).toBeUndefined();
    expect(codeOf(() => requireApprovalHolder(user(['officer']), 'handler'))).toBeUndefined();
    expect(codeOf(() => requireApprovalHolder(user(['officer']), 'approver'))).toBe('FORBIDDEN');
    expect(() => requireApprovalHolder(user(['clerk' as UserRole]), 'reviewer')).toThrow(
      'the reviewer opinion is given by: legal_reviewer, leader',
    );
  });

  it('moves one phase forward, never back and never skipping', () => {
    expect(codeOf(() => requireNextPhase('initiation', 'investigation'))).toBeUndefined();
    expect(codeOf(() => requireNextPhase('review', 'service'))).toBeUndefined();
    expect(() => requireNextPhase('initiation', 'review')).toThrow(
      'the case is in initiation; the next phase is investigation, not review',
    );
    expect(codeOf(() => requireNextPhase('review', 'investigation'))).toBe('CONFLICT');
    expect(() => requireNextPhase('archiving', 'archiving')).toThrow('the next phase is none');
  });

  it("serves a decision only after the approver's latest opinion agrees", () => {
    expect(needsApproverAgreement('review')).toBe(true);
    expect(needsApproverAgreement('investigation')).toBe(false);
    expect(codeOf(() => requireApproverAgreed('agree'))).toBeUndefined();
    expect(codeOf(() => requireApproverAgreed('return'))).toBe('RULE_VIOLATION');
    expect(codeOf(() => requireApproverAgreed(undefined))).toBe('RULE_VIOLATION');
  });
});
