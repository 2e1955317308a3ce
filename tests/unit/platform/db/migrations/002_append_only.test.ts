import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';
import { NEVER_DELETED } from '../../../../../electron/core/platform/db/migrations/002_append_only';

function migratedTo1WithData() {
  const db = new Database(':memory:');
  migrate(db, 1);
  db.prepare(
    "INSERT INTO officers (name, certificate_no, created_at) VALUES ('张伟', 'C1', 0)",
  ).run();
  db.prepare(
    "INSERT INTO events (seq, at, action, entity, data, prev_hash, hash) VALUES (1, 0, 'x', 'y', 'null', 'p', 'h')",
  ).run();
  return db;
}

describe('migration 002: append-only guards', () => {
  it('upgrades a version-1 store, keeping its rows', () => {
    const db = migratedTo1WithData();
    migrate(db, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT name FROM officers').get()).toEqual({ name: '张伟' });
  });

  it('refuses to delete a record from any domain table', () => {
    const db = migratedTo1WithData();
    migrate(db, 2);
    // One row in every table (foreign keys are off on this raw connection).
    db.exec(`
      INSERT INTO users (username, display_name, password_hash, roles, created_at, password_changed_at) VALUES ('u', 'U', 'h', '[]', 0, 0);
      INSERT INTO cases (case_no, cause, matter_kind, origin_kind, created_by, created_at, updated_at) VALUES ('N1', 'c', 'penalty', 'ex_officio', 1, 0, 0);
      INSERT INTO parties (case_id, kind, name, id_type, id_number, created_at) VALUES (1, 'person', 'p', 'other', 'x', 0);
      INSERT INTO case_officers (case_id, officer_id, assigned_at) VALUES (1, 1, 0);
      INSERT INTO approvals (case_id, role, user_id, decision, opinion, decided_at) VALUES (1, 'approver', 1, 'agree', 'o', 0);
      INSERT INTO phase_changes (case_id, from_phase, to_phase, user_id, at) VALUES (1, 'initiation', 'investigation', 1, 0);
      INSERT INTO sessions (case_id, kind, place, created_by, created_at) VALUES (1, 'interview', 'p', 1, 0);
      INSERT INTO session_officers (session_id, officer_id, role) VALUES (1, 1, 'recorder');
      INSERT INTO session_participants (session_id, role, name) VALUES (1, 'party', 'p');
      INSERT INTO devices (device_no, kind, label, registered_at) VALUES ('D1', 'camera', 'l', 0);
    `);
    expect(NEVER_DELETED.length).toBeGreaterThanOrEqual(11);
    for (const table of NEVER_DELETED) {
      expect(() => db.prepare(`DELETE FROM ${table}`).run(), table).toThrow(/never deleted/);
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 1 });
    }
  });

  it('refuses to update or delete the audit trail', () => {
    const db = migratedTo1WithData();
    migrate(db, 2);
    expect(() => db.prepare("UPDATE events SET action = 'forged'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
  });
});
