/** The handlers of the audit methods (electron/shared/api/audit.ts). */
import type { auditMethods } from '../../../shared/api/audit';
import type { HandlersOf } from '../handler';

export const auditHandlers: HandlersOf<typeof auditMethods> = {
  'audit.list': (s, c, input) => s.audit.list({ ...input, visibleTo: s.access.auditScope(c) }),
  'audit.verifyChain': (s) => s.anchors.verify(),
  'audit.search': (s, _c, input) => s.auditViewer.search(input),
  'audit.people': (s) => s.auditViewer.people(),
  'audit.csv': (s, c, input) => s.auditViewer.csv(c, input),
  'audit.caseReport': (s, c, input) => s.auditViewer.caseReport(c, input.caseId),
};
