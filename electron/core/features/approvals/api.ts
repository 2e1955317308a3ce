/** The handlers of the approvals methods (electron/shared/api/approvals.ts). */
import type { approvalsMethods } from '../../../shared/api/approvals';
import type { HandlersOf } from '../handler';

export const approvalsHandlers: HandlersOf<typeof approvalsMethods> = {
  'approvals.list': (s, _c, i) => s.approvals.list(i.caseId),
  'approvals.propose': (s, conn, i) => s.approvals.propose(conn, i),
  'approvals.review': (s, conn, i) => s.approvals.review(conn, i),
  'approvals.discuss': (s, conn, i) => s.approvals.discuss(conn, i),
  'approvals.signDiscussion': (s, conn, i) => s.approvals.signDiscussion(conn, i),
  'approvals.decide': (s, conn, i) => s.approvals.decide(conn, i),
  'approvals.pdf': (s, conn, i) => s.approvals.pdf(conn, i.formId),
  'approvals.candidates': (s) => s.approvals.candidates(),
};
