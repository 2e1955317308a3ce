import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

function store() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = OFF'); // fixture rows without their parents
  migrate(db, 5);
  return db;
}

const segment = (db: Database.Database) =>
  db.prepare(
    `INSERT INTO media_segments (session_id, source_id, segment, kind, path, codec,
         first_capture_time_us, session_time_us, opened_at, opened_by)
       VALUES (1, 'cam1', ?, 'camera', ?, 'avc1.640028', 1000, 0, 5, 1)`,
  );

describe('migration 005: recording', () => {
  it('adds the offsets column to existing sessions without touching their rows', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF');
    migrate(db, 4);
    db.exec(
      `INSERT INTO sessions (case_id, kind, place, created_by, created_at, status) VALUES (1, 'interview', '询问室', 1, 5, 'recording')`,
    );
    migrate(db, 5);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT place, status, media_offsets FROM sessions').get()).toEqual({
      place: '询问室',
      status: 'recording',
      media_offsets: null,
    });
    // The new status needs no schema change, and offsets must be JSON.
    db.prepare("UPDATE sessions SET status = 'interrupted', media_offsets = '{}'").run();
    expect(() => db.prepare("UPDATE sessions SET media_offsets = 'x'").run()).toThrow(/CHECK/);
  });

  it('lets an open segment grow and finish once; then it never changes, and is never deleted', () => {
    const db = store();
    const id = Number(segment(db).run(1, 'sessions/1/media/cam1-001.mp4').lastInsertRowid);
    expect(() => segment(db).run(1, 'sessions/1/media/other.mp4')).toThrow(/UNIQUE/);
    expect(() => segment(db).run(2, 'sessions/1/media/cam1-001.mp4')).toThrow(/UNIQUE/);
    db.prepare('UPDATE media_segments SET bytes = 100, fragments = 2 WHERE id = ?').run(id);
    expect(() => db.prepare('UPDATE media_segments SET bytes = 50 WHERE id = ?').run(id)).toThrow(
      /only grows/,
    );
    expect(() => db.prepare("UPDATE media_segments SET path = 'x' WHERE id = ?").run(id)).toThrow(
      /never changes/,
    );
    expect(() =>
      db.prepare('UPDATE media_segments SET session_time_us = 7 WHERE id = ?').run(id),
    ).toThrow(/never changes/);
    // Closing needs its time and hash; a recovered segment needs what was cut and why.
    expect(() =>
      db.prepare("UPDATE media_segments SET state = 'closed' WHERE id = ?").run(id),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "UPDATE media_segments SET state = 'recovered', closed_at = 9, sha256 = ? WHERE id = ?",
        )
        .run('a'.repeat(64), id),
    ).toThrow(/CHECK/);
    db.prepare(
      "UPDATE media_segments SET state = 'closed', closed_at = 9, sha256 = ?, close_reason = 'client' WHERE id = ?",
    ).run('a'.repeat(64), id);
    expect(() => db.prepare('UPDATE media_segments SET bytes = 200 WHERE id = ?').run(id)).toThrow(
      /finished media segment never changes/,
    );
    expect(() => db.prepare('DELETE FROM media_segments').run()).toThrow(/never deleted/);
    const other = Number(segment(db).run(2, 'sessions/1/media/cam1-002.mp4').lastInsertRowid);
    expect(() =>
      db.prepare("UPDATE media_segments SET close_reason = 'whim' WHERE id = ?").run(other),
    ).toThrow(/CHECK/);
  });

  it('keeps the media journal, the timeline and the pre-flight records append-only', () => {
    const db = store();
    const id = Number(segment(db).run(1, 'sessions/1/media/cam1-001.mp4').lastInsertRowid);
    const frag = db.prepare(
      `INSERT INTO media_fragments (segment_id, seq, kind, offset, size, journaled_at) VALUES (?, ?, 'fragment', ?, 10, 1)`,
    );
    frag.run(id, 1, 0);
    expect(() => frag.run(id, 1, 10)).toThrow(/PRIMARY KEY|UNIQUE/);
    expect(() => db.prepare('UPDATE media_fragments SET size = 11').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM media_fragments').run()).toThrow(/append-only/);

    db.prepare(
      `INSERT INTO session_events (session_id, at, at_us, kind, data) VALUES (1, 1, 0, 'session.resumed', '{"reason":"停电"}')`,
    ).run();
    expect(() => db.prepare("UPDATE session_events SET data = '{}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM session_events').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO session_events (session_id, at, kind, data) VALUES (1, 1, 'x', 'not json')`,
        )
        .run(),
    ).toThrow(/CHECK/);

    db.prepare(
      `INSERT INTO recording_preflights (session_id, preflight, core, saved_by, saved_at) VALUES (1, '{}', '{}', 1, 1)`,
    ).run();
    expect(() => db.prepare("UPDATE recording_preflights SET preflight = '[]'").run()).toThrow(
      /never rewritten/,
    );
    expect(() => db.prepare('DELETE FROM recording_preflights').run()).toThrow(/never deleted/);
  });
});
