/**
 * The sealing feature's tables: `sealed_bundles` (one row per sealed session, written once)
 * and `bundle_verifications` (every verification, appended). The only SQL on them; other
 * features read bundles through the queries at the end.
 */
import type { RetentionChoice } from '../../../shared/api/sealing';
import type { Db } from '../../platform/db/database';

/** A sealed bundle as recorded. */
export interface BundleRow {
  id: number;
  session_id: number;
  case_id: number;
  bag_id: string;
  bag_name: string;
  /** Relative to the data directory, '/'-separated. */
  path: string;
  tag_manifest_sha512: string;
  payload_files: number;
  payload_bytes: number;
  event_log_head: string;
  event_log_entries: number;
  signer_subject: string;
  signer_fingerprint: string;
  timestamp: 'none' | 'ok' | 'failed';
  retention_choice: RetentionChoice;
  retention_class: 'standard' | 'long-term';
  retention_reason: string | null;
  retain_until: number | null;
  recorded_end_at: number;
  sealed_at: number;
  sealed_by: number;
}

/** What sealing records of a new bundle. */
export interface NewBundle {
  sessionId: number;
  caseId: number;
  bagId: string;
  bagName: string;
  path: string;
  tagManifestSha512: string;
  payloadFiles: number;
  payloadBytes: number;
  eventLogHead: string;
  eventLogEntries: number;
  signerSubject: string;
  signerFingerprint: string;
  timestamp: BundleRow['timestamp'];
  retentionChoice: RetentionChoice;
  retentionClass: BundleRow['retention_class'];
  retentionReason: string | null;
  retainUntil: number | null;
  recordedEndAt: number;
  sealedAt: number;
  sealedBy: number;
  /** The bag-info elements, as written into the bag. */
  bagInfo: unknown;
}

