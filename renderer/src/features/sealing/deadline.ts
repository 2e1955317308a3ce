/**
 * The 24-hour rule as the session screen shows it (R4.1): "须于 YYYY-MM-DD HH:mm 前存储"
 * with a countdown, amber within 4 hours of the deadline, red after it, green once a copy
 * was read back and matched. Pure functions over the core's facts and the core's clock, so
 * the tone never depends on this machine's clock being right.
 */
import { deadlineStatusAt, type BundleReplicationDto } from '@shared/api/storage';

import { formatDateTime } from '../../ui/time';

/** `YYYY-MM-DD HH:mm` in the agency's zone. */
export function formatDeadline(ms: number): string {
  return formatDateTime(ms, false);
}

export interface Span {
  /** Which message: days+hours, hours+minutes, or minutes only. */
  key: 'dhm' | 'hm' | 'm';
  values: { d: number; h: number; m: number };
}

/** A span of time for the countdown, rounded up to the minute (never "0 min" before it is due). */
export function span(ms: number): Span {
  const minutes = Math.max(0, Math.ceil(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return { key: 'dhm', values: { d, h, m } };
  if (h > 0) return { key: 'hm', values: { d, h, m } };
  return { key: 'm', values: { d, h, m } };
}

export type DeadlineTone = 'stored' | 'stored-late' | 'ok' | 'warn' | 'overdue';

export interface DeadlineView {
  tone: DeadlineTone;
  deadline: string;
  /** Time left (ok, warn), past the deadline (overdue, stored-late), or null (stored in time). */
  span: Span | null;
  storedAt: number | null;
}

/** Where a bundle stands now (`now` on the core's clock). */
export function deadlineView(b: BundleReplicationDto, now: number): DeadlineView {
  const deadline = formatDeadline(b.deadlineAt);
  if (b.storedAt !== null) {
    return b.storedAt <= b.deadlineAt
      ? { tone: 'stored', deadline, span: null, storedAt: b.storedAt }
      : {
          tone: 'stored-late',
          deadline,
          span: span(b.storedAt - b.deadlineAt),
          storedAt: b.storedAt,
        };
  }
  const status = deadlineStatusAt(b.deadlineAt, null, now);
  return {
    tone: status,
    deadline,
    span: span(b.deadlineAt - now),
    storedAt: null,
  };
}

/** Human file sizes (KiB, MiB, GiB), one decimal. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}
