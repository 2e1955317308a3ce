import type { Migration } from './index';

/**
 * What supervision counts by (R6.4): the unit that handles each case (承办单位, the lead
 * officer's unit, kept on the case so a later move of the officer does not move the case's
 * history); each sealed session's compliance findings, as sealed; and the indexes the
 * supervision screen's period queries need on an agency's year of records.
 */
export const migration026: Migration = {
  version: 26,
  name: 'supervision',
  up(db) {
    db.exec(`
      ALTER TABLE cases ADD COLUMN unit TEXT;
      UPDATE cases SET unit = (
        SELECT o.unit FROM case_officers co JOIN officers o ON o.id = co.officer_id
        WHERE co.case_id = cases.id AND co.lead = 1);
      CREATE INDEX cases_unit_created ON cases(unit, created_at);
      CREATE INDEX cases_created ON cases(created_at);
      CREATE INDEX sessions_started ON sessions(started_at);
      CREATE INDEX session_events_kind ON session_events(kind, session_id);
      CREATE INDEX signing_acts_kind ON signing_acts(kind, signing_id);
      CREATE INDEX events_action_at ON events(action, at);
      CREATE INDEX replication_jobs_session ON replication_jobs(session_id);
      CREATE INDEX discs_made ON discs(made_at);
      CREATE INDEX party_copies_made ON party_copies(made_at);
      CREATE INDEX access_decisions_decided ON access_decisions(decided_at);

      CREATE TABLE compliance_findings (
        bundle_id INTEGER NOT NULL REFERENCES sealed_bundles(id),
        item INTEGER NOT NULL CHECK (item >= 0),
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        rule TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('met', 'missing', 'overridden')),
        PRIMARY KEY (bundle_id, item)
      ) WITHOUT ROWID;
      CREATE INDEX compliance_findings_rule ON compliance_findings(rule, status, session_id);
      CREATE TRIGGER compliance_findings_no_update BEFORE UPDATE ON compliance_findings
      BEGIN SELECT RAISE(ABORT, 'records are never changed (compliance_findings)'); END;
      CREATE TRIGGER compliance_findings_no_delete BEFORE DELETE ON compliance_findings
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (compliance_findings)'); END;
    `);
  },
};
