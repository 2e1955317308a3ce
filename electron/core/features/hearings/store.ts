/**
 * The hearing report tables (migration 018), and the only SQL on them: `hearing_reports`
 * (every saved version) and `hearing_report_signings` (the moderator's one signing).
 */
import type { HearingReportContent } from '../../../shared/api/hearings';
import type { Db } from '../../platform/db/database';

export interface ReportRow {
  id: number;
  session_id: number;
  version: number;
  content: string;
  written_by: number;
  written_at: number;
}

export interface ReportSigningRow {
  session_id: number;
  report_id: number;
  officer_id: number;
  user_id: number;
  presence: 'signed_in' | 'password';
  pdf_path: string;
  pdf_sha256: string;
  json_sha256: string;
  signed_at: number;
}

/** The latest version of a hearing's report, or undefined before one is saved. */
export function latestReport(db: Db, sessionId: number): ReportRow | undefined {
  return db
    .prepare('SELECT * FROM hearing_reports WHERE session_id = ? ORDER BY version DESC LIMIT 1')
    .get(sessionId) as ReportRow | undefined;
}

/** The signing of a hearing's report, or undefined while it is unsigned. */
export function reportSigningOf(db: Db, sessionId: number): ReportSigningRow | undefined {
  return db.prepare('SELECT * FROM hearing_report_signings WHERE session_id = ?').get(sessionId) as
    ReportSigningRow | undefined;
}

export function insertReport(
  db: Db,
  r: { sessionId: number; version: number; content: HearingReportContent; by: number; at: number },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO hearing_reports (session_id, version, content, written_by, written_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(r.sessionId, r.version, JSON.stringify(r.content), r.by, r.at).lastInsertRowid,
  );
}

export function insertReportSigning(db: Db, s: ReportSigningRow): void {
  db.prepare(
    `INSERT INTO hearing_report_signings (session_id, report_id, officer_id, user_id, presence,
       pdf_path, pdf_sha256, json_sha256, signed_at)
     VALUES (@session_id, @report_id, @officer_id, @user_id, @presence, @pdf_path, @pdf_sha256,
       @json_sha256, @signed_at)`,
  ).run(s);
}
