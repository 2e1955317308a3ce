/**
 * What supervision reads of the cases: their rows as statistics sources (`case_id, key, v, at`:
 * `at` is when the case was opened), the unit filter every figure shares, the units, and the
 * heads of the cases a figure drills down to.
 */
import type { Phase } from '../../../shared/domain';
import type { Db } from '../../platform/db/database';

export const CASE_STAT_SQL = {
  byPhase: 'SELECT id AS case_id, phase AS key, 1 AS v, created_at AS at FROM cases',
  byKind: 'SELECT id AS case_id, matter_kind AS key, 1 AS v, created_at AS at FROM cases',
} as const;

/** The ids of the cases of the unit `@unit` (NULL: of no unit). */
export const CASES_OF_UNIT_SQL = 'SELECT id FROM cases WHERE unit IS @unit';

/** The ids of the cases opened in [`@from`, `@to`). */
export const CASES_OPENED_SQL =
  'SELECT id FROM cases WHERE created_at >= @from AND created_at < @to';

/** The units cases are handled by, named ones first; null stands for cases with none. */
export function caseUnits(db: Db): (string | null)[] {
  return (
    db.prepare('SELECT DISTINCT unit FROM cases ORDER BY unit IS NULL, unit').all() as {
      unit: string | null;
    }[]
  ).map((r) => r.unit);
}

export interface CaseHead {
  caseNo: string;
  cause: string;
  phase: Phase;
  unit: string | null;
}

/** The number, cause, phase and unit of each case asked for. */
export function caseHeads(db: Db, ids: readonly number[]): Map<number, CaseHead> {
  const out = new Map<number, CaseHead>();
  const get = db.prepare('SELECT case_no AS caseNo, cause, phase, unit FROM cases WHERE id = ?');
  for (const id of ids) {
    const row = get.get(id) as CaseHead | undefined;
    if (row) out.set(id, row);
  }
  return out;
}
