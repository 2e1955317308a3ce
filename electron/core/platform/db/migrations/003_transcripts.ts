import type { Migration } from './index';

/**
 * Session timing and transcripts (R2.4).
 * - sessions get their start and end on the recording clock's UTC anchor, and the machine's
 *   time zone at the start, so written times can be taken from the recording itself;
 * - the transcript of a session is an append-only log of actions (electron/shared/transcript.ts),
 *   replayed to get its state, with periodic snapshots so a long hearing loads fast.
 */
export const migration003: Migration = {
  version: 3,
  name: 'session timing and transcripts',
  up(db) {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN started_at INTEGER;
      ALTER TABLE sessions ADD COLUMN ended_at INTEGER;
      ALTER TABLE sessions ADD COLUMN time_zone TEXT;

      CREATE TABLE transcript_ops (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,              -- UTC ms when the core received it
        user_id INTEGER NOT NULL REFERENCES users(id),
        action TEXT NOT NULL,             -- JSON TranscriptAction
        PRIMARY KEY (session_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE transcript_snapshots (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,              -- JSON TranscriptState after op seq
        PRIMARY KEY (session_id, seq)
      ) WITHOUT ROWID;

      CREATE TRIGGER transcript_ops_no_update BEFORE UPDATE ON transcript_ops
      BEGIN SELECT RAISE(ABORT, 'the transcript log is append-only'); END;
      CREATE TRIGGER transcript_ops_no_delete BEFORE DELETE ON transcript_ops
      BEGIN SELECT RAISE(ABORT, 'the transcript log is append-only'); END;
    `);
  },
};
