import type { Db } from '../../platform/db/database';

// Queries other features use

/** One replica of a bag: the replication job and the target it goes to. */
export interface BagReplicaRow {
  remoteName: string;
  state: string;
  verifiedAt: number | null;
  deadlineAt: number;
  target: string;
  kind: string;
}

/** The replication jobs of a bag (by any of its bag ids, or its local path), in the order queued. */
export function replicasOfBag(
  db: Db,
  bag: { bagIds: readonly string[]; bagPath: string },
): BagReplicaRow[] {
  return db
    .prepare(
      `SELECT j.remote_name AS remoteName, j.state, j.verified_at AS verifiedAt,
              j.deadline_at AS deadlineAt, t.name AS target, t.kind
       FROM replication_jobs j JOIN storage_targets t ON t.id = j.target_id
       WHERE j.bag_id IN (SELECT value FROM json_each(?)) OR j.bag_path = ? ORDER BY j.id`,
    )
    .all(JSON.stringify(bag.bagIds), bag.bagPath) as BagReplicaRow[];
}
