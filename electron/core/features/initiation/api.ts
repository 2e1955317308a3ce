/** The handlers of the initiation methods (electron/shared/api/initiation.ts). */
import type { initiationMethods } from '../../../shared/api/initiation';
import type { HandlersOf } from '../handler';

export const initiationHandlers: HandlersOf<typeof initiationMethods> = {
  'intake.list': (s, _c, i) => s.initiation.list(i),
  'intake.register': (s, conn, i) => s.initiation.register(conn, i),
  'intake.askCorrection': (s, conn, i) => s.initiation.askCorrection(conn, i),
  'intake.correctionMade': (s, conn, i) => s.initiation.correctionMade(conn, i),
  'intake.decide': (s, conn, i) => s.initiation.decide(conn, i),
  'initiation.ofCase': (s, _c, i) => s.initiation.ofCase(i.caseId),
  'initiation.reportEmergency': (s, conn, i) => s.initiation.reportEmergency(conn, i),
};
