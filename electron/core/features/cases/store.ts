import type { Db } from '../../platform/db/database';

// Queries other features use

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
