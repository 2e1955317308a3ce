/**
 * Times cross the contract as UTC milliseconds; people read and type the agency's wall-clock
 * time. Every view converts here, in the agency's zone (app.info), in the app's one format
 * (@shared/time): `2026-12-06 15:08:02`, and `2026年12月6日` for a date in Chinese prose.
 */
import { dateCn, dateIn, dateTimeIn, fromWallClock, timeIn, wallClock } from '@shared/time';

let zone: string = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Sets the zone every view writes times in (the agency's, from `app.info`). */
export function setAgencyTimeZone(timeZone: string): void {
  zone = timeZone;
}

export function agencyTimeZone(): string {
  return zone;
}

/** `2026-12-06 15:08:02`; `2026-12-06 15:08` when seconds would be noise (deadlines, plans). */
export function formatDateTime(ms: number, seconds = true): string {
  return dateTimeIn(ms, zone, seconds);
}

/** `2026年12月6日` in Chinese, `2026-12-06` otherwise. */
export function formatDate(ms: number, language: string): string {
  return language.startsWith('zh') ? dateCn(ms, zone) : dateIn(ms, zone);
}

/** `15:08:02` */
export function formatTime(ms: number): string {
  return timeIn(ms, zone);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Value for `<input type="datetime-local">`: the agency's wall clock, to the minute (or second). */
export function toDateTimeLocal(ms: number, seconds = false): string {
  const w = wallClock(ms, zone);
  const minute = `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
  return seconds ? `${minute}:${pad(w.second)}` : minute;
}

/** UTC ms from a `datetime-local` value read in the agency's zone; `undefined` when not a date. */
export function fromDateTimeLocal(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const w = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
  };
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59)
    return undefined;
  const ms = fromWallClock(w, zone);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The first instant of a `<input type="date">` day in the agency's zone (or of the next day). */
export function fromDateInput(value: string, nextDay = false): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (nextDay ? 1 : 0)));
  const ms = fromWallClock(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    },
    zone,
  );
  return Number.isFinite(ms) ? ms : undefined;
}
