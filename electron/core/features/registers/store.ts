import type { Db } from '../../platform/db/database';

// Queries other features use

/** An officer's name and certificate number, or undefined when there is no such officer. */
export function officerIdentity(
  db: Db,
  officerId: number,
): { name: string; certificateNo: string } | undefined {
  return db
    .prepare('SELECT name, certificate_no AS certificateNo FROM officers WHERE id = ?')
    .get(officerId) as { name: string; certificateNo: string } | undefined;
}
