import type { Db } from '../../platform/db/database';

// Queries other features use

/** The case number of a case, or null when there is no such case. */
export function caseNumberOf(db: Db, caseId: number): string | null {
  const row = db.prepare('SELECT case_no FROM cases WHERE id = ?').get(caseId) as
    { case_no: string } | undefined;
  return row?.case_no ?? null;
}
