import type { Migration } from './index';

/**
 * The hearing report (听证报告): each saved version of what the moderator writes, and the one
 * signing of it by the moderator in person with the printed report's hashes. Both are kept,
 * never changed or deleted: an earlier draft stays on record beside the signed version.
 */
export const migration018: Migration = {
  version: 18,
  name: 'hearing reports',
  up(db) {
    db.exec(`
      CREATE TABLE hearing_reports (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        version INTEGER NOT NULL CHECK (version >= 1),
        content TEXT NOT NULL CHECK (json_valid(content)),
        written_by INTEGER NOT NULL REFERENCES users(id),
        written_at INTEGER NOT NULL,
        UNIQUE (session_id, version)
      );
      CREATE TABLE hearing_report_signings (
        session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
        report_id INTEGER NOT NULL UNIQUE REFERENCES hearing_reports(id),
        officer_id INTEGER NOT NULL REFERENCES officers(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        presence TEXT NOT NULL CHECK (presence IN ('signed_in', 'password')),
        pdf_path TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
        json_sha256 TEXT NOT NULL CHECK (length(json_sha256) = 64),
        signed_at INTEGER NOT NULL
      );
      CREATE TRIGGER hearing_reports_no_update BEFORE UPDATE ON hearing_reports
      BEGIN SELECT RAISE(ABORT, 'records are never changed (hearing_reports)'); END;
      CREATE TRIGGER hearing_reports_no_delete BEFORE DELETE ON hearing_reports
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (hearing_reports)'); END;
      CREATE TRIGGER hearing_report_signings_no_update BEFORE UPDATE ON hearing_report_signings
      BEGIN SELECT RAISE(ABORT, 'records are never changed (hearing_report_signings)'); END;
      CREATE TRIGGER hearing_report_signings_no_delete BEFORE DELETE ON hearing_report_signings
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (hearing_report_signings)'); END;
    `);
  },
};
