/** The handlers of the app methods (electron/shared/api/app.ts). */
import type { appMethods } from '../../../shared/api/app';
import type { HandlersOf } from '../handler';

export const appHandlers: HandlersOf<typeof appMethods> = {
  'app.info': (s) => s.info(),
};
