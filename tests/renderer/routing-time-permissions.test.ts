import { describe, expect, it } from 'vitest';
import { approvalRolesOf, canInvoke } from '../../renderer/src/features/auth/permissions';
import { parseRoute, routeHref, type Route } from '../../renderer/src/app/route';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../renderer/src/ui/time';

describe('hash routes', () => {
  it('round-trip', () => {
    const routes: Route[] = [
      { name: 'cases' },
      { name: 'newCase' },
      { name: 'case', id: 12, tab: 'overview' },
      { name: 'case', id: 12, tab: 'sessions' },
      { name: 'officers' },
      { name: 'devices' },
      { name: 'users' },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });

  it('fall back to the case list on anything unknown', () => {
    expect(parseRoute('')).toEqual({ name: 'cases' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'cases' });
    expect(parseRoute('#/cases/-1')).toEqual({ name: 'cases' });
    expect(parseRoute('#/cases/3/bogus')).toEqual({ name: 'case', id: 3, tab: 'overview' });
  });
});

describe('times', () => {
  it('convert datetime-local values to UTC ms and back', () => {
    const ms = fromDateTimeLocal('2026-05-03T14:05');
    expect(ms).toBe(new Date(2026, 4, 3, 14, 5).getTime());
    expect(toDateTimeLocal(ms!)).toBe('2026-05-03T14:05');
    expect(fromDateTimeLocal('')).toBeUndefined();
    expect(fromDateTimeLocal('not a date')).toBeUndefined();
  });

  it('format local date and time the zh-CN way', () => {
    const ms = Date.UTC(2026, 4, 3, 6, 5);
    expect(formatDateTime(ms, 'zh-CN', 'Asia/Shanghai')).toBe('2026/05/03 14:05');
    expect(formatDateTime(ms, 'en', 'Asia/Shanghai')).toBe('03/05/2026, 14:05');
  });
});

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
});
