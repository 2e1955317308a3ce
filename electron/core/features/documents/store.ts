/**
 * The documents feature's tables: the agency's identity for documents, issued documents,
 * their service records and proofs, and executions.
 */
import type { Db } from '../../platform/db/database';
import type { ExecutionResult } from '../../../shared/api/documents';
import type { ServiceMethod } from '../../../shared/rules/service';

export interface AgencyIdentityRow {
  name: string;
  short_name: string;
  seal_sha256: string | null;
  set_by: number;
  set_at: number;
}

export function agencyIdentityRow(db: Db): AgencyIdentityRow | undefined {
  return db.prepare('SELECT * FROM agency_identity WHERE id = 1').get() as
    AgencyIdentityRow | undefined;
}

export function writeAgencyIdentity(db: Db, r: AgencyIdentityRow): void {
  db.prepare(
    `INSERT INTO agency_identity (id, name, short_name, seal_sha256, set_by, set_at) VALUES (1, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
       seal_sha256 = excluded.seal_sha256, set_by = excluded.set_by, set_at = excluded.set_at`,
  ).run(r.name, r.short_name, r.seal_sha256, r.set_by, r.set_at);
}

export interface DocumentRow {
  id: number;
  case_id: number;
  template: string;
  title: string;
  doc_no: string | null;
  doc_year: number | null;
  doc_seq: number | null;
  fields: string;
  needs_service: 0 | 1;
  ends_matter: 0 | 1;
  pdf_path: string;
  pdf_sha256: string;
  seal_sha256: string | null;
  issued_by: number;
  issued_at: number;
}

