import type { Db } from '../../platform/db/database';

// Queries other features use

/** The bundles sealed for a case in the order they were sealed (paths relative to the data directory). */
export function sealedBundlesOfCase(
  db: Db,
  caseId: number,
): { bagId: string; bagName: string; path: string }[] {
  return db
    .prepare(
      'SELECT bag_id AS bagId, bag_name AS bagName, path FROM sealed_bundles WHERE case_id = ? ORDER BY id',
    )
    .all(caseId) as { bagId: string; bagName: string; path: string }[];
}
