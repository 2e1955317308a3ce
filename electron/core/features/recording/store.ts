import type { Db } from '../../platform/db/database';

// Queries other features use

/** How many media segments a session has and their bytes in all. */
export function mediaSegmentTotals(db: Db, sessionId: number): { count: number; bytes: number } {
  const r = db
    .prepare('SELECT count(*) AS n, sum(bytes) AS bytes FROM media_segments WHERE session_id = ?')
    .get(sessionId) as { n: number; bytes: number | null };
  return { count: r.n, bytes: r.bytes ?? 0 };
}
