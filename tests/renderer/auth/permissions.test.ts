import { describe, expect, it } from 'vitest';
import {
  approvalRolesOf,
  canInvoke,
  rolesAllowed,
} from '../../../renderer/src/features/auth/permissions';

describe('permissions from the contract', () => {
  const user = (
    roles: ('officer' | 'admin' | 'leader' | 'clerk' | 'legal_reviewer')[],
    disabled = false,
  ) => ({ roles, disabled });

  it('follow each method’s auth', () => {
    expect(canInvoke(null, 'app.info')).toBe(true);
    expect(canInvoke(null, 'cases.list')).toBe(false);
    expect(canInvoke(user(['clerk']), 'cases.list')).toBe(true);
    expect(canInvoke(user(['clerk']), 'cases.create')).toBe(false);
    expect(canInvoke(user(['officer']), 'cases.create')).toBe(true);
    expect(canInvoke(user(['leader']), 'officers.create')).toBe(true);
    expect(canInvoke(user(['officer']), 'users.list')).toBe(false);
    expect(canInvoke(user(['admin'], true), 'users.list')).toBe(false);
  });

  it('offer only the approval roles a user signs in', () => {
    expect(approvalRolesOf(user(['officer']))).toEqual(['handler']);
    expect(approvalRolesOf(user(['leader']))).toEqual(['reviewer', 'approver']);
    expect(approvalRolesOf(user(['legal_reviewer']))).toEqual(['reviewer']);
    expect(approvalRolesOf(user(['admin']))).toEqual([]);
  });

  it('name the roles that may seal, the same the core checks', () => {
    expect(rolesAllowed('sessions.seal')).toEqual(['officer', 'moderator', 'admin']);
    expect(canInvoke(user(['officer']), 'sessions.seal')).toBe(true);
    expect(canInvoke(user(['clerk']), 'sessions.seal')).toBe(false);
    expect(rolesAllowed('cases.list')).toBeNull();
    expect(rolesAllowed('app.info')).toBeNull();
  });
});
