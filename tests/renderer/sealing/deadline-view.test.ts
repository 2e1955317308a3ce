/**
 * What the session screen shows against the 24-hour rule (R4.1): the deadline as
 * `YYYY-MM-DD HH:mm`, the countdown rounded up to the minute, amber within 4 hours, red
 * after, green once stored (and "late" kept on the record when stored after the deadline).
 */
import { describe, expect, it } from 'vitest';
import type { BundleReplicationDto } from '@shared/api/storage';
import {
  deadlineView,
  formatBytes,
  formatDeadline,
  span,
} from '../../../renderer/src/features/sealing/deadline';

const H = 3600_000;
const end = new Date(2026, 10, 23, 10, 30).getTime();
const bundle = (storedAt: number | null = null): BundleReplicationDto => ({
  bundleId: 1,
  sessionId: 1,
  caseId: 1,
  deadlineAt: end + 24 * H,
  deadlineStatus: 'ok',
  storedAt,
  targets: 1,
});

describe('the deadline view', () => {
  it('formats the deadline in local time', () => {
    expect(formatDeadline(end + 24 * H)).toBe('2026-11-24 10:30');
  });

  it('counts down, warns within 4 hours and alarms after', () => {
    expect(deadlineView(bundle(), end + H)).toMatchObject({
      tone: 'ok',
      deadline: '2026-11-24 10:30',
      span: { key: 'hm', values: { h: 23, m: 0 } },
    });
    expect(deadlineView(bundle(), end + 20 * H + 1)).toMatchObject({
      tone: 'warn',
      span: { key: 'hm', values: { h: 4, m: 0 } },
    });
    expect(deadlineView(bundle(), end + 23 * H + 59 * 60_000 + 30_000)).toMatchObject({
      tone: 'warn',
      span: { key: 'm', values: { m: 1 } },
    });
    expect(deadlineView(bundle(), end + 26 * H + 5 * 60_000)).toMatchObject({
      tone: 'overdue',
      span: { key: 'hm', values: { h: 2, m: 5 } },
    });
    expect(deadlineView(bundle(), end + 24 * H + 3 * 24 * H)).toMatchObject({
      tone: 'overdue',
      span: { key: 'dhm', values: { d: 3, h: 0 } },
    });
  });

  it('is green once a copy was read back, and says when it was late', () => {
    expect(deadlineView(bundle(end + 2 * H), end + 90 * H)).toMatchObject({
      tone: 'stored',
      span: null,
      storedAt: end + 2 * H,
    });
    expect(deadlineView(bundle(end + 25 * H), end + 90 * H)).toMatchObject({
      tone: 'stored-late',
      span: { key: 'hm', values: { h: 1, m: 0 } },
    });
  });

  it('prints sizes people read', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(span(0)).toEqual({ key: 'm', values: { d: 0, h: 0, m: 0 } });
  });
});
