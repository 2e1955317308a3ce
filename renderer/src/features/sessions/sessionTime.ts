/**
 * Session time: milliseconds since the recording started (session time 0, R2.4). Shown as
 * HH:MM:SS, the same figure the recording's burned-in clock shows, so a time stamp in the
 * transcript finds its moment in the video.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** `01:02:03` for 3,723,000 ms; hours keep counting past 99 rather than wrapping. */
export function formatSessionTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/**
 * A clock that reads the core's time. The renderer's own clock may be set differently from
 * the core's (the web host on another account, a drifted clock), while every time stamp must
 * be on the one session clock the core anchored. `app.info` round trips measure the offset:
 * a reading is placed mid-trip, so its error is at most half the trip, and of several the
 * shortest trip wins (a trip slowed on one leg by a busy page or core would otherwise skew
 * the session's time 0 by that much). `performance.now()` then runs it forward
 * monotonically, so a clock adjustment during the session cannot make time stamps go
 * backwards.
 */
export interface CoreClock {
  /** The core's current time (UTC ms). */
  now(): number;
  /**
   * Offers a reading of the core's clock taken between `sentAt` and `receivedAt` (perf ms);
   * it is adopted when its trip is no longer than the best so far.
   */
  sync(coreNow: number, sentAt: number, receivedAt: number): void;
  /** The round trip of the reading in use (ms); null while the local clock stands in. */
  readonly tripMs: number | null;
}

export function createCoreClock(perf: () => number = () => performance.now()): CoreClock {
  // Until a sync arrives, the local wall clock stands in for the core's.
  let base = Date.now() - perf();
  let tripMs: number | null = null;
  return {
    now: () => base + perf(),
    sync(coreNow, sentAt, receivedAt) {
      const trip = receivedAt - sentAt;
      if (tripMs !== null && trip > tripMs) return;
      tripMs = trip;
      base = coreNow - (sentAt + receivedAt) / 2;
    },
    get tripMs() {
      return tripMs;
    },
  };
}

/** How many round trips `measureCoreClock` takes. */
export const CLOCK_READINGS = 5;

/**
 * Reads the core's clock `CLOCK_READINGS` times, one trip after another, and keeps the
 * shortest trip's reading. Stops at the first failure (the local clock, or the best reading
 * so far, stands in).
 */
export async function measureCoreClock(
  clock: CoreClock,
  read: () => Promise<number>,
  perf: () => number = () => performance.now(),
): Promise<void> {
  for (let i = 0; i < CLOCK_READINGS; i++) {
    const sentAt = perf();
    const coreNow = await read();
    clock.sync(coreNow, sentAt, perf());
  }
}

/** Session time now, clamped into the session: never before 0, never after its end. */
export function sessionTimeAt(
  coreNow: number,
  startedAt: number,
  endedAt: number | null = null,
): number {
  const end = endedAt ?? Number.POSITIVE_INFINITY;
  return Math.round(Math.max(0, Math.min(coreNow, end) - startedAt));
}
