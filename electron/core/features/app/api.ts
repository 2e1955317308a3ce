/** The handlers of the app methods (electron/shared/api/app.ts). */
import type { appMethods } from '../../../shared/api/app';
import type { HandlersOf } from '../handler';

export const appHandlers: HandlersOf<typeof appMethods> = {
  'app.info': (s) => s.info(),
  'app.timeZone': (s) => s.settings.timeZoneSetting(),
  'app.setTimeZone': (s, c, input) => s.settings.setTimeZone(c, input.timeZone),
  'app.calendar': (s) => s.settings.calendarDays(),
  'app.setCalendarDay': (s, c, input) =>
    s.settings.setCalendarDay(c, input.day, input.kind, input.note),
};
