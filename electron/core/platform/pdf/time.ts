/** Date and time as Chinese documents print them, in a given IANA time zone. */

function parts(iso: string, timeZone: string): Record<string, string> {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date: ${iso}`);
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(fmt.formatToParts(date).map((p) => [p.type, p.value]));
}

/** `2026年11月22日` */
export function formatDateCn(iso: string, timeZone: string): string {
  const p = parts(iso, timeZone);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** `09时30分15秒` */
export function formatTimeCn(iso: string, timeZone: string): string {
  const p = parts(iso, timeZone);
  return `${p.hour}时${p.minute}分${p.second}秒`;
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
