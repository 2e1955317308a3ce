/** The handlers of the documents methods (electron/shared/api/documents.ts). */
import type { documentsMethods } from '../../../shared/api/documents';
import type { HandlersOf } from '../handler';

export const documentsHandlers: HandlersOf<typeof documentsMethods> = {
  'documents.templates': (s) => s.documents.templates(),
  'documents.prefill': (s, _c, i) => s.documents.prefill(i.caseId, i.template),
  'documents.issue': (s, conn, i) => s.documents.issue(conn, i),
  'documents.list': (s, _c, i) => s.documents.list(i.caseId),
  'documents.pdf': (s, conn, i) => s.documents.pdf(conn, i.documentId),
  'documents.serve': (s, conn, i) => s.documents.records.serve(conn, i),
  'documents.receiptPdf': (s, conn, i) => s.documents.records.receiptPdf(conn, i.serviceId),
  'documents.attachReceipt': (s, conn, i) => s.documents.records.attachReceipt(conn, i),
  'documents.recordExecution': (s, conn, i) => s.documents.records.recordExecution(conn, i),
  'documents.identity': (s) => s.documents.identity(),
  'documents.setIdentity': (s, conn, i) => s.documents.setIdentity(conn, i),
};
