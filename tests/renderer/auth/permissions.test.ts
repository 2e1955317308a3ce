import { describe, expect, it } from 'vitest';
import {
  canInvoke,
  mayOpenScreen,
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

  it('offer each step of an approval form to the role that signs it', () => {
    expect(canInvoke(user(['officer']), 'approvals.propose')).toBe(true);
    expect(canInvoke(user(['officer']), 'approvals.review')).toBe(false);
    expect(canInvoke(user(['legal_reviewer']), 'approvals.review')).toBe(true);
    expect(canInvoke(user(['legal_reviewer']), 'approvals.decide')).toBe(false);
    expect(canInvoke(user(['leader']), 'approvals.decide')).toBe(true);
    expect(canInvoke(user(['admin']), 'approvals.decide')).toBe(false);
    expect(canInvoke(user(['clerk']), 'filing.file')).toBe(true);
    expect(canInvoke(user(['officer']), 'filing.file')).toBe(false);
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
