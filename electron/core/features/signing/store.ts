/**
 * The signing tables (migration 006), and the only SQL on them: `signings` (one per signing of
 * a session's transcript, with the party page's token and, once finished, the record's file
 * and hashes), `signing_versions` (each frozen text the party reviews, append-only) and
 * `signing_acts` (every act with its wall time and session time, append-only).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SigningState } from '../../../shared/api/signing';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../../shared/errors';
import type { ActKind } from './machine';

export interface SigningRow {
  id: number;
  session_id: number;
  document_id: string;
  token: string;
  closing_text: string;
  opened_by: number;
  opened_at: number;
  state: SigningState;
  finished_at: number | null;
  pdf_path: string | null;
  pdf_sha256: string | null;
  content_hash: string | null;
  page_count: number | null;
}

export interface VersionRow {
  signing_id: number;
  version: number;
  transcript_seq: number;
  turns_hash: string;
  content_hash: string;
  page_count: number;
  transcript: string;
  frozen_at: number;
}

export interface ActRow {
  id: number;
  version: number;
  kind: ActKind;
  page: number | null;
  correction_id: string | null;
  officer_id: number | null;
  /** Whose act on the party's surface: 0 the one questioned, 1… the others in turn. */
  signer: number;
  handwriting: string | null;
  data: string;
  at: number;
  at_ms: number;
}

/** How the caller reached the signing: the party's page (token) or the signed-in desk. */
export type Via = 'tablet' | 'desk';

/** A signing by id; NOT_FOUND when there is none. */
export function signingById(db: Db, signingId: number): SigningRow {
  const row = db.prepare('SELECT * FROM signings WHERE id = ?').get(signingId) as
    SigningRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `no signing ${signingId}`);
  return row;
}

/** A party surface of a signing: the signing page, or a paired LAN tablet. */
export type SigningSurface = 'page' | 'lan-tablet';

/** The SHA-256 (hex) a token is kept as. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A new token for a surface of a signing: the one that surface had before is revoked. Only
 * its hash is kept; the token itself is returned once.
 */
