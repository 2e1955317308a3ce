/**
 * Wall-clock time in the agency's zone: the one way every view and document of Attest writes
 * an instant. Instants travel as UTC milliseconds; each is written in one IANA zone, as
 *
 * - `2026-12-06 15:08:02` (screens, lists, labels: {@link dateTimeIn}),
 * - `2026年12月6日` and `15时08分02秒` (the prose of Chinese documents: {@link dateCn},
 *   {@link timeCn}),
 * - `2026-12-06T15:08:02+08:00` (machine-readable files: {@link isoInZone}, with the offset).
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at the instant `ms`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${ms}`);
  const p: Record<string, number> = {};
  for (const part of formatOf(timeZone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return {
    year: p.year!,
    month: p.month!,
    day: p.day!,
    hour: p.hour! % 24,
    minute: p.minute!,
    second: p.second!,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

// Each written instant reads the zone's clock once (Intl's formatToParts is the cost); the
// parts below write from that one reading.
const minutesAhead = (w: WallClock, ms: number) =>
  Math.round(
    (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) -
      Math.floor(ms / 1000) * 1000) /
      60_000,
  );
const offsetPart = (minutes: number) => {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
};
const datePart = (w: WallClock) => `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
const timePart = (w: WallClock, seconds: boolean) =>
  `${pad(w.hour)}:${pad(w.minute)}${seconds ? `:${pad(w.second)}` : ''}`;

/** Minutes `timeZone` is ahead of UTC at `ms` (480 for Asia/Shanghai). */
export function offsetMinutes(ms: number, timeZone: string): number {
  return minutesAhead(wallClock(ms, timeZone), ms);
}

/** `+08:00` */
export function offsetText(ms: number, timeZone: string): string {
  return offsetPart(offsetMinutes(ms, timeZone));
}

/** `2026-12-06` */
export function dateIn(ms: number, timeZone: string): string {
  return datePart(wallClock(ms, timeZone));
}

/** `15:08:02` (`15:08` without seconds). */
export function timeIn(ms: number, timeZone: string, seconds = true): string {
  return timePart(wallClock(ms, timeZone), seconds);
}

/** `2026-12-06 15:08:02` (`2026-12-06 15:08` without seconds). */
export function dateTimeIn(ms: number, timeZone: string, seconds = true): string {
  const w = wallClock(ms, timeZone);
  return `${datePart(w)} ${timePart(w, seconds)}`;
}

/** `2026-12-06T15:08:02+08:00`: the wall clock and the instant, unambiguous. */
export function isoInZone(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${datePart(w)}T${timePart(w, true)}${offsetPart(minutesAhead(w, ms))}`;
}

/** `2026年12月6日` */
export function dateCn(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}年${w.month}月${w.day}日`;
}

/** `15时08分02秒` */
export function timeCn(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${pad(w.hour)}时${pad(w.minute)}分${pad(w.second)}秒`;
}

/**
 * The instant a wall clock in `timeZone` shows; for a time that occurs twice (a clock set
 * back) the earlier, for one that never occurs (a clock set forward) the instant after the gap.
 */
export function fromWallClock(w: WallClock, timeZone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // The zone's offsets 14 h either side (the widest offset there is): any change of the
  // clock near the time lies between them. Of the instants they give, those that show the wall clock are meant.
  const before = asUtc - offsetMinutes(asUtc - 14 * 3_600_000, timeZone) * 60_000;
  const after = asUtc - offsetMinutes(asUtc + 14 * 3_600_000, timeZone) * 60_000;
  const shows = (ms: number) => {
    const v = wallClock(ms, timeZone);
    return (
      v.year === w.year &&
      v.month === w.month &&
      v.day === w.day &&
      v.hour === w.hour &&
      v.minute === w.minute &&
      v.second === w.second
    );
  };
  const meant = [before, after].filter(shows);
  // None shows it: the time falls in a gap, and the offset before the gap carries it past.
  return meant.length ? Math.min(...meant) : before;
}