/** The next number of a kind of document in a year (文号 run per prefix and year). */
export function nextDocSeq(db: Db, prefix: string, year: number): number {
  const r = db
    .prepare(
      "SELECT max(doc_seq) AS n FROM issued_documents WHERE doc_year = ? AND doc_no LIKE ? ESCAPE '\\'",
    )
    .get(year, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}〔%`) as { n: number | null };
  return (r.n ?? 0) + 1;
}

export function insertDocument(db: Db, d: Omit<DocumentRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO issued_documents (case_id, template, title, doc_no, doc_year, doc_seq, fields,
           needs_service, ends_matter, pdf_path, pdf_sha256, seal_sha256, issued_by, issued_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        d.case_id,
        d.template,
        d.title,
        d.doc_no,
        d.doc_year,
        d.doc_seq,
        d.fields,
        d.needs_service,
        d.ends_matter,
        d.pdf_path,
        d.pdf_sha256,
        d.seal_sha256,
        d.issued_by,
        d.issued_at,
      ).lastInsertRowid,
  );
}

export function documentRow(db: Db, id: number): DocumentRow | undefined {
  return db.prepare('SELECT * FROM issued_documents WHERE id = ?').get(id) as
    DocumentRow | undefined;
}

export function documentRowsOfCase(db: Db, caseId: number): DocumentRow[] {
  return db
    .prepare('SELECT * FROM issued_documents WHERE case_id = ? ORDER BY issued_at, id')
    .all(caseId) as DocumentRow[];
}

export interface ServiceRow {
  id: number;
  document_id: number;
  method: ServiceMethod;
  data: string;
  served_at: number;
  session_id: number | null;
  handwriting: string | null;
  receipt_path: string | null;
  receipt_sha256: string | null;
  recorded_by: number;
  recorded_at: number;
}

export function insertService(db: Db, s: Omit<ServiceRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO service_records (document_id, method, data, served_at, session_id, handwriting,
           receipt_path, receipt_sha256, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.document_id,
        s.method,
        s.data,
        s.served_at,
        s.session_id,
        s.handwriting,
        s.receipt_path,
        s.receipt_sha256,
        s.recorded_by,
        s.recorded_at,
      ).lastInsertRowid,
  );
}

export function serviceRow(db: Db, id: number): ServiceRow | undefined {
  return db.prepare('SELECT * FROM service_records WHERE id = ?').get(id) as ServiceRow | undefined;
}

export function serviceRowsOf(db: Db, documentId: number): ServiceRow[] {
  return db
    .prepare('SELECT * FROM service_records WHERE document_id = ? ORDER BY id')
    .all(documentId) as ServiceRow[];
}

export interface ProofRow {
  id: number;
  service_id: number;
  data: string;
  file_name: string;
  file_path: string;
  file_sha256: string;
  received_at: number;
  recorded_by: number;
  recorded_at: number;
}

export function insertProof(db: Db, p: Omit<ProofRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO service_proofs (service_id, data, file_name, file_path, file_sha256, received_at, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.service_id,
        p.data,
        p.file_name,
        p.file_path,
        p.file_sha256,
        p.received_at,
        p.recorded_by,
        p.recorded_at,
      ).lastInsertRowid,
  );
}

export function proofRowsOf(db: Db, serviceId: number): ProofRow[] {
  return db
    .prepare('SELECT * FROM service_proofs WHERE service_id = ? ORDER BY id')
    .all(serviceId) as ProofRow[];
}

export interface ExecutionRow {
  id: number;
  case_id: number;
  document_id: number;
  result: ExecutionResult;
  detail: string;
  executed_at: number;
  recorded_by: number;
  recorded_at: number;
}

export function insertExecution(db: Db, e: Omit<ExecutionRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO executions (case_id, document_id, result, detail, executed_at, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.case_id,
        e.document_id,
        e.result,
        e.detail,
        e.executed_at,
        e.recorded_by,
        e.recorded_at,
      ).lastInsertRowid,
  );
}

export function executionRowsOf(db: Db, documentId: number): ExecutionRow[] {
  return db
    .prepare('SELECT * FROM executions WHERE document_id = ? ORDER BY executed_at, id')
    .all(documentId) as ExecutionRow[];
}

/** When the matter ended, from the documents' side: decisions issued and executions recorded. */
export function matterEndFacts(
  db: Db,
  caseId: number,
): { decisionsIssuedAt: number[]; executedAt: number[] } {
  return (
    matterEndFactsIn(db, '@caseId', { caseId }).get(caseId) ?? {
      decisionsIssuedAt: [],
      executedAt: [],
    }
  );
}

/** A document's service records as the case file lists them: method, recipient, proof kept. */
export function serviceEntriesOf(
  db: Db,
  documentId: number,
): {
  method: ServiceMethod;
  recipient: string;
  servedAt: number;
  path: string | null;
  proof: string | null;
}[] {
  return serviceRowsOf(db, documentId).map((r) => {
    const proofs = proofRowsOf(db, r.id);
    const d = JSON.parse(r.data) as { recipient: string; trackingNo?: string };
    return {
      method: r.method,
      recipient: d.recipient,
      servedAt: r.served_at,
      path: r.receipt_path ?? proofs[0]?.file_path ?? null,
      proof: r.receipt_sha256
        ? `送达回证 SHA-256 ${r.receipt_sha256}`
        : proofs[0]
          ? `回执 ${proofs[0].file_name} SHA-256 ${proofs[0].file_sha256}`
          : d.trackingNo
            ? `邮件号 ${d.trackingNo}`
            : null,
    };
  });
}

/** A decision's executions as the case file lists them. */
export function executionEntriesOf(
  db: Db,
  documentId: number,
): { result: ExecutionResult; detail: string; executedAt: number }[] {
  return executionRowsOf(db, documentId).map((e) => ({
    result: e.result,
    detail: e.detail,
    executedAt: e.executed_at,
  }));
}

/** The same facts for every case `caseIdsSql` selects (`id`), at once (one case, or a period's). */
export function matterEndFactsIn(
  db: Db,
  caseIdsSql: string,
  params: Record<string, unknown>,
): Map<number, { decisionsIssuedAt: number[]; executedAt: number[] }> {
  const out = new Map<number, { decisionsIssuedAt: number[]; executedAt: number[] }>();
  const of = (id: number) => {
    let f = out.get(id);
    if (!f) out.set(id, (f = { decisionsIssuedAt: [], executedAt: [] }));
    return f;
  };
  const decisions = db
    .prepare(
      `SELECT case_id, issued_at FROM issued_documents
       WHERE ends_matter = 1 AND case_id IN (${caseIdsSql})`,
    )
    .all(params) as { case_id: number; issued_at: number }[];
  for (const d of decisions) of(d.case_id).decisionsIssuedAt.push(d.issued_at);
  const executions = db
    .prepare(`SELECT case_id, executed_at FROM executions WHERE case_id IN (${caseIdsSql})`)
    .all(params) as { case_id: number; executed_at: number }[];
  for (const e of executions) of(e.case_id).executedAt.push(e.executed_at);
  return out;
}
