import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';
import { migration009 } from '../../../../../electron/core/platform/db/migrations/009_officer_accounts';

const user = (id: number, officer: number | null, disabled = 0) =>
  `INSERT INTO users (id, username, display_name, password_hash, roles, officer_id, disabled, created_at, password_changed_at)
   VALUES (${id}, 'u${id}', 'U${id}', 'x', '["officer"]', ${officer ?? 'NULL'}, ${disabled}, 0, 0)`;

function at8() {
  const db = new Database(':memory:');
  migrate(db, 8);
  db.prepare(
    "INSERT INTO officers (id, name, certificate_no, created_at) VALUES (1, '张伟', 'ZF-1', 0), (2, '李娜', 'ZF-2', 0)",
  ).run();
  return db;
}

describe('migration 009: one account per officer', () => {
  it('allows one account in use per officer; disabled ones keep their link', () => {
    const db = at8();
    db.prepare(user(1, 1)).run();
    db.prepare(user(2, 1, 1)).run(); // an old, disabled account of the same officer
    db.prepare(user(3, null)).run();
    db.prepare(user(4, null)).run();
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(9);
    expect(() => db.prepare(user(5, 1)).run()).toThrow(/UNIQUE constraint failed/);
    expect(() => db.prepare('UPDATE users SET disabled = 0 WHERE id = 2').run()).toThrow(
      /UNIQUE constraint failed/,
    );
    db.prepare(user(6, 2)).run();
    db.prepare(user(7, null)).run();
  });

  it('refuses a store that already has two accounts in use for one officer, naming them', () => {
    const db = at8();
    db.prepare(user(1, 1)).run();
    db.prepare(user(2, 1)).run();
    expect(() => db.transaction(() => migration009.up(db))()).toThrow(/officer 1: u1, u2/);
  });
});
