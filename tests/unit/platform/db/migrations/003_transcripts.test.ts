import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

describe('migration 003: session timing and transcripts', () => {
  it('adds timing columns to existing sessions without touching their rows', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF'); // fixture rows without their parents
    migrate(db, 2);
    db.exec(
      `INSERT INTO sessions (case_id, kind, place, created_by, created_at) VALUES (1, 'interview', '询问室', 1, 5)`,
    );
    migrate(db, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT place, started_at, ended_at, time_zone FROM sessions').get()).toEqual(
      {
        place: '询问室',
        started_at: null,
        ended_at: null,
        time_zone: null,
      },
    );
  });

  it('keeps the transcript log append-only and one action per sequence number', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF'); // fixture rows without their parents
    migrate(db, 3);
    const insert = db.prepare(
      'INSERT INTO transcript_ops (session_id, seq, at, user_id, action) VALUES (1, ?, 0, 1, ?)',
    );
    insert.run(1, '{"type":"turn.add"}');
    expect(() => insert.run(1, '{}')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare("UPDATE transcript_ops SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM transcript_ops').run()).toThrow(/append-only/);
  });
});
