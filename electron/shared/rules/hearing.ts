/**
 * The hearing procedure's time limits (行政处罚法 第六十三、六十四条), as pure rules the core and
 * the case screen share: a party told of the right to a hearing asks within five days of being
 * told (告知后五日内); the agency notifies the party of the hearing's time and place at least
 * seven days before it (举行听证的七日前); the party may be represented by one or two agents
 * (委托一至二人代理). Days are calendar days in the agency's time zone: the day of the notice
 * does not count, and a period ends at the end of its last day.
 */
import { fromWallClock, wallClock } from '../time';

/** Days after the notice of the right within which the party asks for a hearing. */
export const HEARING_REQUEST_DAYS = 5;
/** Days before the hearing by which the party is told its time and place. */
export const HEARING_NOTICE_DAYS = 7;
/** Agents a party may appoint for a hearing. */
export const MAX_HEARING_AGENTS = 2;

/** The calendar date of an instant in `timeZone`, as a day number (days since 1970-01-01). */
export function dayNumber(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / 86_400_000);
}

/** The last instant of the day `days` calendar days after the day of `ms`, in `timeZone`. */
export function endOfDayAfter(ms: number, days: number, timeZone: string): number {
  const d = new Date((dayNumber(ms, timeZone) + days + 1) * 86_400_000);
  const midnight = fromWallClock(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    },
    timeZone,
  );
  return midnight - 1;
}

/** The last moment the party may ask for a hearing, told of the right at `servedAt`. */
export function requestDeadline(servedAt: number, timeZone: string): number {
  return endOfDayAfter(servedAt, HEARING_REQUEST_DAYS, timeZone);
}

/** Whole calendar days from the day of `from` to the day of `to` (the first day not counted). */
export function daysBetween(from: number, to: number, timeZone: string): number {
  return dayNumber(to, timeZone) - dayNumber(from, timeZone);
}

/** The facts of a case's hearing procedure: what was recorded, latest in force. */
export interface HearingProcedureFacts {
  /** 听证告知书: when the party was told of the right to a hearing. */
  notice: { servedAt: number } | null;
  /** The party's request (or that they gave it up), with when. */
  answer: { kind: 'request' | 'waiver'; at: number; accepted?: boolean } | null;
  /** 听证通知书: when the party was told of the hearing, and when it is held. */
  summons: { notifiedAt: number; hearingAt: number; shortNoticeAgreed: boolean } | null;
}

export type HearingProcedureStage =
  /** Not yet told of the right. */
  | 'not-told'
  /** Told; the party may still ask. */
  | 'awaiting-request'
  /** The period ran out with no request: no hearing is held. */
  | 'lapsed'
  /** The party gave up the hearing. */
  | 'waived'
  /** A request arrived after the period and the agency did not accept it. */
  | 'refused-late'
  /** Asked for in time (or accepted late): the hearing is to be notified. */
  | 'to-notify'
  /** Notified: the hearing is to be held. */
  | 'notified';

export interface HearingProcedureStatus {
  stage: HearingProcedureStage;
  /** The last moment to ask, once told. */
  requestDeadline: number | null;
  /** The request came after the deadline. */
  requestLate: boolean;
  /** Calendar days between the notice of the hearing and the hearing. */
  noticeDays: number | null;
  /** Fewer than seven days, without the party's agreement. */
  noticeTooShort: boolean;
}

export function hearingProcedureStatus(
  f: HearingProcedureFacts,
  now: number,
  timeZone: string,
): HearingProcedureStatus {
  const deadline = f.notice ? requestDeadline(f.notice.servedAt, timeZone) : null;
  const requestLate = f.answer?.kind === 'request' && deadline !== null && f.answer.at > deadline;
  const noticeDays = f.summons
    ? daysBetween(f.summons.notifiedAt, f.summons.hearingAt, timeZone)
    : null;
  const noticeTooShort =
    noticeDays !== null && noticeDays < HEARING_NOTICE_DAYS && !f.summons!.shortNoticeAgreed;
  let stage: HearingProcedureStage;
  if (!f.notice) stage = 'not-told';
  else if (f.answer?.kind === 'waiver') stage = 'waived';
  else if (f.answer?.kind === 'request') {
    if (requestLate && f.answer.accepted !== true) stage = 'refused-late';
    else stage = f.summons ? 'notified' : 'to-notify';
  } else stage = now > deadline! ? 'lapsed' : 'awaiting-request';
  return { stage, requestDeadline: deadline, requestLate, noticeDays, noticeTooShort };
}
