import type { Migration } from './index';

/**
 * The agency's list of matters recorded on audio/video (音像记录事项清单, R3.2, R6.5), kept in
 * versions as saved; and on each session, the version and requirement it was started under.
 */
export const migration025: Migration = {
  version: 25,
  name: 'audio/video matters list',
  up(db) {
    db.exec(`
      CREATE TABLE av_matters_lists (
        version INTEGER PRIMARY KEY,
        entries TEXT NOT NULL CHECK (json_valid(entries)),
        note TEXT,
        set_by INTEGER NOT NULL REFERENCES users(id),
        set_at INTEGER NOT NULL
      );
      CREATE TRIGGER av_matters_lists_no_update BEFORE UPDATE ON av_matters_lists
      BEGIN SELECT RAISE(ABORT, 'records are never changed (av_matters_lists)'); END;
      CREATE TRIGGER av_matters_lists_no_delete BEFORE DELETE ON av_matters_lists
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (av_matters_lists)'); END;

      ALTER TABLE sessions ADD COLUMN av_list_version INTEGER;
      ALTER TABLE sessions ADD COLUMN av_requirement TEXT
        CHECK (av_requirement IS NULL OR av_requirement IN ('whole', 'record'));
    `);
  },
};
