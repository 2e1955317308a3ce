/**
 * Who may give which opinion on a case (R1.4): the roles of the user's account, and the
 * handler's (承办人) opinion only from an officer the case is assigned to. One rule for the
 * core (which refuses) and the UI (which offers only these).
 */
import { APPROVAL_ROLE_HOLDERS, type ApprovalRole, type UserDto } from '../domain';

export function approvalRolesFor(
  user: Pick<UserDto, 'roles' | 'officerId'>,
  caseOfficerIds: readonly number[],
): ApprovalRole[] {
  return (Object.keys(APPROVAL_ROLE_HOLDERS) as ApprovalRole[]).filter(
    (role) =>
      user.roles.some((r) => APPROVAL_ROLE_HOLDERS[role].includes(r)) &&
      (role !== 'handler' || (user.officerId !== null && caseOfficerIds.includes(user.officerId))),
  );
}
