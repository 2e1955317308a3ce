import type { Migration } from './index';

/**
 * The agency's phrase guide (执法用语指引, R6.5): its standard phrases by kind of session and
 * step (opening, certificates, the recording notice, rights, closing …), each save a new
 * version kept as saved; without one, the wording of the form templates applies.
 */
export const migration024: Migration = {
  version: 24,
  name: 'phrase guide',
  up(db) {
    db.exec(`
      CREATE TABLE phrase_guides (
        version INTEGER PRIMARY KEY,
        entries TEXT NOT NULL CHECK (json_valid(entries)),
        note TEXT,
        set_by INTEGER NOT NULL REFERENCES users(id),
        set_at INTEGER NOT NULL
      );
      CREATE TRIGGER phrase_guides_no_update BEFORE UPDATE ON phrase_guides
      BEGIN SELECT RAISE(ABORT, 'records are never changed (phrase_guides)'); END;
      CREATE TRIGGER phrase_guides_no_delete BEFORE DELETE ON phrase_guides
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (phrase_guides)'); END;
    `);
  },
};
