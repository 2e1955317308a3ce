import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

describe('migration 013: agency settings', () => {
  it('keeps one row per known setting and refuses an unknown key', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(13);
    db.prepare(
      `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at) VALUES (1, 'admin', 'A', 'x', '["admin"]', 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO agency_settings (key, value, set_at, set_by) VALUES ('time_zone', 'Asia/Shanghai', 1, 1)`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO agency_settings (key, value, set_at, set_by) VALUES ('time_zone', 'UTC', 2, 1)`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO agency_settings (key, value, set_at, set_by) VALUES ('colour', 'red', 2, 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
