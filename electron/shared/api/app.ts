/** The app itself: what a client learns before anyone signs in, and the agency's settings. */
import { z } from 'zod';
import { ADMINS, events, method } from './define';
import { empty } from '../schema';

export interface AppInfo {
  name: string;
  version: string;
  /** True until the first administrator account exists. */
  needsSetup: boolean;
  /** Where the core keeps its data (shown in the about box and `attest doctor`). */
  dataDir: string;
  /**
   * The agency's time zone (IANA): every time the app shows or prints is in it, and each
   * session records it when it starts (ARCHITECTURE §2). The machine's zone until set.
   */
  timeZone: string;
  now: number;
}

export interface TimeZoneSettingDto {
  timeZone: string;
  /** Whether the agency set it (false: the machine's zone applies). */
  set: boolean;
  machineTimeZone: string;
}

/** Whether the runtime knows `zone` as an IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A day the agency's calendar sets apart: a holiday on a weekday, or a weekend working day. */
export interface CalendarDayDto {
  /** `YYYY-MM-DD`. */
  day: string;
  kind: 'holiday' | 'workday';
  note: string | null;
}

export const appMethods = {
  'app.info': method<AppInfo>()(empty, 'public'),
  'app.timeZone': method<TimeZoneSettingDto>()(empty, 'user'),
  /** The agency's working-day calendar: the days set apart from Monday-to-Friday. */
  'app.calendar': method<CalendarDayDto[]>()(empty, 'user'),
  /**
   * Sets a day apart (a holiday, or a weekend working day), or with `kind: null` returns it to
   * the ordinary week. Periods counted in working days follow it (行政处罚法 第八十五条).
   */
  'app.setCalendarDay': method<CalendarDayDto[]>()(
    z
      .object({
        day: z
          .string()
          .regex(/^[12]\d{3}-[01]\d-[0-3]\d$/)
          .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { message: 'not a date' }),
        kind: z.enum(['holiday', 'workday']).nullable(),
        note: z.string().trim().max(60).optional(),
      })
      .strict()
      .refine(
        (d) => {
          if (d.kind === null) return true;
          const weekday = new Date(`${d.day}T00:00:00Z`).getUTCDay();
          const weekend = weekday === 0 || weekday === 6;
          return d.kind === 'holiday' ? !weekend : weekend;
        },
        {
          message:
            '节假日只设在工作日（周末本就休息），调休上班只设在周末 a holiday falls on a weekday, a working day on a weekend',
          path: ['kind'],
        },
      ),
    ADMINS,
  ),
  /** Sets (or, with null, clears back to the machine's) the agency's time zone. */
  'app.setTimeZone': method<TimeZoneSettingDto>()(
    z
      .object({
        timeZone: z
          .string()
          .trim()
          .min(1)
          .max(64)
          .refine(isTimeZone, { message: '不是时区名称（如 Asia/Shanghai） not a time zone name' })
          .nullable(),
      })
      .strict(),
    ADMINS,
  ),
} as const;

export interface AppEvents {
  'app.settingsChanged': Record<string, never>;
}
export const APP_EVENTS = events<AppEvents>()(['app.settingsChanged']);
