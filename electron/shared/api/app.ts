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

export const appMethods = {
  'app.info': method<AppInfo>()(empty, 'public'),
  'app.timeZone': method<TimeZoneSettingDto>()(empty, 'user'),
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
