/** The filing feature's tables: the filing act, incidents and retention decisions. */
import type { Db } from '../../platform/db/database';
import type { IncidentKind } from '../../../shared/api/filing';
import type { OfficerPresence } from '../../../shared/domain';

export interface FilingRow {
  id: number;
  case_id: number;
  toc: string;
  toc_sha256: string;
  pdf_path: string;
  pdf_sha256: string;
  compiled_by: number;
  reviewed_by: number;
  presence: OfficerPresence;
  handwriting: string;
  filed_at: number;
}

export function filingOf(db: Db, caseId: number): FilingRow | undefined {
  return db.prepare('SELECT * FROM case_filings WHERE case_id = ?').get(caseId) as
    FilingRow | undefined;
}

export function insertFiling(db: Db, f: Omit<FilingRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO case_filings (case_id, toc, toc_sha256, pdf_path, pdf_sha256, compiled_by,
           reviewed_by, presence, handwriting, filed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        f.case_id,
        f.toc,
        f.toc_sha256,
        f.pdf_path,
        f.pdf_sha256,
        f.compiled_by,
        f.reviewed_by,
        f.presence,
        f.handwriting,
        f.filed_at,
      ).lastInsertRowid,
  );
}

export interface IncidentRow {
  id: number;
  case_id: number;
  kind: IncidentKind;
  note: string;
  occurred_at: number;
  recorded_by: number;
  recorded_at: number;
}

export function incidentsOf(db: Db, caseId: number): IncidentRow[] {
  return db
    .prepare('SELECT * FROM case_incidents WHERE case_id = ? ORDER BY occurred_at, id')
    .all(caseId) as IncidentRow[];
}

export function insertIncident(db: Db, r: Omit<IncidentRow, 'id'>): number {
  return Number(
    db
      .prepare(
        'INSERT INTO case_incidents (case_id, kind, note, occurred_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(r.case_id, r.kind, r.note, r.occurred_at, r.recorded_by, r.recorded_at).lastInsertRowid,
  );
}

export interface RetentionDecisionRow {
  id: number;
  case_id: number;
  decision: 'confirmed' | 'declined';
  reason: string;
  grounds: string;
  decided_by: number;
  decided_at: number;
}

export function retentionDecisionsOf(db: Db, caseId: number): RetentionDecisionRow[] {
  return db
    .prepare('SELECT * FROM retention_decisions WHERE case_id = ? ORDER BY id')
    .all(caseId) as RetentionDecisionRow[];
}

export function insertRetentionDecision(db: Db, r: Omit<RetentionDecisionRow, 'id'>): number {
  return Number(
    db
      .prepare(
        'INSERT INTO retention_decisions (case_id, decision, reason, grounds, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(r.case_id, r.decision, r.reason, r.grounds, r.decided_by, r.decided_at).lastInsertRowid,
  );
}

/** The reason the case file is kept long-term, once the legal officer confirmed it. */
export function confirmedLongTermReason(db: Db, caseId: number): string | undefined {
  const r = db
    .prepare(
      "SELECT reason FROM retention_decisions WHERE case_id = ? AND decision = 'confirmed' ORDER BY id LIMIT 1",
    )
    .get(caseId) as { reason: string } | undefined;
  return r?.reason;
}
