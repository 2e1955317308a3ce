import type { Migration } from './index';

/**
 * Review and signing of the transcript (R2.2, R2.4, R3.1, R4.3).
 *
 * - `signings`: one per signing of a session's transcript, with the party page's token
 *   (the capability that reaches this signing and nothing else), the closing text asked
 *   for, and once finished the signed PDF's path and SHA-256. At most one unfinished and one
 *   finished signing per session; a finished one never changes.
 * - `signing_versions`: the text frozen for the party, version 1 at the opening (what the
 *   party reviews) and one more after each correction, each with the transcript sequence it
 *   was taken at, the hash of its turns and of its canonical JSON. Append-only.
 * - `signing_acts`: every act with its time on the core's clock and on the session clock,
 *   so it can be found on the desk camera: page views, initials at corrections, page and
 *   seam signatures, the closing statement, officers' signatures, the refusal, the finish.
 *   The handwriting (every sampled point: x, y, t, pressure, pointer) is kept as JSON.
 *   Append-only: a page signed again is a new act, and the newest counts.
 * The acts also go on the session timeline (`session_events`, migration 005).
 */
export const migration006: Migration = {
  version: 6,
  name: 'signing',
  up(db) {
    db.exec(`
      CREATE TABLE signings (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        document_id TEXT NOT NULL UNIQUE,
        token TEXT NOT NULL UNIQUE CHECK (length(token) >= 32),
        closing_text TEXT NOT NULL CHECK (length(closing_text) > 0),
        opened_by INTEGER NOT NULL REFERENCES users(id),
        opened_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'refused', 'finished')),
        finished_at INTEGER,
        pdf_path TEXT,
        pdf_sha256 TEXT CHECK (pdf_sha256 IS NULL OR length(pdf_sha256) = 64),
        content_hash TEXT CHECK (content_hash IS NULL OR length(content_hash) = 64),
        page_count INTEGER CHECK (page_count IS NULL OR page_count >= 1),
        CHECK ((state = 'finished') = (finished_at IS NOT NULL)),
        CHECK (state <> 'finished' OR (pdf_path IS NOT NULL AND pdf_sha256 IS NOT NULL
          AND content_hash IS NOT NULL AND page_count IS NOT NULL))
      );
      CREATE UNIQUE INDEX signings_one_unfinished ON signings(session_id) WHERE state <> 'finished';
      CREATE UNIQUE INDEX signings_one_finished ON signings(session_id) WHERE state = 'finished';

      CREATE TABLE signing_versions (
        signing_id INTEGER NOT NULL REFERENCES signings(id),
        version INTEGER NOT NULL CHECK (version >= 1),
        transcript_seq INTEGER NOT NULL CHECK (transcript_seq >= 0),
        turns_hash TEXT NOT NULL CHECK (length(turns_hash) = 64),
        content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
        page_count INTEGER NOT NULL CHECK (page_count >= 1),
        transcript TEXT NOT NULL CHECK (json_valid(transcript)),   -- the PDF model's Transcript
        frozen_at INTEGER NOT NULL,
        frozen_by INTEGER NOT NULL REFERENCES users(id),
        PRIMARY KEY (signing_id, version)
      ) WITHOUT ROWID;

      CREATE TABLE signing_acts (
        id INTEGER PRIMARY KEY,
        signing_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN
          ('view', 'initials', 'page', 'seam', 'closing', 'officer', 'refusal', 'finish')),
        page INTEGER CHECK (page IS NULL OR page >= 1),
        correction_id TEXT,
        officer_id INTEGER REFERENCES officers(id),
        handwriting TEXT CHECK (handwriting IS NULL OR json_valid(handwriting)),
        data TEXT NOT NULL CHECK (json_valid(data)),
        via TEXT NOT NULL CHECK (via IN ('tablet', 'desk')),
        user_id INTEGER REFERENCES users(id),
        at INTEGER NOT NULL,                 -- UTC ms on the core's clock
        at_ms INTEGER NOT NULL,              -- session time ms (0 = start of the recording)
        FOREIGN KEY (signing_id, version) REFERENCES signing_versions(signing_id, version),
        CHECK ((kind IN ('initials', 'page', 'seam', 'closing', 'officer')) = (handwriting IS NOT NULL)),
        CHECK ((kind IN ('view', 'page')) = (page IS NOT NULL)),
        CHECK ((kind = 'initials') = (correction_id IS NOT NULL)),
        CHECK ((kind = 'officer') = (officer_id IS NOT NULL))
      );
      CREATE INDEX signing_acts_signing ON signing_acts(signing_id, version, kind);

      CREATE TRIGGER signings_no_delete BEFORE DELETE ON signings
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (signings)'); END;
      CREATE TRIGGER signings_identity BEFORE UPDATE OF
        id, session_id, document_id, token, closing_text, opened_by, opened_at ON signings
      BEGIN SELECT RAISE(ABORT, 'what identifies a signing never changes'); END;
      CREATE TRIGGER signings_finished BEFORE UPDATE ON signings WHEN OLD.state = 'finished'
      BEGIN SELECT RAISE(ABORT, 'a finished signing never changes'); END;
      CREATE TRIGGER signings_refusal_stands BEFORE UPDATE OF state ON signings
        WHEN OLD.state = 'refused' AND NEW.state = 'open'
      BEGIN SELECT RAISE(ABORT, 'a recorded refusal is never taken back'); END;

      CREATE TRIGGER signing_versions_no_update BEFORE UPDATE ON signing_versions
      BEGIN SELECT RAISE(ABORT, 'a frozen transcript version never changes'); END;
      CREATE TRIGGER signing_versions_no_delete BEFORE DELETE ON signing_versions
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (signing_versions)'); END;

      CREATE TRIGGER signing_acts_no_update BEFORE UPDATE ON signing_acts
      BEGIN SELECT RAISE(ABORT, 'signing acts are append-only'); END;
      CREATE TRIGGER signing_acts_no_delete BEFORE DELETE ON signing_acts
      BEGIN SELECT RAISE(ABORT, 'signing acts are append-only'); END;
    `);
  },
};
