import type { Migration } from './index';

/**
 * The case store (rules R1, R3.6): users, officers, cases with their origin and phase,
 * parties, case officers, internal approvals, sessions with officers and participants, the
 * device register, and the audit trail. Times are UTC milliseconds.
 */
export const migration001: Migration = {
  version: 1,
  name: 'case store',
  up(db) {
    db.exec(`
      CREATE TABLE officers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        certificate_no TEXT NOT NULL UNIQUE,
        unit TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at INTEGER NOT NULL
      );

      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL,            -- JSON array of role keys
        officer_id INTEGER REFERENCES officers(id),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at INTEGER NOT NULL,
        password_changed_at INTEGER NOT NULL
      );

      CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        case_no TEXT NOT NULL UNIQUE,
        cause TEXT NOT NULL,
        matter_kind TEXT NOT NULL,
        phase TEXT NOT NULL DEFAULT 'initiation',
        origin_kind TEXT NOT NULL,
        origin_source TEXT,
        origin_reason TEXT,
        complainant TEXT,
        received_at INTEGER,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX cases_phase ON cases(phase);
      CREATE INDEX cases_matter ON cases(matter_kind);

      CREATE TABLE parties (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
        name TEXT NOT NULL,
        id_type TEXT NOT NULL,
        id_number TEXT NOT NULL,
        address TEXT,
        contact TEXT,
        legal_representative TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX parties_case ON parties(case_id);

      CREATE TABLE case_officers (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        officer_id INTEGER NOT NULL REFERENCES officers(id),
        lead INTEGER NOT NULL DEFAULT 0 CHECK (lead IN (0, 1)),
        assigned_at INTEGER NOT NULL,
        PRIMARY KEY (case_id, officer_id)
      );

      CREATE TABLE approvals (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        role TEXT NOT NULL CHECK (role IN ('handler', 'reviewer', 'approver')),
        user_id INTEGER NOT NULL REFERENCES users(id),
        decision TEXT NOT NULL CHECK (decision IN ('agree', 'disagree', 'return')),
        opinion TEXT NOT NULL,
        decided_at INTEGER NOT NULL
      );
      CREATE INDEX approvals_case ON approvals(case_id);

      CREATE TABLE phase_changes (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        from_phase TEXT NOT NULL,
        to_phase TEXT NOT NULL,
        note TEXT,
        user_id INTEGER NOT NULL REFERENCES users(id),
        at INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'planned',
        place TEXT NOT NULL,
        room TEXT,
        scheduled_at INTEGER,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_case ON sessions(case_id);

      CREATE TABLE session_officers (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        officer_id INTEGER NOT NULL REFERENCES officers(id),
        role TEXT NOT NULL,
        PRIMARY KEY (session_id, officer_id)
      );

      CREATE TABLE session_participants (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        role TEXT NOT NULL,
        party_id INTEGER REFERENCES parties(id),
        name TEXT NOT NULL
      );

      CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        device_no TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('camera', 'microphone')),
        label TEXT NOT NULL,
        model TEXT,
        serial TEXT,
        room TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        registered_at INTEGER NOT NULL
      );

      -- The audit trail: who did what, when. Each entry carries the SHA-256 of the previous
      -- one (prev_hash) and its own (hash), so a removed or altered entry breaks the chain.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor_user_id INTEGER REFERENCES users(id),
        actor TEXT,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id INTEGER,
        case_id INTEGER,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX events_entity ON events(entity, entity_id);
      CREATE INDEX events_case ON events(case_id);
    `);
  },
};
