import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

describe('migration 025: the A/V matters list', () => {
  it('keeps each version as saved and takes a requirement on a session', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(25);
    db.prepare(
      `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at) VALUES (1, 'r', 'R', 'x', '["legal_reviewer"]', 0, 0)`,
    ).run();
    expect(
      db
        .prepare('INSERT INTO av_matters_lists (entries, set_by, set_at) VALUES (?, 1, 1)')
        .run('[]').lastInsertRowid,
    ).toBe(1);
    expect(() => db.prepare('DELETE FROM av_matters_lists').run()).toThrow(/never deleted/);
    db.prepare(
      `INSERT INTO cases (id, case_no, cause, matter_kind, origin_kind, created_by, created_at, updated_at)
       VALUES (1, 'C-1', '案由', 'penalty', 'ex_officio', 1, 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO sessions (id, case_id, kind, status, place, created_by, created_at) VALUES (1, 1, 'interview', 'planned', 'x', 1, 0)`,
    ).run();
    db.prepare(
      "UPDATE sessions SET av_list_version = 1, av_requirement = 'whole' WHERE id = 1",
    ).run();
    expect(() =>
      db.prepare("UPDATE sessions SET av_requirement = 'sometimes' WHERE id = 1").run(),
    ).toThrow(/CHECK/);
  });
});
