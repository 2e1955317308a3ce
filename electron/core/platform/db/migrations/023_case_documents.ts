import type { Migration } from './index';

/** A table whose rows are statements made at a moment: never changed, never deleted. */
function appendOnly(table: string): string {
  return `
    CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, 'records are never changed (${table})'); END;
    CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, 'records are never deleted (${table})'); END;`;
}

/**
 * The case around its sessions (R1.2, R1.4, R1.5, R2.1, R4.4, R5.2):
 * - `intake_entries` / `intake_steps`: applications (申请) and complaints or reports (投诉举报)
 *   as registered, and what was done with each (corrections asked for and made, accepted or
 *   refused, a case opened or not), each step a statement of its own.
 * - `cases.emergency_reason` / `emergency_reports`: a case started in an emergency and its
 *   report within 24 hours.
 * - `approval_forms` / `approval_acts` / `approval_form_prints`: the approval form (审批表):
 *   the handler's proposal, the legal review, the collective discussion and each
 *   participant's signature, the leader's decision, and the signed PDF once decided.
 * - `agency_identity`: the agency's name, its short name for document numbers (文号) and its
 *   seal image (kept as a file; its hash here).
 * - `issued_documents`: documents issued from the templates, numbered and sealed.
 * - `service_records` / `service_proofs`: how each document was served (送达) and the proof
 *   that came later (a postal receipt, a returned 送达回证).
 * - `executions`: what became of a decision (执行).
 * - `case_filings`: the filing act (立卷归档): the table of contents, reviewed and signed.
 * - `case_incidents`: what happened around the case that calls for keeping it long (an
 *   obstruction of the officers, a mass incident, a dispute the party raised).
 * - `retention_decisions`: the legal officer's answer to a proposal of long-term retention.
 */
