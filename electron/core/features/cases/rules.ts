/** Pure rules of a case (no I/O): when it may change, who gives which opinion, the phases. */
import { AppError } from '../../../shared/errors';
import { PHASES, type Phase } from '../../../shared/domain';

/** A case in the archiving phase is closed: its record can no longer change. */
export function requireOpen(phase: Phase): void {
  if (phase === 'archiving')
    throw new AppError('CONFLICT', 'the case is archived and can no longer change');
}

/** A case moves one phase forward (R1.1): phases never go back, and none is skipped. */
export function requireNextPhase(from: Phase, to: Phase): void {
  const index = PHASES.indexOf(from);
  if (PHASES.indexOf(to) !== index + 1) {
    throw new AppError(
      'CONFLICT',
      `the case is in ${from}; the next phase is ${PHASES[index + 1] ?? 'none'}, not ${to}`,
    );
  }
}

/** Whether leaving `from` needs an approved decision form: review does, before service (R1.4). */
export function needsApprovedDecision(from: Phase): boolean {
  return from === 'review';
}

/** A case is archived by the filing act (立卷归档), never by moving its phase on. */
export function requireNotArchiving(to: Phase): void {
  if (to === 'archiving')
    throw new AppError(
      'RULE_VIOLATION',
      '案件通过“立卷归档”归档：审核并签署卷内目录后自动归档 (R5.2)',
    );
}
