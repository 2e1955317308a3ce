import type { Migration } from './index';

/**
 * Sealed bundles (R4.2, R4.3, R4.4, R5.1).
 *
 * - `sealed_bundles`: one per sealed session: where the bag lies (relative to the data
 *   directory), the SHA-512 of its tag manifest (the one value the seal signature vouches
 *   for, kept here so a bag replaced by another validly signed one is still caught), the
 *   signer, the retention chosen and the bag-info written. Never updated, never deleted.
 * - `bundle_verifications`: every verification run, with its full report. Append-only.
 * - A session becomes `sealed` only together with its bundle row, and never stops being
 *   sealed; its transcript log and its media take nothing more once it is.
 */
export const migration007: Migration = {
  version: 7,
  name: 'sealed bundles',
  up(db) {
    db.exec(`
      CREATE TABLE sealed_bundles (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL UNIQUE REFERENCES sessions(id),
        case_id INTEGER NOT NULL REFERENCES cases(id),
        bag_id TEXT NOT NULL UNIQUE,            -- the replication queue's bag id, and its name on every target
        bag_name TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,              -- relative to the data directory, '/'-separated
        tag_manifest_sha512 TEXT NOT NULL CHECK (length(tag_manifest_sha512) = 128),
        payload_files INTEGER NOT NULL CHECK (payload_files >= 1),
        payload_bytes INTEGER NOT NULL CHECK (payload_bytes >= 0),
        event_log_head TEXT NOT NULL CHECK (length(event_log_head) = 64),
        event_log_entries INTEGER NOT NULL CHECK (event_log_entries >= 0),
        signer_subject TEXT NOT NULL,
        signer_fingerprint TEXT NOT NULL,
        timestamp TEXT NOT NULL CHECK (timestamp IN ('none', 'ok', 'failed')),
        retention_choice TEXT NOT NULL CHECK (retention_choice IN ('av-1y', 'case-3y', 'long-term')),
        retention_class TEXT NOT NULL CHECK (retention_class IN ('standard', 'long-term')),
        retention_reason TEXT,
        retain_until INTEGER,
        recorded_end_at INTEGER NOT NULL,
        sealed_at INTEGER NOT NULL,
        sealed_by INTEGER NOT NULL REFERENCES users(id),
        bag_info TEXT NOT NULL CHECK (json_valid(bag_info)),
        CHECK ((retention_class = 'long-term') = (retention_choice = 'long-term')),
        CHECK (retention_class <> 'long-term' OR (retention_reason IS NOT NULL AND length(retention_reason) > 0))
      );
      CREATE INDEX sealed_bundles_case ON sealed_bundles(case_id);

      CREATE TABLE bundle_verifications (
        id INTEGER PRIMARY KEY,
        bundle_id INTEGER NOT NULL REFERENCES sealed_bundles(id),
        at INTEGER NOT NULL,
        user_id INTEGER REFERENCES users(id),
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        recorded_hash_matches INTEGER NOT NULL CHECK (recorded_hash_matches IN (0, 1)),
        errors INTEGER NOT NULL CHECK (errors >= 0),
        warnings INTEGER NOT NULL CHECK (warnings >= 0),
        report TEXT NOT NULL CHECK (json_valid(report))
      );
      CREATE INDEX bundle_verifications_bundle ON bundle_verifications(bundle_id, id);

      CREATE TRIGGER sealed_bundles_no_update BEFORE UPDATE ON sealed_bundles
      BEGIN SELECT RAISE(ABORT, 'a sealed bundle is never altered'); END;
      CREATE TRIGGER sealed_bundles_no_delete BEFORE DELETE ON sealed_bundles
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (sealed_bundles)'); END;
      CREATE TRIGGER bundle_verifications_no_update BEFORE UPDATE ON bundle_verifications
      BEGIN SELECT RAISE(ABORT, 'a verification is never rewritten'); END;
      CREATE TRIGGER bundle_verifications_no_delete BEFORE DELETE ON bundle_verifications
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (bundle_verifications)'); END;

      CREATE TRIGGER sessions_sealed_with_bundle BEFORE UPDATE OF status ON sessions
        WHEN NEW.status = 'sealed' AND OLD.status <> 'sealed'
          AND NOT EXISTS (SELECT 1 FROM sealed_bundles WHERE session_id = NEW.id)
      BEGIN SELECT RAISE(ABORT, 'a session is sealed only with its sealed bundle'); END;
      CREATE TRIGGER sessions_sealed_stays BEFORE UPDATE ON sessions
        WHEN OLD.status = 'sealed' AND (NEW.status <> 'sealed' OR NEW.ended_at IS NOT OLD.ended_at
          OR NEW.started_at IS NOT OLD.started_at)
      BEGIN SELECT RAISE(ABORT, 'a sealed session stays sealed'); END;
      CREATE TRIGGER transcript_ops_not_after_seal BEFORE INSERT ON transcript_ops
        WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) = 'sealed'
      BEGIN SELECT RAISE(ABORT, 'the session is sealed'); END;
      CREATE TRIGGER media_segments_not_after_seal BEFORE INSERT ON media_segments
        WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) = 'sealed'
      BEGIN SELECT RAISE(ABORT, 'the session is sealed'); END;
    `);
  },
};
