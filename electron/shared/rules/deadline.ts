/**
 * The 24-hour storage rule (R4.1): a copy of the recording must be in the agency's
 * designated storage within 24 hours of the recording's end. One definition, pure, used by
 * the core's replication queue and status and by the UI's countdown, so the two can never
 * disagree about whether a bundle is on time.
 */

/** A copy must be in designated storage within this long after the recording ends. */
export const STORAGE_DEADLINE_HOURS = 24;
export const STORAGE_DEADLINE_MS = STORAGE_DEADLINE_HOURS * 60 * 60 * 1000;

/** The UI warns (amber) this long before the deadline. */
export const DEADLINE_WARN_WITHIN_MS = 4 * 60 * 60 * 1000;

export type DeadlineStatus = 'ok' | 'warn' | 'overdue';

/** When a copy of a recording that ended at `recordedEndAt` (UTC ms) is due. */
export function storageDeadlineOf(recordedEndAt: number): number {
  return recordedEndAt + STORAGE_DEADLINE_MS;
}

/**
 * Where a copy stands against the deadline: `ok` (stored in time, or time left), `warn` (not
 * stored and the deadline within `warnWithinMs`), `overdue` (not stored and past it, or
 * stored after it: lateness stays on the record).
 */
export function deadlineStatusAt(
  deadlineAt: number,
  verifiedAt: number | null,
  now: number,
  warnWithinMs = DEADLINE_WARN_WITHIN_MS,
): DeadlineStatus {
  if (verifiedAt !== null) return verifiedAt <= deadlineAt ? 'ok' : 'overdue';
  if (now > deadlineAt) return 'overdue';
  return deadlineAt - now <= warnWithinMs ? 'warn' : 'ok';
}

/**
 * The status of a bag across its copies (one per target): a copy stored in time on any
 * designated target satisfies R4.1; otherwise the bag is as late as its deadline says.
 */
export function bagDeadlineStatus(
  copies: readonly { deadlineAt: number; verifiedAt: number | null }[],
  now: number,
  warnWithinMs = DEADLINE_WARN_WITHIN_MS,
): DeadlineStatus {
  if (copies.length === 0) return 'overdue';
  const statuses = copies.map((c) =>
    deadlineStatusAt(c.deadlineAt, c.verifiedAt, now, warnWithinMs),
  );
  if (copies.some((c, i) => c.verifiedAt !== null && statuses[i] === 'ok')) return 'ok';
  if (statuses.includes('overdue')) return 'overdue';
  return statuses.includes('warn') ? 'warn' : 'ok';
}

/**
 * A bag's outcome against the rule, for supervision: stored `in_time` (a copy verified by its
 * deadline on any target), stored `late`, `overdue` (no copy yet, past the deadline), or
 * `awaiting` (no copy yet, still in time); `lateMs` is how late (for `overdue`, as of `now`).
 * A bag no target was asked to store is judged by its own deadline.
 */
export function bagStorageOutcome(
  copies: readonly { deadlineAt: number; verifiedAt: number | null }[],
  deadlineAt: number,
  now: number,
): { outcome: 'in_time' | 'late' | 'overdue' | 'awaiting'; lateMs: number | null } {
  const status = copies.length
    ? bagDeadlineStatus(copies, now)
    : deadlineStatusAt(deadlineAt, null, now);
  const stored = copies.filter((c) => c.verifiedAt !== null);
  if (status !== 'overdue')
    return { outcome: stored.length ? 'in_time' : 'awaiting', lateMs: null };
  if (stored.length === 0) return { outcome: 'overdue', lateMs: now - deadlineAt };
  return {
    outcome: 'late',
    lateMs: Math.min(...stored.map((c) => c.verifiedAt! - c.deadlineAt)),
  };
}
