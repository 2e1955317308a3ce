import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';
import { STORAGE_DEADLINE_MS } from '../../../../../electron/core/platform/db/migrations/004_replication';

function at3() {
  const db = new Database(':memory:');
  migrate(db, 3);
  return db;
}

function withTarget(db: Database.Database) {
  db.prepare(
    "INSERT INTO storage_targets (name, kind, config, created_at, updated_at) VALUES ('nas', 'sftp', '{\"host\":\"nas\"}', 0, 0)",
  ).run();
}

const job = (extra = '') =>
  `INSERT INTO replication_jobs (bag_id, bag_path, remote_name, target_id, next_attempt_at, recorded_end_at, deadline_at, created_at, updated_at${extra ? ', state, verified_at' : ''})
   VALUES ('b1', '/a/b1', 'b1', 1, 0, 1000, ${1000 + STORAGE_DEADLINE_MS}, 0, 0${extra})`;

describe('migration 004: replication queue', () => {
  it('upgrades a version-3 store with the targets, secrets and jobs tables', () => {
    const db = at3();
    migrate(db, 4);
    expect(schemaVersion(db)).toBe(4);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['storage_targets', 'storage_target_secrets', 'replication_jobs']),
    );
    // Secrets live apart from the config, which has no secret column at all.
    const cols = (db.prepare('PRAGMA table_info(storage_targets)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(cols).not.toContain('secret');
  });

  it('fixes the deadline at recording end + 24 h (R4.1) and one job per bag and target', () => {
    const db = at3();
    migrate(db, 4);
    withTarget(db);
    db.prepare(job()).run();
    expect(() => db.prepare(job()).run()).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare('UPDATE replication_jobs SET deadline_at = deadline_at + 3600000').run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO storage_targets (name, kind, config, created_at, updated_at) VALUES ('x', 'ftp', '{}', 0, 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO storage_targets (name, kind, config, created_at, updated_at) VALUES ('y', 'folder', 'not json', 0, 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('ties stored to verified_at, keeps a stored copy stored, and never deletes jobs or targets', () => {
    const db = at3();
    migrate(db, 4);
    withTarget(db);
    db.prepare(job()).run();
    expect(() => db.prepare("UPDATE replication_jobs SET state = 'stored'").run()).toThrow(/CHECK/);
    db.prepare("UPDATE replication_jobs SET state = 'stored', verified_at = 5").run();
    expect(() =>
      db.prepare("UPDATE replication_jobs SET state = 'pending', verified_at = NULL").run(),
    ).toThrow(/stays recorded as stored/);
    expect(() => db.prepare('UPDATE replication_jobs SET verified_at = 6').run()).toThrow(
      /stays recorded as stored/,
    );
    db.prepare("UPDATE replication_jobs SET notes = '[]'").run();
    expect(() => db.prepare('DELETE FROM replication_jobs').run()).toThrow(/never deleted/);
    expect(() => db.prepare('DELETE FROM storage_targets').run()).toThrow(/never deleted/);
  });
});
