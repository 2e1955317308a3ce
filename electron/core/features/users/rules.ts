/** Pure rules of accounts (no I/O): the sign-in lockout. */
import { AppError } from '../../../shared/errors';

/** After this many consecutive failures a username is locked for {@link LOCK_MS}. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 60_000;

/** The failures of one username; {@link SignInThrottle.begin} hands it to its attempt. */
export interface Attempts {
  count: number;
  lockedUntil: number;
  pending: number;
}

/** One username (any case) from one address. */
const keyOf = (username: string, address: string) => `${username.toLowerCase()}\u0000${address}`;

/**
 * Counts failed sign-ins per username (case-insensitive) and address, and locks that pair
 * briefly after {@link MAX_FAILURES} of them: someone guessing from one address locks only
 * that address out, never the account's owner signing in elsewhere. One state object per
 * pair, changed in place: attempts that run at the same time all see each other, so a burst
 * of parallel guesses cannot slip past the lock.
 */
export class SignInThrottle {
  private readonly attempts = new Map<string, Attempts>();

  /**
   * Starts an attempt at `at`, refused (BAD_CREDENTIALS) while the username is locked or as
   * many attempts as would lock it are already under way. Each attempt counts as a possible
   * failure from the moment it starts; call {@link settled} with what this returns when its
   * check is done.
   */
  begin(username: string, address: string, at: number): Attempts {
    const key = keyOf(username, address);
    let state = this.attempts.get(key);
    if (!state) this.attempts.set(key, (state = { count: 0, lockedUntil: 0, pending: 0 }));
    if (state.lockedUntil > at) {
      throw new AppError(
        'BAD_CREDENTIALS',
        `too many failed attempts; try again in ${Math.ceil((state.lockedUntil - at) / 1000)} s`,
      );
    }
    if (state.count + state.pending >= MAX_FAILURES) {
      throw new AppError('BAD_CREDENTIALS', 'too many attempts at once; try again shortly');
    }
    state.pending++;
    return state;
  }

  /** The check of an attempt {@link begin} started is done (right or wrong). */
  settled(state: Attempts): void {
    state.pending--;
  }

  /** Counts a failure; locks the username from `now` when it is one too many. Locked? */
  failed(state: Attempts, now: number): boolean {
    state.count++;
    const locked = state.count >= MAX_FAILURES;
    if (locked) {
      state.count = 0;
      state.lockedUntil = now + LOCK_MS;
    }
    return locked;
  }

  /** A right password clears the failures of the username from that address. */
  succeeded(username: string, address: string): void {
    this.attempts.delete(keyOf(username, address));
  }
}
