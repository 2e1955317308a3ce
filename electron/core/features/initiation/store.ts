/** The initiation feature's tables: intake entries and their steps, emergency reports. */
import type { Db } from '../../platform/db/database';
import type { IntakeKind, IntakeStepKind } from '../../../shared/api/initiation';

export interface IntakeEntryRow {
  id: number;
  kind: IntakeKind;
  data: string;
  received_at: number;
  recorded_by: number;
  recorded_at: number;
}

export interface IntakeStepRow {
  id: number;
  entry_id: number;
  kind: IntakeStepKind;
  data: string;
  case_id: number | null;
  by_user: number;
  at: number;
}

export function insertEntry(db: Db, e: Omit<IntakeEntryRow, 'id'>): number {
  return Number(
    db
      .prepare(
        'INSERT INTO intake_entries (kind, data, received_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(e.kind, e.data, e.received_at, e.recorded_by, e.recorded_at).lastInsertRowid,
  );
}

export function entryRow(db: Db, id: number): IntakeEntryRow | undefined {
  return db.prepare('SELECT * FROM intake_entries WHERE id = ?').get(id) as
    IntakeEntryRow | undefined;
}

export function entryRows(db: Db, kind: IntakeKind | undefined): IntakeEntryRow[] {
  return (
    kind
      ? db.prepare('SELECT * FROM intake_entries WHERE kind = ? ORDER BY received_at DESC, id DESC')
      : db.prepare('SELECT * FROM intake_entries ORDER BY received_at DESC, id DESC')
  ).all(...(kind ? [kind] : [])) as IntakeEntryRow[];
}

export function insertStep(db: Db, s: Omit<IntakeStepRow, 'id'>): number {
  return Number(
    db
      .prepare(
        'INSERT INTO intake_steps (entry_id, kind, data, case_id, by_user, at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(s.entry_id, s.kind, s.data, s.case_id, s.by_user, s.at).lastInsertRowid,
  );
}

export function stepRows(db: Db, entryId: number): IntakeStepRow[] {
  return db
    .prepare('SELECT * FROM intake_steps WHERE entry_id = ? ORDER BY id')
    .all(entryId) as IntakeStepRow[];
}

/** The intake entry a case was opened from, if it was. */
export function entryIdOfCase(db: Db, caseId: number): number | null {
  const r = db
    .prepare(
      "SELECT entry_id FROM intake_steps WHERE case_id = ? AND kind IN ('accepted', 'opened')",
    )
    .get(caseId) as { entry_id: number } | undefined;
  return r?.entry_id ?? null;
}

export interface EmergencyReportRow {
  case_id: number;
  data: string;
  reported_at: number;
  recorded_by: number;
  recorded_at: number;
}

export function emergencyReport(db: Db, caseId: number): EmergencyReportRow | undefined {
  return db.prepare('SELECT * FROM emergency_reports WHERE case_id = ?').get(caseId) as
    EmergencyReportRow | undefined;
}

export function insertEmergencyReport(db: Db, r: EmergencyReportRow): void {
  db.prepare(
    'INSERT INTO emergency_reports (case_id, data, reported_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)',
  ).run(r.case_id, r.data, r.reported_at, r.recorded_by, r.recorded_at);
}
