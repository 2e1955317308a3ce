/**
 * The hearing procedure's time limits (行政处罚法 第六十三、六十四条), as pure rules the core and
 * the case screen share: a party told of the right to a hearing asks within five days of being
 * told (告知后五日内); the agency notifies the party of the hearing's time and place at least
 * seven days before it (举行听证的七日前); the party may be represented by one or two agents
 * (委托一至二人代理). These days are working days, statutory holidays excluded (第八十五条):
 * Monday to Friday unless the agency's calendar makes one a holiday, a weekend day only where
 * it makes one a working day (调休). Days are the agency's (its time zone); the day of the notice
 * does not count, and a period ends at the end of its last day.
 */
import { fromWallClock, wallClock } from '../time';

/** Days after the notice of the right within which the party asks for a hearing. */
export const HEARING_REQUEST_DAYS = 5;
/** Days before the hearing by which the party is told its time and place. */
export const HEARING_NOTICE_DAYS = 7;
/** Agents a party may appoint for a hearing. */
export const MAX_HEARING_AGENTS = 2;

/** The agency's calendar: holidays on weekdays, and weekend days made working days. */
export interface WorkCalendar {
  /** `YYYY-MM-DD` days off (法定节假日). */
  holidays: readonly string[];
  /** `YYYY-MM-DD` weekend days that are working days (调休上班). */
  workdays: readonly string[];
}

export const NO_CALENDAR: WorkCalendar = { holidays: [], workdays: [] };

/** `YYYY-MM-DD` of a day number. */
function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Whether a day (day number) is a working day on the agency's calendar. */
export function isWorkday(day: number, calendar: WorkCalendar): boolean {
  const iso = isoDay(day);
  const weekday = new Date(day * 86_400_000).getUTCDay();
  if (weekday === 0 || weekday === 6) return calendar.workdays.includes(iso);
  return !calendar.holidays.includes(iso);
}

/** The day number `n` working days after the day `from` (that day not counted). */
export function workdaysAfter(from: number, n: number, calendar: WorkCalendar): number {
  let day = from;
  for (let counted = 0; counted < n;) {
    day += 1;
    if (isWorkday(day, calendar)) counted += 1;
  }
  return day;
}

/** The calendar date of an instant in `timeZone`, as a day number (days since 1970-01-01). */
export function dayNumber(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / 86_400_000);
}

/** The first instant of a day (a day number) in `timeZone`: its midnight. */
function startOfDay(day: number, timeZone: string): number {
  const d = new Date(day * 86_400_000);
  return fromWallClock(
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
}

/** The last moment the party may ask for a hearing, told of the right at `servedAt`. */
export function requestDeadline(
  servedAt: number,
  timeZone: string,
  calendar: WorkCalendar = NO_CALENDAR,
): number {
  const last = workdaysAfter(dayNumber(servedAt, timeZone), HEARING_REQUEST_DAYS, calendar);
  // To the end of that day: the instant before the next begins.
  return startOfDay(last + 1, timeZone) - 1;
}

/** Working days after the day of `from` up to and including the day of `to`. */
export function workdaysBetween(
  from: number,
  to: number,
  timeZone: string,
  calendar: WorkCalendar = NO_CALENDAR,
): number {
  const a = dayNumber(from, timeZone);
  const b = dayNumber(to, timeZone);
  let n = 0;
  for (let day = a + 1; day <= b; day++) if (isWorkday(day, calendar)) n += 1;
  return n;
}

/** The first moment the hearing may be held, notified at `notifiedAt` (seven working days). */
export function earliestHearing(
  notifiedAt: number,
  timeZone: string,
  calendar: WorkCalendar = NO_CALENDAR,
): number {
  return startOfDay(
    workdaysAfter(dayNumber(notifiedAt, timeZone), HEARING_NOTICE_DAYS, calendar),
    timeZone,
  );
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
  /** Working days between the notice of the hearing and the hearing. */
  noticeDays: number | null;
  /** Fewer than seven days, without the party's agreement. */
  noticeTooShort: boolean;
}

export function hearingProcedureStatus(
  f: HearingProcedureFacts,
  now: number,
  timeZone: string,
  calendar: WorkCalendar = NO_CALENDAR,
): HearingProcedureStatus {
  const deadline = f.notice ? requestDeadline(f.notice.servedAt, timeZone, calendar) : null;
  const requestLate = f.answer?.kind === 'request' && deadline !== null && f.answer.at > deadline;
  const noticeDays = f.summons
    ? workdaysBetween(f.summons.notifiedAt, f.summons.hearingAt, timeZone, calendar)
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
