import type { Migration } from './index';

/**
 * Who may see and copy the evidence (R6.1–R6.3):
 * - `case_clerk_changes`: clerks (书记员/档案员) assigned to a case and taken off it; the
 *   latest change of each clerk is in force. With the case's officers and the officers of
 *   its sessions they are the case team.
 * - `access_requests` and `access_decisions`: a request to view or copy a case's records (who,
 *   which case and sessions, the purpose, for how long) and the leader's decisions on it
 *   (approved until a moment, refused, revoked), each with an opinion. Both are statements
 *   made at a moment: never rewritten, never deleted; a grant's state is read from them.
 * - `file_classifications`: a sealed file's classification (国家秘密 / 商业秘密 / 个人隐私 /
 *   none), set at sealing or later by the legal-affairs office; the latest row is in force.
 * - `copy_requests`, `copy_decisions`, `party_copies`: a party's (or agent's) request for a
 *   copy, the leader's decision on it (possibly in part), and the register of every copy bag
 *   made from it. Never rewritten, never deleted.
 */
export const migration015: Migration = {
  version: 15,
  name: 'case teams, access grants, classifications and party copies',
  up(db) {
    db.exec(`
      CREATE TABLE case_clerk_changes (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        change TEXT NOT NULL CHECK (change IN ('assigned', 'removed')),
        changed_by INTEGER NOT NULL REFERENCES users(id),
        changed_at INTEGER NOT NULL
      );
      CREATE INDEX case_clerk_changes_case ON case_clerk_changes(case_id, user_id, id);
      CREATE INDEX case_clerk_changes_user ON case_clerk_changes(user_id, case_id, id);

      CREATE TABLE access_requests (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        mode TEXT NOT NULL CHECK (mode IN ('view', 'copy')),
        sessions TEXT,                   -- JSON array of session ids; NULL: every session
        purpose TEXT NOT NULL,
        days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365),
        requested_at INTEGER NOT NULL
      );
      CREATE INDEX access_requests_user ON access_requests(user_id, case_id);
      CREATE INDEX access_requests_case ON access_requests(case_id);

      CREATE TABLE access_decisions (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES access_requests(id),
        decision TEXT NOT NULL CHECK (decision IN ('approved', 'refused', 'revoked')),
        opinion TEXT NOT NULL,
        valid_until INTEGER,             -- approved: the grant ends at this moment
        sessions TEXT,                   -- approved: the sessions granted (JSON), NULL: as asked
        decided_by INTEGER NOT NULL REFERENCES users(id),
        decided_at INTEGER NOT NULL,
        CHECK ((decision = 'approved') = (valid_until IS NOT NULL))
      );
      CREATE INDEX access_decisions_request ON access_decisions(request_id);

      CREATE TABLE file_classifications (
        id INTEGER PRIMARY KEY,
        bundle_id INTEGER NOT NULL REFERENCES sealed_bundles(id),
        path TEXT NOT NULL,              -- the bag path, data/...
        level TEXT NOT NULL CHECK (level IN
          ('none', 'state_secret', 'commercial_secret', 'personal_privacy')),
        reason TEXT,
        set_by INTEGER NOT NULL REFERENCES users(id),
        set_at INTEGER NOT NULL
      );
      CREATE INDEX file_classifications_file ON file_classifications(bundle_id, path, id);

      CREATE TABLE copy_requests (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        party_id INTEGER REFERENCES parties(id),
        requester_role TEXT NOT NULL CHECK (requester_role IN
          ('party', 'agent', 'legal_representative')),
        requester_name TEXT NOT NULL,
        id_type TEXT NOT NULL,
        id_number TEXT NOT NULL,
        authorization TEXT,              -- an agent's power of attorney, as presented
        files TEXT NOT NULL,             -- JSON [{bundleId, path}] asked for
        purpose TEXT NOT NULL,
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      CREATE INDEX copy_requests_case ON copy_requests(case_id);

      CREATE TABLE copy_decisions (
        request_id INTEGER PRIMARY KEY REFERENCES copy_requests(id),
        decision TEXT NOT NULL CHECK (decision IN ('granted', 'partly_granted', 'refused')),
        files TEXT NOT NULL,             -- JSON [{bundleId, path, level}] granted, each with its
                                         -- classification when the leader decided
        classified TEXT NOT NULL,        -- JSON [{bundleId, path}] classified files released
        opinion TEXT NOT NULL,
        decided_by INTEGER NOT NULL REFERENCES users(id),
        decided_at INTEGER NOT NULL
      );

      CREATE TABLE party_copies (
        id INTEGER PRIMARY KEY,
        copy_no TEXT NOT NULL UNIQUE,
        request_id INTEGER NOT NULL REFERENCES copy_requests(id),
        bundle_id INTEGER NOT NULL REFERENCES sealed_bundles(id),
        path TEXT NOT NULL UNIQUE,       -- relative to the data directory
        tag_manifest_sha512 TEXT NOT NULL CHECK (length(tag_manifest_sha512) = 128),
        files TEXT NOT NULL,             -- JSON [path] copied
        left_out TEXT NOT NULL,          -- JSON [{path, reason}] left out
        made_by INTEGER NOT NULL REFERENCES users(id),
        made_at INTEGER NOT NULL
      );
      CREATE INDEX party_copies_request ON party_copies(request_id);
    `);
    for (const table of [
      'case_clerk_changes',
      'access_requests',
      'access_decisions',
      'file_classifications',
      'copy_requests',
      'copy_decisions',
      'party_copies',
    ]) {
      db.exec(`
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table}: a statement made at a moment is never rewritten'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, 'records are never deleted (${table})'); END;
      `);
    }
  },
};
