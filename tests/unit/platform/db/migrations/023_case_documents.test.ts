import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

describe('migration 023: case documents, service, filing and retention', () => {
  it('adds the tables over an existing case, each statement kept as made', () => {
    const db = new Database(':memory:');
    migrate(db, 22);
    db.prepare(
      `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at) VALUES (1, 'admin', 'A', 'x', '["admin"]', 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO cases (id, case_no, cause, matter_kind, origin_kind, created_by, created_at, updated_at)
       VALUES (1, 'C-1', '案由', 'penalty', 'ex_officio', 1, 0, 0)`,
    ).run();
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(23);
    // The case written before keeps its row; it was not an emergency start.
    expect(db.prepare('SELECT emergency_reason FROM cases WHERE id = 1').get()).toEqual({
      emergency_reason: null,
    });
    db.prepare(
      `INSERT INTO issued_documents (case_id, template, title, doc_no, doc_year, doc_seq, fields, needs_service,
         ends_matter, pdf_path, pdf_sha256, issued_by, issued_at)
       VALUES (1, 'penalty-decision', '行政处罚决定书', '石人防罚决字〔2026〕1号', 2026, 1, '{}', 1, 1, 'x.pdf', 'ab', 1, 5)`,
    ).run();
    // A document number is issued once; an issued document is never changed or removed.
    expect(() =>
      db
        .prepare(
          `INSERT INTO issued_documents (case_id, template, title, doc_no, fields, needs_service, ends_matter, pdf_path, pdf_sha256, issued_by, issued_at)
           VALUES (1, 'penalty-decision', '行政处罚决定书', '石人防罚决字〔2026〕1号', '{}', 1, 1, 'y.pdf', 'cd', 1, 6)`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE issued_documents SET title = 'x'").run()).toThrow(
      /never changed \(issued_documents\)/,
    );
    expect(() => db.prepare('DELETE FROM issued_documents').run()).toThrow(/never deleted/);
    // A service names one of the five methods; a retention decision is confirmed or declined.
    expect(() =>
      db
        .prepare(
          `INSERT INTO service_records (document_id, method, data, served_at, recorded_by, recorded_at)
           VALUES (1, 'by_pigeon', '{}', 1, 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO retention_decisions (case_id, decision, reason, grounds, decided_by, decided_at)
           VALUES (1, 'maybe', 'r', '[]', 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    for (const table of ['approval_acts', 'case_filings', 'intake_steps', 'case_incidents'])
      expect(
        db
          .prepare(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
          )
          .get(table),
      ).toEqual({ n: 2 });
  });
});
