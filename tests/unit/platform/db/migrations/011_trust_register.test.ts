import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

function at11() {
  const db = new Database(':memory:');
  migrate(db, 10);
  db.prepare(
    `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at)
     VALUES (1, 'admin', '管理员', 'x', '["admin"]', 0, 0)`,
  ).run();
  migrate(db, 11);
  return db;
}

const entry = (fp: string) =>
  `INSERT INTO trust_register (kind, fingerprint_sha256, subject, not_before, not_after, der, added_at, added_by)
   VALUES ('ca', '${fp}', 'CN=CA', 0, 1, x'3000', 5, 1)`;

describe('migration 011: agency certificate register', () => {
  it('upgrades a version-10 store with the register, the settings and the discs’ register column', () => {
    const db = at11();
    expect(schemaVersion(db)).toBe(11);
    const cols = (db.prepare('PRAGMA table_info(disc_images)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(cols).toContain('register_sha256');
  });

  it('keeps every entry: no delete, no change; a withdrawal once, with who and why', () => {
    const db = at11();
    db.prepare(entry('a'.repeat(64))).run();
    expect(() => db.prepare(entry('a'.repeat(64))).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare('DELETE FROM trust_register').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE trust_register SET subject = 'CN=Other'").run()).toThrow(
      /only ever withdrawn/,
    );
    expect(() => db.prepare('UPDATE trust_register SET withdrawn_at = 9').run()).toThrow(
      /CHECK constraint/,
    );
    db.prepare(
      "UPDATE trust_register SET withdrawn_at = 9, withdrawn_by = 1, withdrawn_reason = '停用'",
    ).run();
    expect(() =>
      db.prepare("UPDATE trust_register SET withdrawn_reason = '改写原因'").run(),
    ).toThrow(/only ever withdrawn/);
    expect(() =>
      db
        .prepare(
          "INSERT OR REPLACE INTO trust_register (id, kind, fingerprint_sha256, subject, not_before, not_after, der, added_at, added_by) VALUES (1, 'ca', 'b', 'x', 0, 1, x'30', 0, 1)",
        )
        .run(),
    ).toThrow();
  });

  it('takes only the settings it knows', () => {
    const db = at11();
    db.prepare(
      "INSERT INTO trust_settings (key, value, set_at, set_by) VALUES ('tsa_url', 'http://tsa', 0, 1)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO trust_settings (key, value, set_at, set_by) VALUES ('other', 'x', 0, 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
