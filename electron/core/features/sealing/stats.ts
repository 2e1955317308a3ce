/** What supervision reads of the sealed bundles: the bags of the sessions in a scope. */
import { STORAGE_DEADLINE_MS } from '../../../shared/rules/deadline';
import type { Db } from '../../platform/db/database';

export interface SealedBagStat {
  caseId: number;
  sessionId: number;
  bagId: string;
  /** When a copy is due in storage (24 h after the recording ended). */
  deadlineAt: number;
}

/** The bags sealed for the sessions `sessionScopeSql` selects (`id, case_id`). */
export function sealedBagsIn(
  db: Db,
  sessionScopeSql: string,
  params: Record<string, unknown>,
): SealedBagStat[] {
  return db
    .prepare(
      `SELECT b.case_id AS caseId, b.session_id AS sessionId, b.bag_id AS bagId,
              b.recorded_end_at + ${STORAGE_DEADLINE_MS} AS deadlineAt
       FROM sealed_bundles b WHERE b.session_id IN (SELECT id FROM (${sessionScopeSql}))`,
    )
    .all(params) as SealedBagStat[];
}
