import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

describe('migration 024: the phrase guide', () => {
  it('keeps each version as saved, numbered in turn', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(24);
    db.prepare(
      `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at) VALUES (1, 'r', 'R', 'x', '["legal_reviewer"]', 0, 0)`,
    ).run();
    const add = (entries: string) =>
      db
        .prepare('INSERT INTO phrase_guides (entries, set_by, set_at) VALUES (?, 1, 1)')
        .run(entries).lastInsertRowid;
    expect(add('[]')).toBe(1);
    expect(add('[{"session":"interview"}]')).toBe(2);
    expect(() => add('not json')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE phrase_guides SET note = 'x'").run()).toThrow(/never changed/);
    expect(() => db.prepare('DELETE FROM phrase_guides').run()).toThrow(/never deleted/);
  });
});
