import type { Migration } from './index';

/**
 * The audit viewer filters the trail by case, person, kind of act and time, newest first, a
 * page at a time: each filter has an index that ends in `seq`, so a page is read in index
 * order however long the trail grows (a million entries: `npm run bench:audit`). The kind of
 * an act (`signing` of `signing.page_signed`) is a virtual column: computed, never stored,
 * outside the entry's hash, and indexed.
 */
export const migration014: Migration = {
  version: 14,
  name: 'audit trail indexes for the audit viewer',
  up(db) {
    db.exec(`
      DROP INDEX events_case;
      CREATE INDEX events_case_seq ON events(case_id, seq);
      CREATE INDEX events_actor_seq ON events(actor_user_id, seq);
      ALTER TABLE events ADD COLUMN kind TEXT
        GENERATED ALWAYS AS (substr(action, 1, instr(action, '.') - 1)) VIRTUAL;
      CREATE INDEX events_kind_seq ON events(kind, seq);
      CREATE INDEX events_at ON events(at);
    `);
  },
};
