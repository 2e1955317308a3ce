/** The handlers of the compliance methods (electron/shared/api/compliance.ts). */
import type { complianceMethods } from '../../../shared/api/compliance';
import type { HandlersOf } from '../handler';

export const complianceHandlers: HandlersOf<typeof complianceMethods> = {
  'compliance.session': (s, _c, i) => s.compliance.session(i.sessionId),
  'compliance.case': (s, _c, i) => s.compliance.case(i.caseId),
};
