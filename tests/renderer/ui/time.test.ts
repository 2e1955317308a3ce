import { describe, expect, it } from 'vitest';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../../renderer/src/ui/time';

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
