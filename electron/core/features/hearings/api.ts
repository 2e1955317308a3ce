/** The handlers of the hearings methods (electron/shared/api/hearings.ts). */
import type { hearingsMethods } from '../../../shared/api/hearings';
import type { HandlersOf } from '../handler';

export const hearingsHandlers: HandlersOf<typeof hearingsMethods> = {
  'hearings.report': (s, conn, i) => s.hearings.report(conn, i.sessionId),
  'hearings.saveReport': (s, conn, i) => s.hearings.saveReport(conn, i.sessionId, i.content),
  'hearings.procedure': (s, conn, i) => s.hearingProcedures.procedure(conn, i.caseId),
  'hearings.recordNotice': (s, conn, i) => s.hearingProcedures.recordNotice(conn, i),
  'hearings.recordAnswer': (s, conn, i) => s.hearingProcedures.recordAnswer(conn, i),
  'hearings.recordSummons': (s, conn, i) => s.hearingProcedures.recordSummons(conn, i),
  'hearings.signReport': (s, conn, i) =>
    s.hearings.signReport(conn, i.sessionId, i.version, i.confirmation),
};
