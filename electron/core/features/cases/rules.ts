/** Pure rules of a case (no I/O): when it may change, who gives which opinion, the phases. */
import { AppError } from '../../../shared/errors';
import {
  APPROVAL_ROLE_HOLDERS,
  PHASES,
  type ApprovalDecision,
  type ApprovalRole,
  type Phase,
  type UserDto,
} from '../../../shared/domain';

/** A case in the archiving phase is closed: its record can no longer change. */
export function requireOpen(phase: Phase): void {
  if (phase === 'archiving')
    throw new AppError('CONFLICT', 'the case is archived and can no longer change');
}

/** An opinion of a role (承办人/审核人/批准人) is given only by a holder of that role (R1.4). */
export function requireApprovalHolder(user: UserDto, role: ApprovalRole): void {
  const holders = APPROVAL_ROLE_HOLDERS[role];
  if (!user.roles.some((r) => holders.includes(r))) {
    throw new AppError('FORBIDDEN', `the ${role} opinion is given by: ${holders.join(', ')}`);
  }
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

/** Whether leaving `from` needs the approver's agreement: review does, before service. */
export function needsApproverAgreement(from: Phase): boolean {
  return from === 'review';
}

/** A decision is served only after the approver's (批准人) latest opinion agrees (R1.4). */
export function requireApproverAgreed(lastDecision: ApprovalDecision | undefined): void {
  if (lastDecision !== 'agree') {
    throw new AppError(
      'RULE_VIOLATION',
      'a decision is served only after the approver (批准人) has agreed (R1.4)',
    );
  }
}
