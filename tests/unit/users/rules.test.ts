/** The sign-in lockout, without a database or password hashing. */
import { describe, expect, it } from 'vitest';
import { LOCK_MS, MAX_FAILURES, SignInThrottle } from '../../../electron/core/features/users/rules';

const HERE = '192.0.2.10';

/** One attempt with a wrong password: begun, checked, failed. Locked now? */
function fail(t: SignInThrottle, username: string, at = 0, address = HERE): boolean {
  const a = t.begin(username, address, at);
  t.settled(a);
  return t.failed(a, at);
}

describe('sign-in throttle', () => {
  it('locks a username (any case) after repeated failures from one address, for a while', () => {
    const t = new SignInThrottle();
    for (let i = 1; i <= MAX_FAILURES; i++) {
      expect(fail(t, i % 2 ? 'Zhang' : 'zhang', 1000)).toBe(i === MAX_FAILURES);
    }
    expect(() => t.begin('ZHANG', HERE, 1000 + LOCK_MS - 1)).toThrow('too many failed attempts');
    expect(() => t.begin('other', HERE, 1000)).not.toThrow();
    const a = t.begin('zhang', HERE, 1000 + LOCK_MS);
    t.settled(a);
    t.succeeded('zhang', HERE);
  });

  it('locks only the address the guesses came from, never the owner elsewhere', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < MAX_FAILURES; i++) fail(t, 'admin', 1000, '198.51.100.7');
    expect(() => t.begin('admin', '198.51.100.7', 1001)).toThrow('too many failed attempts');
    expect(() => t.begin('admin', 'local', 1001)).not.toThrow();
  });

  it('counts attempts under way as failures, so a burst cannot slip past the lock', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < MAX_FAILURES; i++) t.begin('li', HERE, 0);
    expect(() => t.begin('li', HERE, 0)).toThrow('too many attempts at once');
  });

  it('clears the failures on a right password', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < MAX_FAILURES - 1; i++) fail(t, 'wang');
    t.succeeded('wang', HERE);
    for (let i = 0; i < MAX_FAILURES - 1; i++) expect(fail(t, 'wang')).toBe(false);
    expect(fail(t, 'wang')).toBe(true);
  });
});
