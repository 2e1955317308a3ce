import type { Migration } from './index';

/**
 * One account per officer (R2.2): an officer signs in person, with their own
 * account, so no second account may be linked to the same officer (an administrator could
 * otherwise make one with a password of their choosing and sign in that officer's name).
 * A store that already has two accounts for one officer is refused with their names: an
 * administrator disables the extra ones first (a disabled account keeps its link for the
 * record, so the index covers only accounts in use).
 */
export const migration009: Migration = {
  version: 9,
  name: 'officer_accounts',
  up(db) {
    const twice = db
      .prepare(
        `SELECT officer_id, group_concat(username, ', ') AS names FROM users
         WHERE officer_id IS NOT NULL AND disabled = 0 GROUP BY officer_id HAVING count(*) > 1`,
      )
      .all() as { officer_id: number; names: string }[];
    if (twice.length) {
      throw new Error(
        `officers with more than one account in use (disable the extra ones first): ${twice
          .map((t) => `officer ${t.officer_id}: ${t.names}`)
          .join('; ')}`,
      );
    }
    db.exec(`
      CREATE UNIQUE INDEX users_one_account_per_officer ON users(officer_id)
        WHERE officer_id IS NOT NULL AND disabled = 0;
    `);
  },
};
