import type { Migration } from './index';

/**
 * Recording (R3, R2.4, R3.5, R3.6, R4.3).
 *
 * - `recording_preflights`: what the officer checked before recording (sources mapped to
 *   registered device numbers, disk, clock), one row per confirmation, never changed.
 * - `media_segments`: one row per segment file (one source, 10–15 minutes or up to a fault),
 *   with its codec, the first frame on the capture clock and on the session clock (the
 *   offsets between sources are measured from these), and its life: `open` → `closed`
 *   (finished, hashed) or `recovered` (cut back to its last whole fragment after a crash,
 *   with what was cut and why in `recovery`). Once finished, a segment never changes, and
 *   what identifies it never changes at all.
 * - `media_fragments`: the journal. One row per whole unit written (seq 0 the init, then
 *   each moof+mdat fragment), with its offset and size in the file, journaled after the fsync
 *   that made it durable. `recovered = 1` marks units crash recovery found in the file beyond
 *   the journal. Append-only.
 * - `session_events`: the session's timeline on the session clock (faults, interruptions,
 *   resumptions with their stated reason, the abandonment statement), append-only.
 * - `sessions.media_offsets`: the measured offsets between sources, kept with the session.
 *   The new session status `interrupted` needs no schema change (status is free text).
 */
export const migration005: Migration = {
  version: 5,
  name: 'recording',
  up(db) {
    db.exec(`
      ALTER TABLE sessions ADD COLUMN media_offsets TEXT CHECK (media_offsets IS NULL OR json_valid(media_offsets));

      CREATE TABLE recording_preflights (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        preflight TEXT NOT NULL CHECK (json_valid(preflight)),
        core TEXT NOT NULL CHECK (json_valid(core)),   -- what the core measured itself
        saved_by INTEGER NOT NULL REFERENCES users(id),
        saved_at INTEGER NOT NULL
      );
      CREATE INDEX recording_preflights_session ON recording_preflights(session_id);

      CREATE TABLE media_segments (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        source_id TEXT NOT NULL,
        segment INTEGER NOT NULL CHECK (segment >= 0),
        kind TEXT NOT NULL CHECK (kind IN ('camera', 'microphone', 'program')),
        path TEXT NOT NULL UNIQUE,                     -- relative to the data directory
        codec TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        frame_rate REAL,
        sample_rate INTEGER,
        channels INTEGER,
        first_capture_time_us INTEGER NOT NULL,
        session_time_us INTEGER NOT NULL,
        opened_at INTEGER NOT NULL,
        opened_by INTEGER NOT NULL REFERENCES users(id),
        closed_at INTEGER,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'recovered')),
        close_reason TEXT CHECK (close_reason IN
          ('client', 'session_ended', 'connection_lost', 'disk_floor', 'write_failed', 'shutdown')),
        bytes INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),
        fragments INTEGER NOT NULL DEFAULT 0 CHECK (fragments >= 0),
        duration_us INTEGER,
        sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
        discarded_bytes INTEGER NOT NULL DEFAULT 0,
        recovery TEXT CHECK (recovery IS NULL OR json_valid(recovery)),
        UNIQUE (session_id, source_id, segment),
        CHECK ((state = 'open') = (closed_at IS NULL)),
        CHECK (state = 'open' OR sha256 IS NOT NULL),
        CHECK ((state = 'recovered') = (recovery IS NOT NULL))
      );
      CREATE INDEX media_segments_state ON media_segments(state);

      CREATE TABLE media_fragments (
        segment_id INTEGER NOT NULL REFERENCES media_segments(id),
        seq INTEGER NOT NULL CHECK (seq >= 0),
        kind TEXT NOT NULL CHECK (kind IN ('init', 'fragment', 'tail')),
        offset INTEGER NOT NULL CHECK (offset >= 0),
        size INTEGER NOT NULL CHECK (size > 0),
        decode_time_us INTEGER,                         -- tfdt of the fragment, in µs
        duration_us INTEGER,
        journaled_at INTEGER NOT NULL,
        recovered INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1)),
        PRIMARY KEY (segment_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE session_events (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        at INTEGER NOT NULL,                            -- UTC ms
        at_us INTEGER,                                  -- session time µs (null before the start)
        kind TEXT NOT NULL,
        source_id TEXT,
        segment_id INTEGER REFERENCES media_segments(id),
        user_id INTEGER REFERENCES users(id),
        data TEXT NOT NULL CHECK (json_valid(data))
      );
      CREATE INDEX session_events_session ON session_events(session_id, id);

      -- Append-only and never-deleted guards (R4.3), as in migration 002.
      CREATE TRIGGER recording_preflights_no_update BEFORE UPDATE ON recording_preflights
      BEGIN SELECT RAISE(ABORT, 'a pre-flight record is never rewritten'); END;
      CREATE TRIGGER recording_preflights_no_delete BEFORE DELETE ON recording_preflights
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (recording_preflights)'); END;

      CREATE TRIGGER media_segments_no_delete BEFORE DELETE ON media_segments
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (media_segments)'); END;
      CREATE TRIGGER media_segments_identity BEFORE UPDATE OF
        id, session_id, source_id, segment, kind, path, codec, width, height, frame_rate,
        sample_rate, channels, first_capture_time_us, session_time_us, opened_at, opened_by
        ON media_segments
      BEGIN SELECT RAISE(ABORT, 'what identifies a media segment never changes'); END;
      CREATE TRIGGER media_segments_finished BEFORE UPDATE ON media_segments
        WHEN OLD.state <> 'open'
      BEGIN SELECT RAISE(ABORT, 'a finished media segment never changes'); END;
      CREATE TRIGGER media_segments_grow BEFORE UPDATE OF bytes, fragments ON media_segments
        WHEN NEW.state = 'open' AND (NEW.bytes < OLD.bytes OR NEW.fragments < OLD.fragments)
      BEGIN SELECT RAISE(ABORT, 'an open media segment only grows'); END;

      CREATE TRIGGER media_fragments_no_update BEFORE UPDATE ON media_fragments
      BEGIN SELECT RAISE(ABORT, 'the media journal is append-only'); END;
      CREATE TRIGGER media_fragments_no_delete BEFORE DELETE ON media_fragments
      BEGIN SELECT RAISE(ABORT, 'the media journal is append-only'); END;

      CREATE TRIGGER session_events_no_update BEFORE UPDATE ON session_events
      BEGIN SELECT RAISE(ABORT, 'the session timeline is append-only'); END;
      CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
      BEGIN SELECT RAISE(ABORT, 'the session timeline is append-only'); END;
    `);
  },
};
