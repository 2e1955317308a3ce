import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

/** A store at version 8. */
function at8() {
  const db = new Database(':memory:');
  migrate(db, 8);
  db.prepare(
    `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at) VALUES (1, 'c', 'C', 'x', '["clerk"]', 0, 0)`,
  ).run();
  db.prepare(
    `INSERT INTO cases (id, case_no, cause, matter_kind, origin_kind, created_by, created_at, updated_at) VALUES (1, 'N1', 'c', 'penalty', 'ex_officio', 1, 0, 0)`,
  ).run();
  db.prepare(
    `INSERT INTO disc_sets (id, set_no, case_id, medium, copies, disc_count, bundles, plan, created_by, created_at) VALUES (1, '20261124-001', 1, 'dvd', 2, 1, '["b"]', '{}', 1, 0)`,
  ).run();
  db.prepare(
    `INSERT INTO disc_images (set_id, disc_no, path, volume_id, bytes, sectors, index_sha256, bundles, built_at) VALUES (1, 1, '/d.iso', 'V', 2048, 1, '${'a'.repeat(64)}', '[]', 0)`,
  ).run();
  return db;
}

const disc = (copy: number, extra = "'burned', '/dev/sr0', NULL") =>
  `INSERT INTO discs (set_id, disc_no, copy_no, serial, medium, kind, drive, image_path, made_by, made_at) VALUES (1, 1, ${copy}, 'S-${copy}', 'dvd', ${extra}, 1, 0)`;

describe('migration 008: discs', () => {
  it('adds the disc tables and a default filing policy of 30 days', () => {
    const db = at8();
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT filing_days, warn_days FROM case_file_policy').get()).toEqual({
      filing_days: 30,
      warn_days: 5,
    });
    expect(() => db.prepare('DELETE FROM case_file_policy').run()).toThrow(/never deleted/);
  });

  it('records a disc pending, then verified or failed for good; never deleted', () => {
    const db = at8();
    db.prepare(disc(1)).run();
    expect(() => db.prepare("UPDATE discs SET serial = 'X'").run()).toThrow(/never changes/);
    expect(() => db.prepare("UPDATE discs SET result = 'verified'").run()).toThrow(/CHECK/);
    db.prepare("UPDATE discs SET result = 'failed', verified_at = 5, problems = '[]'").run();
    expect(() => db.prepare("UPDATE discs SET result = 'verified', verified_at = 6").run()).toThrow(
      /stays recorded/,
    );
    expect(() => db.prepare('DELETE FROM discs').run()).toThrow(/never deleted/);
    expect(() => db.prepare(disc(1)).run()).toThrow(/UNIQUE/);
  });

  it('ties burned discs to a drive and saved images to a path, and checks copies and media', () => {
    const db = at8();
    expect(() => db.prepare(disc(2, "'burned', NULL, NULL")).run()).toThrow(/CHECK/);
    expect(() => db.prepare(disc(2, "'image', NULL, NULL")).run()).toThrow(/CHECK/);
    db.prepare(disc(2, "'image', NULL, '/usb/d.iso'")).run();
    expect(() => db.prepare(disc(11)).run()).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO disc_sets (set_no, case_id, medium, copies, disc_count, bundles, plan, created_by, created_at) VALUES ('x', 1, 'floppy', 1, 1, '[]', '{}', 1, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('keeps sets, images and checks append-only', () => {
    const db = at8();
    db.prepare(disc(1)).run();
    db.prepare(
      `INSERT INTO disc_checks (disc_id, at, by_user, ok, files_checked, bytes_read, problems) VALUES (1, 0, 1, 1, 3, 9, '[]')`,
    ).run();
    expect(() => db.prepare('UPDATE disc_checks SET ok = 0').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM disc_checks').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE disc_sets SET medium = 'cd'").run()).toThrow(/never rewritten/);
    expect(() => db.prepare('DELETE FROM disc_images').run()).toThrow(/never deleted/);
  });
});
