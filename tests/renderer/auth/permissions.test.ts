import { describe, expect, it } from 'vitest';
import {
  canInvoke,
  mayOpenScreen,
  rolesAllowed,
} from '../../../renderer/src/features/auth/permissions';
import { approvalRolesFor } from '@shared/rules/approvals';

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

  it('offer only the approval roles a user signs in, 承办人 only to the case’s own officers', () => {
    const on = (roles: Parameters<typeof user>[0], officerId: number | null) => ({
      ...user(roles),
      officerId,
    });
    expect(approvalRolesFor(on(['officer'], 3), [3, 4])).toEqual(['handler']);
    expect(approvalRolesFor(on(['officer'], 5), [3, 4])).toEqual([]);
    expect(approvalRolesFor(on(['officer'], null), [3, 4])).toEqual([]);
    expect(approvalRolesFor(on(['leader'], null), [3])).toEqual(['reviewer', 'approver']);
    expect(approvalRolesFor(on(['legal_reviewer'], null), [])).toEqual(['reviewer']);
    expect(approvalRolesFor(on(['admin'], 3), [3])).toEqual([]);
  });

  it('open the administrator’s screens to those who may read them, and every other screen', () => {
    expect(mayOpenScreen(user(['admin']), 'users')).toBe(true);
    expect(mayOpenScreen(user(['officer']), 'users')).toBe(false);
    expect(mayOpenScreen(user(['officer']), 'storage')).toBe(false);
    expect(mayOpenScreen(user(['leader']), 'trust')).toBe(true);
    expect(mayOpenScreen(user(['clerk']), 'trust')).toBe(false);
    expect(mayOpenScreen(user(['officer']), 'cases')).toBe(true);
    expect(mayOpenScreen(user(['admin'], true), 'users')).toBe(false);
  });

  it('name the roles that may seal, the same the core checks', () => {
    expect(rolesAllowed('sessions.seal')).toEqual(['officer', 'moderator', 'admin']);
    expect(canInvoke(user(['officer']), 'sessions.seal')).toBe(true);
    expect(canInvoke(user(['clerk']), 'sessions.seal')).toBe(false);
    expect(rolesAllowed('cases.list')).toBeNull();
    expect(rolesAllowed('app.info')).toBeNull();
  });
});
