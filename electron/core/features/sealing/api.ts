/** The handlers of the sealing methods (electron/shared/api/sealing.ts). */
import type { sealingMethods } from '../../../shared/api/sealing';
import type { HandlersOf } from '../handler';

export const sealingHandlers: HandlersOf<typeof sealingMethods> = {
  'sessions.sealCheck': (s, _c, i) => s.sealing.check(i.id),
  'sessions.seal': (s, conn, i) => s.sealing.seal(conn, i),
  'bundles.list': (s, c, i) => s.sealing.listFor(c, i),
  'bundles.verify': (s, conn, i) => s.sealing.verify(conn, i.bundleId),
  'bundles.verification': (s, _c, i) => s.sealing.verification(i.bundleId),
};
