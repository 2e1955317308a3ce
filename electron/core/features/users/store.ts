import type { Db } from '../../platform/db/database';

// Queries other features use

/** A user's display name, or null when there is no such user. */
export function userDisplayName(db: Db, userId: number): string | null {
  const row = db.prepare('SELECT display_name FROM users WHERE id = ?').get(userId) as
    { display_name: string } | undefined;
  return row?.display_name ?? null;
}