export const migration023: Migration = {
  version: 23,
  name: 'case documents, service, filing and retention',
  up(db) {
    db.exec(`
      CREATE TABLE intake_entries (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('application', 'complaint')),
        data TEXT NOT NULL CHECK (json_valid(data)),
        received_at INTEGER NOT NULL,
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      CREATE TABLE intake_steps (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES intake_entries(id),
        kind TEXT NOT NULL CHECK (kind IN (
          'correction_asked', 'correction_made', 'accepted', 'refused', 'opened', 'not_opened'
        )),
        data TEXT NOT NULL CHECK (json_valid(data)),
        case_id INTEGER REFERENCES cases(id),
        by_user INTEGER NOT NULL REFERENCES users(id),
        at INTEGER NOT NULL
      );
      CREATE INDEX intake_steps_entry ON intake_steps(entry_id, id);
      ${appendOnly('intake_entries')}
      ${appendOnly('intake_steps')}

      ALTER TABLE cases ADD COLUMN emergency_reason TEXT;
      CREATE TABLE emergency_reports (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
        data TEXT NOT NULL CHECK (json_valid(data)),
        reported_at INTEGER NOT NULL,
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      ${appendOnly('emergency_reports')}

      CREATE TABLE approval_forms (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('initiation', 'decision')),
        content TEXT NOT NULL CHECK (json_valid(content)),
        collective_required INTEGER NOT NULL CHECK (collective_required IN (0, 1))
      );
      CREATE TABLE approval_acts (
        id INTEGER PRIMARY KEY,
        form_id INTEGER NOT NULL REFERENCES approval_forms(id),
        step TEXT NOT NULL CHECK (step IN (
          'proposal', 'review', 'discussion', 'discussion_signature', 'decision'
        )),
        decision TEXT CHECK (decision IS NULL OR decision IN ('agree', 'disagree', 'return')),
        opinion TEXT,
        data TEXT NOT NULL CHECK (json_valid(data)),
        user_id INTEGER NOT NULL REFERENCES users(id),
        presence TEXT NOT NULL CHECK (presence IN ('signed_in', 'password')),
        handwriting TEXT NOT NULL,
        case_phase TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX approval_acts_form ON approval_acts(form_id, id);
      CREATE TABLE approval_form_prints (
        form_id INTEGER PRIMARY KEY REFERENCES approval_forms(id),
        pdf_path TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      ${appendOnly('approval_forms')}
      ${appendOnly('approval_acts')}
      ${appendOnly('approval_form_prints')}

      CREATE TABLE agency_identity (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        short_name TEXT NOT NULL,
        seal_sha256 TEXT,
        set_by INTEGER NOT NULL REFERENCES users(id),
        set_at INTEGER NOT NULL
      );

      CREATE TABLE issued_documents (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        template TEXT NOT NULL,
        title TEXT NOT NULL,
        doc_no TEXT UNIQUE,
        doc_year INTEGER,
        doc_seq INTEGER,
        fields TEXT NOT NULL CHECK (json_valid(fields)),
        needs_service INTEGER NOT NULL CHECK (needs_service IN (0, 1)),
        ends_matter INTEGER NOT NULL CHECK (ends_matter IN (0, 1)),
        pdf_path TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        seal_sha256 TEXT,
        issued_by INTEGER NOT NULL REFERENCES users(id),
        issued_at INTEGER NOT NULL
      );
      CREATE INDEX issued_documents_case ON issued_documents(case_id, id);
      ${appendOnly('issued_documents')}

      CREATE TABLE service_records (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES issued_documents(id),
        method TEXT NOT NULL CHECK (method IN ('direct', 'entrusted', 'postal', 'left', 'public_notice')),
        data TEXT NOT NULL CHECK (json_valid(data)),
        served_at INTEGER NOT NULL,
        session_id INTEGER REFERENCES sessions(id),
        handwriting TEXT CHECK (handwriting IS NULL OR json_valid(handwriting)),
        receipt_path TEXT,
        receipt_sha256 TEXT,
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      CREATE INDEX service_records_document ON service_records(document_id, id);
      CREATE TABLE service_proofs (
        id INTEGER PRIMARY KEY,
        service_id INTEGER NOT NULL REFERENCES service_records(id),
        data TEXT NOT NULL CHECK (json_valid(data)),
        file_name TEXT NOT NULL,
        file_path TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      CREATE TABLE executions (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        document_id INTEGER NOT NULL REFERENCES issued_documents(id),
        result TEXT NOT NULL CHECK (result IN ('fulfilled', 'partly', 'enforced', 'not_executed')),
        detail TEXT NOT NULL,
        executed_at INTEGER NOT NULL,
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      ${appendOnly('service_records')}
      ${appendOnly('service_proofs')}
      ${appendOnly('executions')}

      CREATE TABLE case_filings (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
        toc TEXT NOT NULL CHECK (json_valid(toc)),
        toc_sha256 TEXT NOT NULL,
        pdf_path TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        compiled_by INTEGER NOT NULL REFERENCES users(id),
        reviewed_by INTEGER NOT NULL REFERENCES users(id),
        presence TEXT NOT NULL CHECK (presence IN ('signed_in', 'password')),
        handwriting TEXT NOT NULL,
        filed_at INTEGER NOT NULL
      );
      ${appendOnly('case_filings')}

      CREATE TABLE case_incidents (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('obstruction', 'mass_incident', 'dispute')),
        note TEXT NOT NULL,
        occurred_at INTEGER NOT NULL,
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      ${appendOnly('case_incidents')}

      CREATE TABLE retention_decisions (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'declined')),
        reason TEXT NOT NULL,
        grounds TEXT NOT NULL CHECK (json_valid(grounds)),
        decided_by INTEGER NOT NULL REFERENCES users(id),
        decided_at INTEGER NOT NULL
      );
      CREATE INDEX retention_decisions_case ON retention_decisions(case_id, id);
      ${appendOnly('retention_decisions')}
    `);
  },
};