/** Records a sealed bundle; returns its id. Call inside the transaction that seals the session. */
export function insertBundle(db: Db, b: NewBundle): number {
  return Number(
    db
      .prepare(
        `INSERT INTO sealed_bundles (session_id, case_id, bag_id, bag_name, path, tag_manifest_sha512,
           payload_files, payload_bytes, event_log_head, event_log_entries, signer_subject,
           signer_fingerprint, timestamp, retention_choice, retention_class, retention_reason,
           retain_until, recorded_end_at, sealed_at, sealed_by, bag_info)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        b.sessionId,
        b.caseId,
        b.bagId,
        b.bagName,
        b.path,
        b.tagManifestSha512,
        b.payloadFiles,
        b.payloadBytes,
        b.eventLogHead,
        b.eventLogEntries,
        b.signerSubject,
        b.signerFingerprint,
        b.timestamp,
        b.retentionChoice,
        b.retentionClass,
        b.retentionReason,
        b.retainUntil,
        b.recordedEndAt,
        b.sealedAt,
        b.sealedBy,
        JSON.stringify(b.bagInfo),
      ).lastInsertRowid,
  );
}

/** The archive-relative paths of every recorded bundle. */
export function recordedBundlePaths(db: Db): Set<string> {
  return new Set(
    (db.prepare('SELECT path FROM sealed_bundles').all() as { path: string }[]).map((r) => r.path),
  );
}

export function bundleById(db: Db, id: number): BundleRow | undefined {
  return db.prepare('SELECT * FROM sealed_bundles WHERE id = ?').get(id) as BundleRow | undefined;
}

/** The id of a session's bundle, or undefined while it is not sealed. */
export function bundleIdOfSession(db: Db, sessionId: number): number | undefined {
  const row = db.prepare('SELECT id FROM sealed_bundles WHERE session_id = ?').get(sessionId) as
    { id: number } | undefined;
  return row?.id;
}

/** Ids of the bundles of a case or a session (or all), newest first. */
export function bundleIds(
  db: Db,
  filter: { caseId?: number | undefined; sessionId?: number | undefined },
): number[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.caseId !== undefined) {
    where.push('case_id = ?');
    params.push(filter.caseId);
  }
  if (filter.sessionId !== undefined) {
    where.push('session_id = ?');
    params.push(filter.sessionId);
  }
  return (
    db
      .prepare(
        `SELECT id FROM sealed_bundles ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`,
      )
      .all(...params) as { id: number }[]
  ).map((r) => r.id);
}

/** The reason of the case's latest long-term bundle, or undefined when none is kept long-term. */
export function longTermReasonOfCase(db: Db, caseId: number): string | undefined {
  const row = db
    .prepare(
      "SELECT retention_reason FROM sealed_bundles WHERE case_id = ? AND retention_class = 'long-term' ORDER BY id DESC LIMIT 1",
    )
    .get(caseId) as { retention_reason: string } | undefined;
  return row?.retention_reason;
}

/** A recorded verification of a bundle. */
export interface VerificationRow {
  id: number;
  bundle_id: number;
  at: number;
  user_id: number | null;
  ok: number;
  recorded_hash_matches: number;
  errors: number;
  warnings: number;
  /** The report (JSON). */
  report: string;
}

/** Appends a verification; returns its id. */
export function insertVerification(
  db: Db,
  v: {
    bundleId: number;
    at: number;
    userId: number | null;
    ok: boolean;
    recordedHashMatches: boolean;
    errors: number;
    warnings: number;
    report: unknown;
  },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO bundle_verifications (bundle_id, at, user_id, ok, recorded_hash_matches, errors, warnings, report)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        v.bundleId,
        v.at,
        v.userId,
        v.ok ? 1 : 0,
        v.recordedHashMatches ? 1 : 0,
        v.errors,
        v.warnings,
        JSON.stringify(v.report),
      ).lastInsertRowid,
  );
}

export function verificationById(db: Db, id: number): VerificationRow | undefined {
  return db.prepare('SELECT * FROM bundle_verifications WHERE id = ?').get(id) as
    VerificationRow | undefined;
}

/** The latest verification of a bundle, or undefined when it was never verified. */
export function latestVerificationOf(db: Db, bundleId: number): VerificationRow | undefined {
  return db
    .prepare('SELECT * FROM bundle_verifications WHERE bundle_id = ? ORDER BY id DESC LIMIT 1')
    .get(bundleId) as VerificationRow | undefined;
}

// Queries other features use

/** What another feature needs to know of a sealed bundle (where it is, what it is of). */
export interface SealedBundleRef {
  id: number;
  sessionId: number;
  caseId: number;
  bagId: string;
  bagName: string;
  /** Relative to the data directory, '/'-separated. */
  path: string;
  recordedEndAt: number;
  retainUntil: number | null;
  /** SHA-512 of the tag manifest as sealed: what the seal's signature vouches for. */
  tagManifestSha512: string;
}

const REF_COLUMNS = `id, session_id AS sessionId, case_id AS caseId, bag_id AS bagId, bag_name AS bagName,
  path, recorded_end_at AS recordedEndAt, retain_until AS retainUntil,
  tag_manifest_sha512 AS tagManifestSha512`;

/** Sealed bundles of a case or a session (or all), oldest first. */
export function sealedBundleRefs(
  db: Db,
  filter: { caseId?: number | undefined; sessionId?: number | undefined } = {},
): SealedBundleRef[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.caseId !== undefined) {
    where.push('case_id = @caseId');
    params.caseId = filter.caseId;
  }
  if (filter.sessionId !== undefined) {
    where.push('session_id = @sessionId');
    params.sessionId = filter.sessionId;
  }
  return db
    .prepare(
      `SELECT ${REF_COLUMNS} FROM sealed_bundles ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
    )
    .all(params) as SealedBundleRef[];
}

/** The sealed bundle of a bag id (its name on every storage target), or undefined. */
export function sealedBundleByBagId(db: Db, bagId: string): SealedBundleRef | undefined {
  return db.prepare(`SELECT ${REF_COLUMNS} FROM sealed_bundles WHERE bag_id = ?`).get(bagId) as
    SealedBundleRef | undefined;
}

/** One sealed bundle by id, or undefined. */
export function sealedBundleRef(db: Db, id: number): SealedBundleRef | undefined {
  return db.prepare(`SELECT ${REF_COLUMNS} FROM sealed_bundles WHERE id = ?`).get(id) as
    SealedBundleRef | undefined;
}

/** Every sealed bundle's retention as sealed, for the retention register. */
export function bundleRetentions(db: Db): {
  id: number;
  bagName: string;
  caseId: number;
  sessionId: number;
  choice: 'av-1y' | 'case-3y' | 'long-term';
  retainUntil: number | null;
  recordedEndAt: number;
}[] {
  return db
    .prepare(
      `SELECT id, bag_name AS bagName, case_id AS caseId, session_id AS sessionId,
         retention_choice AS choice, retain_until AS retainUntil, recorded_end_at AS recordedEndAt
       FROM sealed_bundles ORDER BY id`,
    )
    .all() as ReturnType<typeof bundleRetentions>;
}
