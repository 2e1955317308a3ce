/** SQL on the cases' tables (cases, parties, case_officers, approvals, phase_changes). */
import type { Phase } from '../../../shared/domain';
import type { Db } from '../../platform/db/database';

// Queries other features use

/** The phase of a case, or undefined when there is no such case. */
export function casePhase(db: Db, caseId: number): Phase | undefined {
  const row = db.prepare('SELECT phase FROM cases WHERE id = ?').get(caseId) as
    { phase: Phase } | undefined;
  return row?.phase;
}

/** Whether an officer is one of the case's own (investigating) officers. */
export function isCaseOfficer(db: Db, caseId: number, officerId: number): boolean {
  return (
    db
      .prepare('SELECT 1 FROM case_officers WHERE case_id = ? AND officer_id = ?')
      .get(caseId, officerId) !== undefined
  );
}

/** Whether a party belongs to the case. */
export function isPartyOfCase(db: Db, partyId: number, caseId: number): boolean {
  return (
    db.prepare('SELECT 1 FROM parties WHERE id = ? AND case_id = ?').get(partyId, caseId) !==
    undefined
  );
}

/** Marks the case changed at `at` (its list is ordered by it), when something of it changes. */
export function touchCase(db: Db, caseId: number, at: number): void {
  db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(at, caseId);
}

/** A case's number, cause and opening time, or undefined when there is no such case. */
export function caseHeader(
  db: Db,
  caseId: number,
): { id: number; caseNo: string; cause: string; createdAt: number } | undefined {
  return db
    .prepare('SELECT id, case_no AS caseNo, cause, created_at AS createdAt FROM cases WHERE id = ?')
    .get(caseId) as { id: number; caseNo: string; cause: string; createdAt: number } | undefined;
}

/** The case's phase changes in time order. */
export function phaseChangesOfCase(
  db: Db,
  caseId: number,
): { fromPhase: string; toPhase: string; note: string | null; at: number }[] {
  return db
    .prepare(
      'SELECT from_phase AS fromPhase, to_phase AS toPhase, note, at FROM phase_changes WHERE case_id = ? ORDER BY at, id',
    )
    .all(caseId) as { fromPhase: string; toPhase: string; note: string | null; at: number }[];
}

/** The case's approval decisions in the order they were made. */
export function approvalsOfCase(
  db: Db,
  caseId: number,
): { role: string; decision: string; opinion: string; decidedAt: number }[] {
  return db
    .prepare(
      'SELECT role, decision, opinion, decided_at AS decidedAt FROM approvals WHERE case_id = ? ORDER BY decided_at, id',
    )
    .all(caseId) as { role: string; decision: string; opinion: string; decidedAt: number }[];
}

/** When the case last moved to archiving (the end of the matter), or null if it never has. */
export function archivingStartedAt(db: Db, caseId: number): number | null {
  const r = db
    .prepare("SELECT max(at) AS at FROM phase_changes WHERE case_id = ? AND to_phase = 'archiving'")
    .get(caseId) as { at: number | null };
  return r.at ?? null;
}
