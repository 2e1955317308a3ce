/**
 * The filing deadline (R5.2): the case file is filed within 30 days (some rules say 20) of
 * the end of the matter, which is the last decision issued or the last execution recorded.
 * The clock starts there, not when anyone moves the case, and stops when the case is filed.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The end of the matter: the latest decision or execution, or null while there is none. */
export function endOfMatter(
  decisionsIssuedAt: readonly number[],
  executedAt: readonly number[],
): number | null {
  const all = [...decisionsIssuedAt, ...executedAt];
  return all.length ? Math.max(...all) : null;
}

export type FilingStatus = 'not_started' | 'ok' | 'warn' | 'overdue' | 'filed' | 'filed_late';

export interface FilingClock {
  matterEndedAt: number | null;
  deadline: number | null;
  status: FilingStatus;
  /** Whole days left (negative when overdue); null when the clock has not started or stopped. */
  daysLeft: number | null;
}

/** Where a case stands against its filing deadline at `now`. */
export function filingClock(
  matterEndedAt: number | null,
  filedAt: number | null,
  policy: { filingDays: number; warnDays: number },
  now: number,
): FilingClock {
  if (matterEndedAt === null)
    return {
      matterEndedAt,
      deadline: null,
      status: filedAt === null ? 'not_started' : 'filed',
      daysLeft: null,
    };
  const deadline = matterEndedAt + policy.filingDays * DAY_MS;
  if (filedAt !== null)
    return {
      matterEndedAt,
      deadline,
      status: filedAt <= deadline ? 'filed' : 'filed_late',
      daysLeft: null,
    };
  const left = deadline - now;
  return {
    matterEndedAt,
    deadline,
    status: left < 0 ? 'overdue' : left <= policy.warnDays * DAY_MS ? 'warn' : 'ok',
    daysLeft: Math.floor(left / DAY_MS),
  };
}
