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
