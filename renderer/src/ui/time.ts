/**
 * Times cross the contract as UTC milliseconds; people read and type local wall-clock time.
 * The conversion happens here and nowhere else.
 */
import { localeOf } from '../i18n';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Local date and time, e.g. `2026/05/03 14:05` in zh-CN. */
export function formatDateTime(ms: number, language: string, timeZone?: string): string {
  const locale = localeOf(language);
  const cacheKey = `${locale}|${timeZone ?? ''}`;
  let format = formats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(timeZone ? { timeZone } : {}),
    });
    formats.set(cacheKey, format);
  }
  return format.format(new Date(ms));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Value for `<input type="datetime-local">` (local time, minutes). */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** UTC ms from a `datetime-local` value; `undefined` when empty or not a date. */
export function fromDateTimeLocal(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const ms = new Date(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
  ).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
