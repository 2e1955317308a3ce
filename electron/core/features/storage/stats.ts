/** What supervision reads of the replication queue: each copy's deadline and when it was verified. */
import type { Db } from '../../platform/db/database';

export interface ReplicaStat {
  /** The session whose bag it is a copy of (a session seals into one bag). */
  sessionId: number;
  deadlineAt: number;
  verifiedAt: number | null;
}

/** The copies of the bags of the sessions `sessionScopeSql` selects (`id, case_id`). */
export function replicasIn(
  db: Db,
  sessionScopeSql: string,
  params: Record<string, unknown>,
): ReplicaStat[] {
  return db
    .prepare(
      `SELECT session_id AS sessionId, deadline_at AS deadlineAt, verified_at AS verifiedAt
       FROM replication_jobs WHERE session_id IN (SELECT id FROM (${sessionScopeSql}))`,
    )
    .all(params) as ReplicaStat[];
}
