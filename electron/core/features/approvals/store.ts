/** The approvals feature's tables: approval forms, their acts, and their signed prints. */
import type { Db } from '../../platform/db/database';
import type { ApprovalDecision, OfficerPresence, Phase } from '../../../shared/domain';
import type { ApprovalFormKind, ApprovalStep } from '../../../shared/rules/approval-form';

export interface FormRow {
  id: number;
  case_id: number;
  kind: ApprovalFormKind;
  content: string;
  collective_required: 0 | 1;
}

export interface ActRow {
  id: number;
  form_id: number;
  step: ApprovalStep;
  decision: ApprovalDecision | null;
  opinion: string | null;
  data: string;
  user_id: number;
  presence: OfficerPresence;
  handwriting: string;
  case_phase: Phase;
  at: number;
}

export interface PrintRow {
  form_id: number;
  pdf_path: string;
  pdf_sha256: string;
  at: number;
}

export function insertForm(db: Db, f: Omit<FormRow, 'id'>): number {
  return Number(
    db
      .prepare(
        'INSERT INTO approval_forms (case_id, kind, content, collective_required) VALUES (?, ?, ?, ?)',
      )
      .run(f.case_id, f.kind, f.content, f.collective_required).lastInsertRowid,
  );
}

export function formRow(db: Db, id: number): FormRow | undefined {
  return db.prepare('SELECT * FROM approval_forms WHERE id = ?').get(id) as FormRow | undefined;
}

export function formRowsOfCase(db: Db, caseId: number): FormRow[] {
  return db
    .prepare('SELECT * FROM approval_forms WHERE case_id = ? ORDER BY id')
    .all(caseId) as FormRow[];
}

export function insertAct(db: Db, a: Omit<ActRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO approval_acts (form_id, step, decision, opinion, data, user_id, presence, handwriting, case_phase, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.form_id,
        a.step,
        a.decision,
        a.opinion,
        a.data,
        a.user_id,
        a.presence,
        a.handwriting,
        a.case_phase,
        a.at,
      ).lastInsertRowid,
  );
}

export function actRows(db: Db, formId: number): ActRow[] {
  return db
    .prepare('SELECT * FROM approval_acts WHERE form_id = ? ORDER BY id')
    .all(formId) as ActRow[];
}

export function printOf(db: Db, formId: number): PrintRow | undefined {
  return db.prepare('SELECT * FROM approval_form_prints WHERE form_id = ?').get(formId) as
    PrintRow | undefined;
}

export function insertPrint(db: Db, p: PrintRow): void {
  db.prepare(
    'INSERT INTO approval_form_prints (form_id, pdf_path, pdf_sha256, at) VALUES (?, ?, ?, ?)',
  ).run(p.form_id, p.pdf_path, p.pdf_sha256, p.at);
}

/** The signed prints of a case's decided forms, for the case file. */
export function approvalPrintsOfCase(
  db: Db,
  caseId: number,
): { formId: number; kind: ApprovalFormKind; path: string; sha256: string; at: number }[] {
  return db
    .prepare(
      `SELECT f.id AS formId, f.kind, p.pdf_path AS path, p.pdf_sha256 AS sha256, p.at
       FROM approval_forms f JOIN approval_form_prints p ON p.form_id = f.id
       WHERE f.case_id = ? ORDER BY p.at`,
    )
    .all(caseId) as {
    formId: number;
    kind: ApprovalFormKind;
    path: string;
    sha256: string;
    at: number;
  }[];
}
