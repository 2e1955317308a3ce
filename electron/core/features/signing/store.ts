import type { Db } from '../../platform/db/database';

// Queries other features use

/** The finished signing of a session (its signed transcript PDF), or undefined. */
export function finishedSigningOf(
  db: Db,
  sessionId: number,
): { finishedAt: number; pdfPath: string; pdfSha256: string; pageCount: number } | undefined {
  return db
    .prepare(
      `SELECT finished_at AS finishedAt, pdf_path AS pdfPath, pdf_sha256 AS pdfSha256, page_count AS pageCount
       FROM signings WHERE session_id = ? AND state = 'finished'`,
    )
    .get(sessionId) as
    { finishedAt: number; pdfPath: string; pdfSha256: string; pageCount: number } | undefined;
}