export function issueSigningToken(
  db: Db,
  signingId: number,
  surface: SigningSurface,
  at: number,
  by: number | null,
): { token: string; id: number } {
  const token = randomBytes(32).toString('base64url');
  db.prepare(
    `UPDATE signing_tokens SET revoked_at = ?
     WHERE signing_id = ? AND surface = ? AND revoked_at IS NULL`,
  ).run(at, signingId, surface);
  const id = Number(
    db
      .prepare(
        `INSERT INTO signing_tokens (signing_id, surface, token_sha256, issued_at, issued_by)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(signingId, surface, tokenHash(token), at, by).lastInsertRowid,
  );
  return { token, id };
}

/** The live surface a token opens on a signing (by its hash), or null. */
export function surfaceOfToken(
  db: Db,
  signingId: number,
  token: string,
): { id: number; surface: SigningSurface } | null {
  const row = db
    .prepare(
      `SELECT id, surface FROM signing_tokens
       WHERE token_sha256 = ? AND signing_id = ? AND revoked_at IS NULL`,
    )
    .get(tokenHash(token), signingId) as { id: number; surface: SigningSurface } | undefined;
  return row ?? null;
}

/** The latest signing of a session, or null. */
export function latestSigningOfSession(db: Db, sessionId: number): SigningRow | null {
  return (
    (db
      .prepare('SELECT * FROM signings WHERE session_id = ? ORDER BY id DESC LIMIT 1')
      .get(sessionId) as SigningRow | undefined) ?? null
  );
}

/** Whether a signing of the session is open (or refused) and not yet finished. */
export function hasUnfinishedSigning(db: Db, sessionId: number): boolean {
  return (
    db
      .prepare("SELECT 1 FROM signings WHERE session_id = ? AND state <> 'finished'")
      .get(sessionId) !== undefined
  );
}

/** The newest frozen version of a signing (there is always version 1). */
export function latestVersion(db: Db, signingId: number): VersionRow {
  return db
    .prepare('SELECT * FROM signing_versions WHERE signing_id = ? ORDER BY version DESC LIMIT 1')
    .get(signingId) as VersionRow;
}

/** Version 1: the text as the party reviewed it. */
export function firstVersion(db: Db, signingId: number): VersionRow {
  return db
    .prepare('SELECT * FROM signing_versions WHERE signing_id = ? AND version = 1')
    .get(signingId) as VersionRow;
}

/** Every act of a signing, oldest first. */
export function actsOf(db: Db, signingId: number): ActRow[] {
  return db
    .prepare(
      `SELECT id, version, kind, page, correction_id, officer_id, signer, handwriting, data, at,
         at_ms FROM signing_acts WHERE signing_id = ? ORDER BY id`,
    )
    .all(signingId) as ActRow[];
}

/** The refusals of a signing, each with whose (0 the party, 1… the others) and its reason. */
export function refusalsOf(
  db: Db,
  signingId: number,
): { signer: number; reason: string; at: number; atMs: number }[] {
  const rows = db
    .prepare(
      "SELECT signer, data, at, at_ms FROM signing_acts WHERE signing_id = ? AND kind = 'refusal' ORDER BY signer",
    )
    .all(signingId) as { signer: number; data: string; at: number; at_ms: number }[];
  return rows.map((r) => ({
    signer: r.signer,
    reason: (JSON.parse(r.data) as { reason: string }).reason,
    at: r.at,
    atMs: r.at_ms,
  }));
}

/** Adds a signing (state `open`); returns its id. */
export function insertSigning(
  db: Db,
  s: {
    sessionId: number;
    documentId: string;
    token: string;
    closingText: string;
    openedBy: number;
    openedAt: number;
  },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO signings (session_id, document_id, token, closing_text, opened_by, opened_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(s.sessionId, s.documentId, s.token, s.closingText, s.openedBy, s.openedAt)
      .lastInsertRowid,
  );
}

/** Freezes one version of a signing's text. */
export function insertVersion(
  db: Db,
  v: {
    signingId: number;
    version: number;
    transcriptSeq: number;
    turnsHash: string;
    contentHash: string;
    pageCount: number;
    /** The transcript as canonical JSON. */
    transcript: string;
    frozenAt: number;
    frozenBy: number;
  },
): void {
  db.prepare(
    `INSERT INTO signing_versions (signing_id, version, transcript_seq, turns_hash, content_hash,
       page_count, transcript, frozen_at, frozen_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    v.signingId,
    v.version,
    v.transcriptSeq,
    v.turnsHash,
    v.contentHash,
    v.pageCount,
    v.transcript,
    v.frozenAt,
    v.frozenBy,
  );
}

/** Appends one act; returns its id. Fields an act of its kind does not have stay null. */
export function insertAct(
  db: Db,
  a: {
    signingId: number;
    version: number;
    kind: ActKind;
    page?: number | null;
    correctionId?: string | null;
    officerId?: number | null;
    /** Whose act on the party's surface (0 when the party's or an officer's). */
    signer?: number;
    /** The handwriting as JSON. */
    handwriting?: string | null;
    /** The act's data as JSON. */
    data: string;
    via: Via;
    userId: number | null;
    at: number;
    atMs: number;
  },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO signing_acts (signing_id, version, kind, page, correction_id, officer_id,
           signer, handwriting, data, via, user_id, at, at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.signingId,
        a.version,
        a.kind,
        a.page ?? null,
        a.correctionId ?? null,
        a.officerId ?? null,
        a.signer ?? 0,
        a.handwriting ?? null,
        a.data,
        a.via,
        a.userId,
        a.at,
        a.atMs,
      ).lastInsertRowid,
  );
}

/** The party (the first signer) refused: the record is laid out with the refusal noted. */
export function markRefused(db: Db, signingId: number): void {
  db.prepare("UPDATE signings SET state = 'refused' WHERE id = ?").run(signingId);
}

/** The record is signed and written: where it is and what it hashes to. */
export function markFinished(
  db: Db,
  signingId: number,
  f: { at: number; path: string; sha256: string; contentHash: string; pageCount: number },
): void {
  db.prepare(
    `UPDATE signings SET state = 'finished', finished_at = ?, pdf_path = ?, pdf_sha256 = ?,
       content_hash = ?, page_count = ? WHERE id = ?`,
  ).run(f.at, f.path, f.sha256, f.contentHash, f.pageCount, signingId);
}

// Queries other features use

/** Whether the session's transcript is signed and finished (no later edit may change it). */
export function isSessionSigned(db: Db, sessionId: number): boolean {
  return (
    db
      .prepare("SELECT 1 FROM signings WHERE session_id = ? AND state = 'finished'")
      .get(sessionId) !== undefined
  );
}

/** The finished record of a session: when, where, its SHA-256 and pages; null if none. */
export function finishedRecordOfSession(
  db: Db,
  sessionId: number,
): { finishedAt: number; pdfPath: string; pdfSha256: string; pageCount: number } | null {
  const row = db
    .prepare(
      "SELECT finished_at, pdf_path, pdf_sha256, page_count FROM signings WHERE session_id = ? AND state = 'finished'",
    )
    .get(sessionId) as
    { finished_at: number; pdf_path: string; pdf_sha256: string; page_count: number } | undefined;
  return row
    ? {
        finishedAt: row.finished_at,
        pdfPath: row.pdf_path,
        pdfSha256: row.pdf_sha256,
        pageCount: row.page_count,
      }
    : null;
}

/** The ids of every signing of a session (their audit entries belong to its event log). */
export function signingIdsOfSession(db: Db, sessionId: number): number[] {
  return (
    db.prepare('SELECT id FROM signings WHERE session_id = ?').all(sessionId) as { id: number }[]
  ).map((r) => r.id);
}

/**
 * The SHA-256 of the files written beside the signed record (transcript.json,
 * signatures.json), as the finish act recorded them; empty when not finished.
 */
export function signedFilesOf(db: Db, signingId: number): Record<string, string> {
  const finish = db
    .prepare(
      "SELECT data FROM signing_acts WHERE signing_id = ? AND kind = 'finish' ORDER BY id DESC LIMIT 1",
    )
    .get(signingId) as { data: string | null } | undefined;
  return (
    (JSON.parse(finish?.data ?? 'null') as { files?: Record<string, string> } | null)?.files ?? {}
  );
}

/** Every refusal to sign in a session's signings (the retention rule reads them). */
export function refusalsOfSession(
  db: Db,
  sessionId: number,
): { signer: number; reason: string; at: number }[] {
  return signingIdsOfSession(db, sessionId).flatMap((id) =>
    refusalsOf(db, id).map((r) => ({ signer: r.signer, reason: r.reason, at: r.at })),
  );
}

/** How many distinct officers signed a signing. */
export function signedOfficerCount(db: Db, signingId: number): number {
  const r = db
    .prepare(
      "SELECT count(DISTINCT officer_id) AS n FROM signing_acts WHERE signing_id = ? AND kind = 'officer'",
    )
    .get(signingId) as { n: number };
  return r.n;
}
