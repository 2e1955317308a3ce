/** The app itself: what a client learns before anyone signs in. */
import { events, method } from './define';
import { empty } from '../schema';

export interface AppInfo {
  name: string;
  version: string;
  /** True until the first administrator account exists. */
  needsSetup: boolean;
  /** Where the core keeps its data (shown in the about box and `attest doctor`). */
  dataDir: string;
  /** The machine's time zone, recorded with every session (ARCHITECTURE §2). */
  timeZone: string;
  now: number;
}

export const appMethods = {
  'app.info': method<AppInfo>()(empty, 'public'),
} as const;

export type AppEvents = Record<never, never>;
export const APP_EVENTS = events<AppEvents>()([]);
