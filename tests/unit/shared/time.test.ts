import { describe, expect, it } from 'vitest';
import {
  dateCn,
  dateIn,
  dateTimeIn,
  fromWallClock,
  isoInZone,
  offsetText,
  timeCn,
  wallClock,
} from '../../../electron/shared/time';

describe('wall-clock time in one zone', () => {
  const at = Date.UTC(2026, 11, 6, 7, 8, 2); // 15:08:02 in Beijing

  it('writes one instant the same way in each of its forms', () => {
    expect(dateTimeIn(at, 'Asia/Shanghai')).toBe('2026-12-06 15:08:02');
    expect(dateTimeIn(at, 'Asia/Shanghai', false)).toBe('2026-12-06 15:08');
    expect(dateCn(at, 'Asia/Shanghai')).toBe('2026年12月6日');
    expect(timeCn(at, 'Asia/Shanghai')).toBe('15时08分02秒');
    expect(isoInZone(at, 'Asia/Shanghai')).toBe('2026-12-06T15:08:02+08:00');
    expect(isoInZone(at, 'UTC')).toBe('2026-12-06T07:08:02+00:00');
  });

  it('follows the zone across midnight and daylight saving', () => {
    // 16:30 UTC is 00:30 the next day in Beijing: the date follows the zone.
    expect(dateIn(Date.UTC(2026, 10, 22, 16, 30), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(isoInZone(Date.UTC(2026, 6, 1, 12), 'America/New_York')).toBe(
      '2026-07-01T08:00:00-04:00',
    );
    expect(offsetText(Date.UTC(2026, 0, 1), 'America/New_York')).toBe('-05:00');
    expect(offsetText(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toBe('+05:30');
    expect(wallClock(Date.UTC(2026, 0, 1, 0, 0, 0), 'UTC').hour).toBe(0);
  });

  it('turns a wall clock typed in the zone back into the instant', () => {
    const w = { year: 2026, month: 12, day: 6, hour: 15, minute: 8, second: 2 };
    expect(fromWallClock(w, 'Asia/Shanghai')).toBe(at);
    expect(fromWallClock(w, 'UTC')).toBe(Date.UTC(2026, 11, 6, 15, 8, 2));
    // New York's clocks go back at 02:00 on 1 Nov 2026: 01:30 happens twice, the first is meant.
    expect(
      fromWallClock(
        { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 },
        'America/New_York',
      ),
    ).toBe(Date.UTC(2026, 10, 1, 5, 30));
    // …and forward on 8 Mar 2026: 02:30 never happens; the instant after the gap.
    const gap = fromWallClock(
      { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 },
      'America/New_York',
    );
    expect(isoInZone(gap, 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
  });

  it('refuses what is not an instant or not a zone', () => {
    expect(() => dateIn(Number.NaN, 'UTC')).toThrow(/not an instant/);
    expect(() => dateIn(0, 'Mars/Olympus')).toThrow();
  });
});
