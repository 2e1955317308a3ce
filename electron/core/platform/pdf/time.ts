/** Date and time as Chinese documents print them, in a given IANA time zone (electron/shared/time). */
import { dateCn, timeCn } from '../../../shared/time';

const instant = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  return ms;
};

/** `2026年11月22日` */
export function formatDateCn(iso: string, timeZone: string): string {
  return dateCn(instant(iso), timeZone);
}

/** `09时30分15秒` */
export function formatTimeCn(iso: string, timeZone: string): string {
  return timeCn(instant(iso), timeZone);
}

/** `2026年11月22日09时30分15秒至10时45分02秒` (the date repeated only if it changed). */
export function formatSpanCn(startIso: string, endIso: string, timeZone: string): string {
  const d0 = formatDateCn(startIso, timeZone);
  const d1 = formatDateCn(endIso, timeZone);
  const t0 = formatTimeCn(startIso, timeZone);
  const t1 = formatTimeCn(endIso, timeZone);
  return d0 === d1 ? `${d0}${t0}至${t1}` : `${d0}${t0}至${d1}${t1}`;
}

/** Elapsed recording time `01:02:03` (negative times clamp to zero). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}
