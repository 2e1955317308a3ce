import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

/** A version-6 store with a user, a case and an ended session. */
function at6() {
  const db = new Database(':memory:');
  migrate(db, 6);
  db.exec(`
    INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at)
      VALUES (1, 'admin', 'A', 'x', '["admin"]', 0, 0);
    INSERT INTO cases (id, case_no, cause, matter_kind, origin_kind, created_by, created_at, updated_at)
      VALUES (1, 'C-1', 'cause', 'penalty', 'ex_officio', 1, 0, 0);
    INSERT INTO sessions (id, case_id, kind, status, place, created_by, created_at, started_at, ended_at)
      VALUES (1, 1, 'interview', 'ended', 'room', 1, 0, 1000, 2000);
  `);
  return db;
}

const bundle = (extra: Partial<Record<string, unknown>> = {}) => ({
  session_id: 1,
  case_id: 1,
  bag_id: 'C-1_1-x',
  bag_name: '1-x',
  path: 'archive/C-1/1-x',
  tag: 'a'.repeat(128),
  head: 'b'.repeat(64),
  choice: 'case-3y',
  cls: 'standard',
  reason: null,
  ...extra,
});
const insert = (db: Database.Database, b = bundle()) =>
  db
    .prepare(
      `INSERT INTO sealed_bundles (session_id, case_id, bag_id, bag_name, path, tag_manifest_sha512,
         payload_files, payload_bytes, event_log_head, event_log_entries, signer_subject, signer_fingerprint,
         timestamp, retention_choice, retention_class, retention_reason, retain_until, recorded_end_at,
         sealed_at, sealed_by, bag_info)
       VALUES (@session_id, @case_id, @bag_id, @bag_name, @path, @tag, 3, 100, @head, 5, 'CN=x', 'ff',
         'none', @choice, @cls, @reason, NULL, 2000, 3000, 1, '{}')`,
    )
    .run(b);

describe('migration 007: sealed bundles', () => {
  it('upgrades a version-6 store', () => {
    const db = at6();
    migrate(db, 7);
    expect(schemaVersion(db)).toBe(7);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['sealed_bundles', 'bundle_verifications']));
  });

  it('seals a session only together with its bundle, once, and for good', () => {
    const db = at6();
    migrate(db, 7);
    expect(() => db.prepare("UPDATE sessions SET status = 'sealed' WHERE id = 1").run()).toThrow(
      /only with its sealed bundle/,
    );
    insert(db);
    db.prepare("UPDATE sessions SET status = 'sealed' WHERE id = 1").run();
    expect(() => insert(db, bundle({ bag_id: 'other', path: 'p2' }))).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE sessions SET status = 'ended' WHERE id = 1").run()).toThrow(
      /stays sealed/,
    );
    expect(() => db.prepare('UPDATE sessions SET ended_at = 5 WHERE id = 1').run()).toThrow(
      /stays sealed/,
    );
    expect(() => db.prepare("UPDATE sealed_bundles SET path = 'elsewhere'").run()).toThrow(
      /never altered/,
    );
    expect(() => db.prepare('DELETE FROM sealed_bundles').run()).toThrow(/never deleted/);
    // Nothing more is written to the sealed session's transcript or media.
    expect(() =>
      db
        .prepare(
          "INSERT INTO transcript_ops (session_id, seq, at, user_id, action) VALUES (1, 1, 0, 1, '{}')",
        )
        .run(),
    ).toThrow(/sealed/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO media_segments (session_id, source_id, segment, kind, path, codec, first_capture_time_us,
             session_time_us, opened_at, opened_by) VALUES (1, 'cam1', 1, 'camera', 'p', 'avc1', 0, 0, 0, 1)`,
        )
        .run(),
    ).toThrow(/sealed/);
  });

  it('requires the reason of long-term retention (R4.4), and keeps verifications append-only', () => {
    const db = at6();
    migrate(db, 7);
    expect(() => insert(db, bundle({ choice: 'long-term', cls: 'long-term' }))).toThrow(/CHECK/);
    expect(() => insert(db, bundle({ choice: 'long-term', cls: 'standard' }))).toThrow(/CHECK/);
    insert(db, bundle({ choice: 'long-term', cls: 'long-term', reason: 'disputed' }));
    db.prepare(
      `INSERT INTO bundle_verifications (bundle_id, at, user_id, ok, recorded_hash_matches, errors, warnings, report)
       VALUES (1, 0, 1, 1, 1, 0, 0, '{}')`,
    ).run();
    expect(() => db.prepare('UPDATE bundle_verifications SET ok = 0').run()).toThrow(
      /never rewritten/,
    );
    expect(() => db.prepare('DELETE FROM bundle_verifications').run()).toThrow(/never deleted/);
  });
});
