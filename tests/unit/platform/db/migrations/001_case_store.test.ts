import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

describe('migration 001: case store', () => {
  it('creates every table of the case store on an empty database', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'approvals',
        'case_officers',
        'cases',
        'devices',
        'events',
        'officers',
        'parties',
        'phase_changes',
        'session_officers',
        'session_participants',
        'sessions',
        'users',
      ]),
    );
  });

  it('enforces unique case numbers, certificate numbers, device numbers and usernames', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    db.prepare(
      "INSERT INTO users (username, display_name, password_hash, roles, created_at, password_changed_at) VALUES ('a', 'A', 'x', '[]', 0, 0)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO users (username, display_name, password_hash, roles, created_at, password_changed_at) VALUES ('A', 'B', 'x', '[]', 0, 0)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    db.prepare(
      "INSERT INTO officers (name, certificate_no, created_at) VALUES ('x', 'C1', 0)",
    ).run();
    expect(() =>
      db
        .prepare("INSERT INTO officers (name, certificate_no, created_at) VALUES ('y', 'C1', 0)")
        .run(),
    ).toThrow(/UNIQUE/);
    db.prepare(
      "INSERT INTO devices (device_no, kind, label, registered_at) VALUES ('D1', 'camera', 'l', 0)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO devices (device_no, kind, label, registered_at) VALUES ('D1', 'microphone', 'l', 0)",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO devices (device_no, kind, label, registered_at) VALUES ('D2', 'tv', 'l', 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('is applied once: a second migrate is a no-op', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    expect(() => migrate(db, 1)).not.toThrow();
    expect(schemaVersion(db)).toBe(1);
  });
});
