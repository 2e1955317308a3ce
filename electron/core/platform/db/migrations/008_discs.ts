import type { Migration } from './index';

/**
 * Evidence discs and the case file (R5.1, R5.2, R4.3, R4.4).
 *
 * - `disc_sets`: one per "make discs" of a case: which bundles, on what medium, how many
 *   copies, and the plan (JSON, as planDiscs made it). Never changed, never deleted.
 * - `disc_images`: the image of each disc of a set (disc n of m): where it is, its size,
 *   volume id and the SHA-256 of its ATTEST-DISC.json (what identifies its content). Every
 *   copy of disc n is burned from this one image. Never changed.
 * - `discs`: each physical disc (or an image saved where no drive exists): serial, copy
 *   number, medium, drive, who made it and when, and the result of reading it back:
 *   `pending` until verified, then `verified` or `failed` with the problems (JSON) — and
 *   from then on it never changes. A failed disc stays on the record; a new burn is a new row.
 * - `disc_checks`: every read-back of a disc (the one after burning, and any later check
 *   of a filed disc), append-only.
 * - `case_file_policy`: the agency's filing period (R5.2: 30 days from the end of the matter
 *   by default; some rules say 20) and how many days before the deadline to warn. One row.
 */
export const migration008: Migration = {
  version: 8,
  name: 'discs',
  up(db) {
    db.exec(`
      CREATE TABLE disc_sets (
        id INTEGER PRIMARY KEY,
        set_no TEXT NOT NULL UNIQUE,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        medium TEXT NOT NULL CHECK (medium IN ('cd', 'dvd', 'dvd-dl', 'bd', 'bd-dl')),
        copies INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 10),
        disc_count INTEGER NOT NULL CHECK (disc_count >= 1),
        bundles TEXT NOT NULL CHECK (json_valid(bundles)),      -- JSON array of bag names
        plan TEXT NOT NULL CHECK (json_valid(plan)),
        purpose TEXT,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX disc_sets_case ON disc_sets(case_id);

      CREATE TABLE disc_images (
        set_id INTEGER NOT NULL REFERENCES disc_sets(id),
        disc_no INTEGER NOT NULL CHECK (disc_no >= 1),
        path TEXT NOT NULL,
        volume_id TEXT NOT NULL,
        bytes INTEGER NOT NULL CHECK (bytes > 0),
        sectors INTEGER NOT NULL CHECK (sectors > 0),
        index_sha256 TEXT NOT NULL CHECK (length(index_sha256) = 64),
        bundles TEXT NOT NULL CHECK (json_valid(bundles)),      -- [{name, part}]
        built_at INTEGER NOT NULL,
        PRIMARY KEY (set_id, disc_no)
      ) WITHOUT ROWID;

      CREATE TABLE discs (
        id INTEGER PRIMARY KEY,
        set_id INTEGER NOT NULL REFERENCES disc_sets(id),
        disc_no INTEGER NOT NULL,
        copy_no INTEGER NOT NULL CHECK (copy_no BETWEEN 1 AND 10),
        serial TEXT NOT NULL UNIQUE,
        medium TEXT NOT NULL CHECK (medium IN ('cd', 'dvd', 'dvd-dl', 'bd', 'bd-dl')),
        kind TEXT NOT NULL CHECK (kind IN ('burned', 'image')),
        drive TEXT,
        image_path TEXT,
        made_by INTEGER NOT NULL REFERENCES users(id),
        made_at INTEGER NOT NULL,
        result TEXT NOT NULL DEFAULT 'pending' CHECK (result IN ('pending', 'verified', 'failed')),
        verified_at INTEGER,
        problems TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(problems)),
        FOREIGN KEY (set_id, disc_no) REFERENCES disc_images(set_id, disc_no),
        CHECK ((result = 'pending') = (verified_at IS NULL)),
        CHECK ((kind = 'burned') = (drive IS NOT NULL)),
        CHECK ((kind = 'image') = (image_path IS NOT NULL))
      );
      CREATE INDEX discs_set ON discs(set_id, disc_no, copy_no);

      CREATE TABLE disc_checks (
        id INTEGER PRIMARY KEY,
        disc_id INTEGER NOT NULL REFERENCES discs(id),
        at INTEGER NOT NULL,
        by_user INTEGER REFERENCES users(id),
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        files_checked INTEGER NOT NULL,
        bytes_read INTEGER NOT NULL,
        problems TEXT NOT NULL CHECK (json_valid(problems))
      );
      CREATE INDEX disc_checks_disc ON disc_checks(disc_id);

      CREATE TABLE case_file_policy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        filing_days INTEGER NOT NULL CHECK (filing_days BETWEEN 1 AND 365),
        warn_days INTEGER NOT NULL CHECK (warn_days BETWEEN 0 AND 60),
        updated_by INTEGER REFERENCES users(id),
        updated_at INTEGER NOT NULL
      );
      INSERT INTO case_file_policy (id, filing_days, warn_days, updated_at) VALUES (1, 30, 5, 0);

      CREATE TRIGGER disc_sets_no_update BEFORE UPDATE ON disc_sets
      BEGIN SELECT RAISE(ABORT, 'a disc set is never rewritten'); END;
      CREATE TRIGGER disc_sets_no_delete BEFORE DELETE ON disc_sets
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (disc_sets)'); END;
      CREATE TRIGGER disc_images_no_update BEFORE UPDATE ON disc_images
      BEGIN SELECT RAISE(ABORT, 'a disc image record is never rewritten'); END;
      CREATE TRIGGER disc_images_no_delete BEFORE DELETE ON disc_images
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (disc_images)'); END;
      CREATE TRIGGER discs_no_delete BEFORE DELETE ON discs
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (discs)'); END;
      CREATE TRIGGER discs_identity BEFORE UPDATE OF
        id, set_id, disc_no, copy_no, serial, medium, kind, drive, image_path, made_by, made_at ON discs
      BEGIN SELECT RAISE(ABORT, 'what identifies a disc never changes'); END;
      CREATE TRIGGER discs_result_final BEFORE UPDATE ON discs WHEN OLD.result <> 'pending'
      BEGIN SELECT RAISE(ABORT, 'a verified or failed disc stays recorded as it was'); END;
      CREATE TRIGGER disc_checks_no_update BEFORE UPDATE ON disc_checks
      BEGIN SELECT RAISE(ABORT, 'disc checks are append-only'); END;
      CREATE TRIGGER disc_checks_no_delete BEFORE DELETE ON disc_checks
      BEGIN SELECT RAISE(ABORT, 'disc checks are append-only'); END;
      CREATE TRIGGER case_file_policy_no_delete BEFORE DELETE ON case_file_policy
      BEGIN SELECT RAISE(ABORT, 'the filing policy is changed, never deleted'); END;
    `);
  },
};
