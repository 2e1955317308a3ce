/** The pure rules of a case: when it may change, who gives which opinion, the phase order. */
import { describe, expect, it } from 'vitest';
import {
  needsApprovedDecision,
  requireNextPhase,
  requireNotArchiving,
  requireOpen,
} from '../../../electron/core/features/cases/rules';
import { AppError } from '../../../electron/shared/errors';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
  return undefined;
}

describe('case rules', () => {
  it('closes a case once it is archiving', () => {
    expect(codeOf(() => requireOpen('review'))).toBeUndefined();
    expect(codeOf(() => requireOpen('archiving'))).toBe('CONFLICT');
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

  it('leaves review only on an approved decision, and archives only by the filing act', () => {
    expect(needsApprovedDecision('review')).toBe(true);
    expect(needsApprovedDecision('investigation')).toBe(false);
    expect(codeOf(() => requireNotArchiving('service'))).toBeUndefined();
    expect(codeOf(() => requireNotArchiving('archiving'))).toBe('RULE_VIOLATION');
  });
});
