/** The handlers of the filing and retention methods (electron/shared/api/filing.ts). */
import type { filingMethods } from '../../../shared/api/filing';
import type { HandlersOf } from '../handler';

export const filingHandlers: HandlersOf<typeof filingMethods> = {
  'filing.status': (s, _c, i) => s.filing.status(i.caseId),
  'filing.file': (s, conn, i) => s.filing.file(conn, i),
  'filing.board': (s) => s.filing.board(),
  'retention.status': (s, _c, i) => s.retention.status(i.caseId),
  'retention.decide': (s, conn, i) => s.retention.decide(conn, i),
  'retention.recordIncident': (s, conn, i) => s.retention.recordIncident(conn, i),
  'retention.register': (s) => s.retention.register(),
};
