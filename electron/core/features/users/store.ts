import type { Db } from '../../platform/db/database';

// Queries other features use

/** The display name of a user, or undefined when there is no such user. */
export function userDisplayName(db: Db, userId: number): string | undefined {
  const r = db.prepare('SELECT display_name FROM users WHERE id = ?').get(userId) as
    { display_name: string } | undefined;
  return r?.display_name;
}
