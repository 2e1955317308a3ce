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

/** A session's signing of its record (table `signings`), as sealing needs it. */
export interface SessionSigning {
  id: number;
  documentId: string;
  state: 'open' | 'refused' | 'finished';
  finishedAt: number | null;
  /** The signed PDF, relative to the data directory; null until finished. */
  pdfPath: string | null;
  pdfSha256: string | null;
  contentHash: string | null;
  pageCount: number | null;
}

/** The session's latest signing, or null when its record was never opened for signing. */
export function latestSigningOfSession(db: Db, sessionId: number): SessionSigning | null {
  return (
    (db
      .prepare(
        `SELECT id, document_id AS documentId, state, finished_at AS finishedAt, pdf_path AS pdfPath,
                pdf_sha256 AS pdfSha256, content_hash AS contentHash, page_count AS pageCount
         FROM signings WHERE session_id = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(sessionId) as SessionSigning | undefined) ?? null
  );
}

/** The ids of every signing of a session (the audit trail names them). */
export function signingIdsOfSession(db: Db, sessionId: number): number[] {
  return (
    db.prepare('SELECT id FROM signings WHERE session_id = ?').all(sessionId) as { id: number }[]
  ).map((r) => r.id);
}

/**
 * The SHA-256 of each file written when the record was signed (the transcript's JSON, the
 * strokes), by file name, as the latest finish act recorded them; empty when not finished.
 */
export function signedFileHashes(db: Db, signingId: number): Record<string, string> {
  const finish = db
    .prepare(
      "SELECT data FROM signing_acts WHERE signing_id = ? AND kind = 'finish' ORDER BY id DESC LIMIT 1",
    )
    .get(signingId) as { data: string | null } | undefined;
  return (
    (JSON.parse(finish?.data ?? 'null') as { files?: Record<string, string> } | null)?.files ?? {}
  );
}
