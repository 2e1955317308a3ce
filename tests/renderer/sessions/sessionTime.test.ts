/** Session time: how it prints, how it clamps, and the core's clock it runs on. */
import { describe, expect, it } from 'vitest';
import {
  createCoreClock,
  formatSessionTime,
  sessionTimeAt,
} from '../../../renderer/src/features/sessions/sessionTime';

describe('session time', () => {
  it('prints HH:MM:SS', () => {
    expect(formatSessionTime(0)).toBe('00:00:00');
    expect(formatSessionTime(3_723_999)).toBe('01:02:03');
    expect(formatSessionTime(100 * 3600_000)).toBe('100:00:00');
    expect(formatSessionTime(-5)).toBe('00:00:00');
  });

  it('clamps into the session', () => {
    expect(sessionTimeAt(1500, 1000)).toBe(500);
    expect(sessionTimeAt(500, 1000)).toBe(0);
    expect(sessionTimeAt(9000, 1000, 4000)).toBe(3000);
  });

  it('runs on the core clock measured once, monotonically', () => {
    let perf = 100;
    const clock = createCoreClock(() => perf);
    clock.sync(1_000_000, 90, 110); // the core said 1,000,000 at perf 100 (mid-trip)
    expect(clock.now()).toBe(1_000_000);
    perf = 1100;
    expect(clock.now()).toBe(1_001_000);
  });
});
