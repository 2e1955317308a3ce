/** SQL on the tables of classifications and party copies. */
import type { Db } from '../../platform/db/database';
import type {
  ClassificationDto,
  ClassificationLevel,
  CopyRequestDto,
  FileRefDto,
} from '../../../shared/api/access';

// Classifications

/** The classification in force of each file of a bundle (the latest row), by bag path. */
export function classificationsOf(db: Db, bundleId: number): Map<string, ClassificationDto> {
  const rows = db
    .prepare(
      `SELECT f.path, f.level, f.reason, f.set_at AS setAt, u.display_name AS setBy
       FROM file_classifications f JOIN users u ON u.id = f.set_by
       WHERE f.bundle_id = ? ORDER BY f.id`,
    )
    .all(bundleId) as (ClassificationDto & { path: string })[];
  const out = new Map<string, ClassificationDto>();
  for (const r of rows)
    out.set(r.path, { level: r.level, reason: r.reason, setBy: r.setBy, setAt: r.setAt });
  return out;
}

export function insertClassification(
  db: Db,
  c: {
    bundleId: number;
    path: string;
    level: ClassificationLevel;
    reason: string | null;
    by: number;
    at: number;
  },
): void {
  db.prepare(
    `INSERT INTO file_classifications (bundle_id, path, level, reason, set_by, set_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(c.bundleId, c.path, c.level, c.reason, c.by, c.at);
}

// Copy requests, decisions and copies

/** A request as stored: the DTO without what is read from elsewhere, and who recorded it. */
export type CopyRequestRow = Omit<CopyRequestDto, 'caseNo' | 'decision' | 'copies'> & {
  recordedById: number;
};

const REQUEST_SQL = `SELECT r.id, r.case_id AS caseId, r.party_id AS partyId, r.requester_role AS requesterRole,
  r.requester_name AS requesterName, r.id_type AS idType, r.id_number AS idNumber,
  r.authorization, r.files, r.purpose, u.display_name AS recordedBy, r.recorded_by AS recordedById,
  r.recorded_at AS recordedAt
  FROM copy_requests r JOIN users u ON u.id = r.recorded_by`;

function toRequest(r: Omit<CopyRequestRow, 'files'> & { files: string }): CopyRequestRow {
  return { ...r, files: JSON.parse(r.files) as FileRefDto[] };
}

export function insertCopyRequest(
  db: Db,
  r: Omit<CopyRequestRow, 'id' | 'recordedBy' | 'recordedById'> & { recordedBy: number },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO copy_requests (case_id, party_id, requester_role, requester_name, id_type,
           id_number, authorization, files, purpose, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.caseId,
        r.partyId,
        r.requesterRole,
        r.requesterName,
        r.idType,
        r.idNumber,
        r.authorization,
        JSON.stringify(r.files),
        r.purpose,
        r.recordedBy,
        r.recordedAt,
      ).lastInsertRowid,
  );
}

export function copyRequestById(db: Db, id: number): CopyRequestRow | undefined {
  const row = db.prepare(`${REQUEST_SQL} WHERE r.id = ?`).get(id) as
    (Omit<CopyRequestRow, 'files'> & { files: string }) | undefined;
  return row ? toRequest(row) : undefined;
}

export function copyRequests(db: Db, caseId?: number): CopyRequestRow[] {
  return (
    (caseId === undefined
      ? db.prepare(`${REQUEST_SQL} ORDER BY r.id DESC LIMIT 2000`).all()
      : db.prepare(`${REQUEST_SQL} WHERE r.case_id = ? ORDER BY r.id DESC`).all(caseId)) as (Omit<
      CopyRequestRow,
      'files'
    > & { files: string })[]
  ).map(toRequest);
}

export type CopyDecisionRow = NonNullable<CopyRequestDto['decision']>;

export function copyDecisionOf(db: Db, requestId: number): CopyDecisionRow | null {
  const row = db
    .prepare(
      `SELECT d.decision, d.files, d.classified, d.opinion, u.display_name AS decidedBy,
              d.decided_at AS decidedAt
       FROM copy_decisions d JOIN users u ON u.id = d.decided_by WHERE d.request_id = ?`,
    )
    .get(requestId) as
    | (Omit<CopyDecisionRow, 'files' | 'classified'> & { files: string; classified: string })
    | undefined;
  return row
    ? {
        ...row,
        files: JSON.parse(row.files) as CopyDecisionRow['files'],
        classified: JSON.parse(row.classified) as FileRefDto[],
      }
    : null;
}

export function insertCopyDecision(
  db: Db,
  d: Omit<CopyDecisionRow, 'decidedBy'> & { requestId: number; decidedBy: number },
): void {
  db.prepare(
    `INSERT INTO copy_decisions (request_id, decision, files, classified, opinion, decided_by, decided_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    d.requestId,
    d.decision,
    JSON.stringify(d.files),
    JSON.stringify(d.classified),
    d.opinion,
    d.decidedBy,
    d.decidedAt,
  );
}

export interface PartyCopyRow {
  id: number;
  copyNo: string;
  requestId: number;
  bundleId: number;
  path: string;
  tagManifestSha512: string;
  files: string[];
  leftOut: { path: string; reason: string }[];
  madeBy: string;
  madeAt: number;
}

const COPY_SQL = `SELECT c.id, c.copy_no AS copyNo, c.request_id AS requestId, c.bundle_id AS bundleId,
  c.path, c.tag_manifest_sha512 AS tagManifestSha512, c.files, c.left_out AS leftOut,
  u.display_name AS madeBy, c.made_at AS madeAt
  FROM party_copies c JOIN users u ON u.id = c.made_by`;

type RawCopy = Omit<PartyCopyRow, 'files' | 'leftOut'> & { files: string; leftOut: string };
const toCopy = (r: RawCopy): PartyCopyRow => ({
  ...r,
  files: JSON.parse(r.files) as string[],
  leftOut: JSON.parse(r.leftOut) as PartyCopyRow['leftOut'],
});

export function copiesOfRequest(db: Db, requestId: number): PartyCopyRow[] {
  return (
    db.prepare(`${COPY_SQL} WHERE c.request_id = ? ORDER BY c.id`).all(requestId) as RawCopy[]
  ).map(toCopy);
}

/** How many copy numbers start with the prefix (the running part of the next number). */
export function copyNosWithPrefix(db: Db, prefix: string): number {
  return (
    db
      .prepare('SELECT count(*) AS n FROM party_copies WHERE substr(copy_no, 1, ?) = ?')
      .get(prefix.length, prefix) as {
      n: number;
    }
  ).n;
}

/** Every copy made, newest first (the register), of a case or of all. */
export function partyCopies(db: Db, caseId?: number): (PartyCopyRow & { caseId: number })[] {
  const sql = `${COPY_SQL.replace('FROM party_copies c', ', r.case_id AS caseId FROM party_copies c JOIN copy_requests r ON r.id = c.request_id')}`;
  return (
    (caseId === undefined
      ? db.prepare(`${sql} ORDER BY c.id DESC`).all()
      : db.prepare(`${sql} WHERE r.case_id = ? ORDER BY c.id DESC`).all(caseId)) as (RawCopy & {
      caseId: number;
    })[]
  ).map((r) => ({ ...toCopy(r), caseId: r.caseId }));
}

export function insertPartyCopy(
  db: Db,
  c: Omit<PartyCopyRow, 'id' | 'madeBy'> & { madeBy: number },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO party_copies (copy_no, request_id, bundle_id, path, tag_manifest_sha512, files,
           left_out, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.copyNo,
        c.requestId,
        c.bundleId,
        c.path,
        c.tagManifestSha512,
        JSON.stringify(c.files),
        JSON.stringify(c.leftOut),
        c.madeBy,
        c.madeAt,
      ).lastInsertRowid,
  );
}
