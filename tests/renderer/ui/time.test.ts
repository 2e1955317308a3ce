import { afterEach, describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatTime,
  fromDateTimeLocal,
  setAgencyTimeZone,
  toDateTimeLocal,
} from '../../../renderer/src/ui/time';

describe('times in the agency zone', () => {
  const machine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  afterEach(() => setAgencyTimeZone(machine));

  it('read and write datetime-local values in the agency zone, whatever the machine says', () => {
    setAgencyTimeZone('Asia/Shanghai');
    const ms = fromDateTimeLocal('2026-05-03T14:05');
    expect(ms).toBe(Date.UTC(2026, 4, 3, 6, 5));
    expect(toDateTimeLocal(ms!)).toBe('2026-05-03T14:05');
    setAgencyTimeZone('UTC');
    expect(fromDateTimeLocal('2026-05-03T14:05')).toBe(Date.UTC(2026, 4, 3, 14, 5));
    expect(fromDateTimeLocal('')).toBeUndefined();
    expect(fromDateTimeLocal('not a date')).toBeUndefined();
    expect(fromDateTimeLocal('2026-13-03T14:05')).toBeUndefined();
  });

  it('write one format in both languages, in the zone set', () => {
    const ms = Date.UTC(2026, 11, 6, 7, 8, 2);
    setAgencyTimeZone('Asia/Shanghai');
    expect(formatDateTime(ms)).toBe('2026-12-06 15:08:02');
    expect(formatDateTime(ms, false)).toBe('2026-12-06 15:08');
    expect(formatTime(ms)).toBe('15:08:02');
    expect(formatDate(ms, 'zh-CN')).toBe('2026年12月6日');
    expect(formatDate(ms, 'en')).toBe('2026-12-06');
    setAgencyTimeZone('Europe/London');
    expect(formatDateTime(ms)).toBe('2026-12-06 07:08:02');
  });
});
