/** Session time: how it prints, how it clamps, and the core's clock it runs on. */
import { describe, expect, it } from 'vitest';
import {
  createCoreClock,
  formatSessionTime,
  measureCoreClock,
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

  it('keeps the reading of the shortest round trip', () => {
    const perf = 0;
    const clock = createCoreClock(() => perf);
    expect(clock.tripMs).toBeNull();
    // A trip slowed on its way back: mid-trip is 20 ms after the core read 5,000.
    clock.sync(5_000, 0, 40);
    expect(clock.now()).toBe(4_980);
    // A 2 ms trip places the core's 5,101 at perf 101: adopted.
    clock.sync(5_101, 100, 102);
    expect(clock.tripMs).toBe(2);
    expect(clock.now()).toBe(5_000);
    // A longer trip afterwards changes nothing.
    clock.sync(9_999, 200, 230);
    expect(clock.now()).toBe(5_000);
    expect(clock.tripMs).toBe(2);
  });

  it('measures several trips and stops at a failure', async () => {
    let perf = 0;
    const trips = [30, 4, 12, 9, 25];
    const clock = createCoreClock(() => perf);
    let reads = 0;
    // The core's clock runs 1,000,000 ms ahead; each reply is read on the way out, and the
    // trip's whole delay falls on the way back.
    await measureCoreClock(
      clock,
      async () => {
        const coreNow = perf + 1_000_000;
        perf += trips[reads++]!;
        return coreNow;
      },
      () => perf,
    );
    expect(reads).toBe(5);
    expect(clock.tripMs).toBe(4);
    // Behind by half the best trip (the core read its clock at the trip's start), not by
    // half of the first one.
    expect(clock.now() - (perf + 1_000_000)).toBe(-2);

    const failing = createCoreClock(() => perf);
    let calls = 0;
    await expect(
      measureCoreClock(
        failing,
        async () => {
          if (++calls === 2) throw new Error('core gone');
          return perf + 1_000_000;
        },
        () => perf,
      ),
    ).rejects.toThrow('core gone');
    expect(calls).toBe(2);
    expect(failing.tripMs).toBe(0);
  });
});
