import type { Migration } from './index';

/**
 * The audit trail takes only its next entry: the one numbered after the last and linked to
 * its hash. `INSERT OR REPLACE` of an existing entry (which deletes it without firing the
 * delete guard unless recursive triggers are on), an entry out of sequence or one linked to
 * anything but the current head is refused by the database itself.
 */
/** The first entry's link (audit.ts GENESIS_HASH), written out: a migration never changes. */
const GENESIS_HASH = '0'.repeat(64);

export const migration010: Migration = {
  version: 10,
  name: 'audit trail takes only its next entry',
  up(db) {
    db.exec(`
      CREATE TRIGGER events_next_only BEFORE INSERT ON events
      WHEN NEW.seq IS NULL
        OR NEW.seq <> (SELECT COALESCE(MAX(seq), 0) + 1 FROM events)
        OR NEW.prev_hash <> COALESCE(
          (SELECT hash FROM events ORDER BY seq DESC LIMIT 1), '${GENESIS_HASH}')
      BEGIN SELECT RAISE(ABORT, 'the audit trail takes only its next entry'); END;
    `);
  },
};
