import type { Migration } from './index';

/** R4.1: A/V is stored into the agency's designated storage within 24 hours. */
export const STORAGE_DEADLINE_MS = 24 * 60 * 60 * 1000;

/**
 * Replication of sealed bags to network storage (ARCHITECTURE §6).
 *
 * - `storage_targets`: where copies go. `config` is JSON without secrets (host, path,
 *   bucket, pinned host key); it may be shown, exported and logged.
 * - `storage_target_secrets`: passwords, private keys and access keys, one row per target,
 *   kept apart from the config so they can move to the OS keychain (Windows Credential
 *   Manager/DPAPI, macOS Keychain, libsecret) or Electron safeStorage without touching
 *   the config: `protection` says how `secret` is stored ('none' = plain JSON for now;
 *   'safe-storage' = a blob encrypted by the OS; 'os-keychain' = a keychain reference).
 *   Nothing that logs or displays targets reads this table.
 * - `replication_jobs`: the persistent queue, one row per bag and target. A job's
 *   deadline is the recording's end + 24 h (R4.1), enforced here so no code can relax it;
 *   `verified_at` is set exactly when the copy was read back and matched (state
 *   `stored`), and a stored job never goes back. Rows are never deleted (R4.3).
 */
export const migration004: Migration = {
  version: 4,
  name: 'replication queue',
  up(db) {
    db.exec(`
      CREATE TABLE storage_targets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('folder', 'sftp', 'webdav', 's3')),
        config TEXT NOT NULL CHECK (json_valid(config)),
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE storage_target_secrets (
        target_id INTEGER PRIMARY KEY REFERENCES storage_targets(id),
        protection TEXT NOT NULL CHECK (protection IN ('none', 'safe-storage', 'os-keychain')),
        secret BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE replication_jobs (
        id INTEGER PRIMARY KEY,
        bag_id TEXT NOT NULL,
        bag_path TEXT NOT NULL,
        remote_name TEXT NOT NULL,
        target_id INTEGER NOT NULL REFERENCES storage_targets(id),
        session_id INTEGER REFERENCES sessions(id),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'stored')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        last_failure TEXT CHECK (last_failure IN ('transfer', 'verify', 'config', 'interrupted')),
        recorded_end_at INTEGER NOT NULL,
        deadline_at INTEGER NOT NULL,
        retain_until INTEGER,
        bytes INTEGER,
        notes TEXT,                       -- JSON array: facts of the last attempt (retention set, fsync unsupported)
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        verified_at INTEGER,
        UNIQUE (bag_id, target_id),
        CHECK (deadline_at = recorded_end_at + ${STORAGE_DEADLINE_MS}),
        CHECK ((state = 'stored') = (verified_at IS NOT NULL))
      );
      CREATE INDEX replication_jobs_due ON replication_jobs(state, next_attempt_at);
      CREATE INDEX replication_jobs_bag ON replication_jobs(bag_id);

      CREATE TRIGGER replication_jobs_no_delete BEFORE DELETE ON replication_jobs
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (replication_jobs)'); END;
      CREATE TRIGGER storage_targets_no_delete BEFORE DELETE ON storage_targets
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (storage_targets); disable the target instead'); END;
      CREATE TRIGGER replication_jobs_stored_is_final BEFORE UPDATE ON replication_jobs
      WHEN OLD.state = 'stored' AND (NEW.state <> 'stored' OR NEW.verified_at IS NOT OLD.verified_at)
      BEGIN SELECT RAISE(ABORT, 'a verified copy stays recorded as stored'); END;
    `);
  },
};
