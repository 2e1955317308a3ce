/**
 * The disc record (migration 008): disc sets, their images, every disc made from them, every
 * read-back check of a disc, and the case file policy. The only SQL on these tables; the
 * disc services run several of these in one transaction together with the audit entry.
 */
import type { Db } from '../../platform/db/database';
import type { MediumId } from '../../../shared/rules/disc-plan';

export interface SetRow {
  id: number;
  set_no: string;
  case_id: number;
  medium: MediumId;
  copies: number;
  disc_count: number;
  /** JSON: the bundle names chosen. */
  bundles: string;
  /** JSON: the DiscPlan. */
  plan: string;
  purpose: string | null;
  created_by: number;
  created_at: number;
}

export interface ImageRow {
  set_id: number;
  disc_no: number;
  path: string;
  volume_id: string;
  bytes: number;
  sectors: number;
  index_sha256: string;
  /** SHA-256 of the agency certificate register on the disc (null: the register was empty). */
  register_sha256: string | null;
  /** JSON: `{ name, part }[]`, the bundles (or parts of one) on the disc. */
  bundles: string;
  built_at: number;
}

export interface DiscRow {
  id: number;
  set_id: number;
  disc_no: number;
  copy_no: number;
  serial: string;
  medium: MediumId;
  kind: 'burned' | 'image';
  drive: string | null;
  image_path: string | null;
  made_by: number;
  made_at: number;
  result: 'pending' | 'verified' | 'failed';
  verified_at: number | null;
  /** JSON: DiscProblemDto[] of the first check. */
  problems: string;
}

/** Whether a set already has this number. */
export function setNoTaken(db: Db, setNo: string): boolean {
  return !!db.prepare('SELECT 1 FROM disc_sets WHERE set_no = ?').get(setNo);
}

/** Records a new set; returns its id. */
export function insertSet(db: Db, s: Omit<SetRow, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO disc_sets (set_no, case_id, medium, copies, disc_count, bundles, plan, purpose, created_by, created_at)
         VALUES (@set_no, @case_id, @medium, @copies, @disc_count, @bundles, @plan, @purpose, @created_by, @created_at)`,
      )
      .run(s).lastInsertRowid,
  );
}

/** Records one built image of a set. */
export function insertImage(db: Db, im: ImageRow): void {
  db.prepare(
    `INSERT INTO disc_images (set_id, disc_no, path, volume_id, bytes, sectors, index_sha256, register_sha256, bundles, built_at)
     VALUES (@set_id, @disc_no, @path, @volume_id, @bytes, @sectors, @index_sha256, @register_sha256, @bundles, @built_at)`,
  ).run(im);
}

export function setRow(db: Db, setId: number): SetRow | undefined {
  return db.prepare('SELECT * FROM disc_sets WHERE id = ?').get(setId) as SetRow | undefined;
}

/** The ids of a case's sets, oldest first. */
export function setIdsOfCase(db: Db, caseId: number): number[] {
  return (
    db.prepare('SELECT id FROM disc_sets WHERE case_id = ? ORDER BY id').all(caseId) as {
      id: number;
    }[]
  ).map((r) => r.id);
}

export function imagesOfSet(db: Db, setId: number): ImageRow[] {
  return db
    .prepare('SELECT * FROM disc_images WHERE set_id = ? ORDER BY disc_no')
    .all(setId) as ImageRow[];
}

export function imageOf(db: Db, setId: number, discNo: number): ImageRow | undefined {
  return db
    .prepare('SELECT * FROM disc_images WHERE set_id = ? AND disc_no = ?')
    .get(setId, discNo) as ImageRow | undefined;
}

export function discsOfSet(db: Db, setId: number): DiscRow[] {
  return db
    .prepare('SELECT * FROM discs WHERE set_id = ? ORDER BY disc_no, copy_no, id')
    .all(setId) as DiscRow[];
}

export function discRow(db: Db, discId: number): DiscRow | undefined {
  return db.prepare('SELECT * FROM discs WHERE id = ?').get(discId) as DiscRow | undefined;
}

/** How many discs were already made of this copy of this disc (a retry gets a new serial). */
export function copiesMade(db: Db, setId: number, discNo: number, copyNo: number): number {
  return (
    db
      .prepare('SELECT count(*) AS n FROM discs WHERE set_id = ? AND disc_no = ? AND copy_no = ?')
      .get(setId, discNo, copyNo) as { n: number }
  ).n;
}

/** Records a disc before anything is written to it; returns its id. */
export function insertDisc(
  db: Db,
  d: Pick<
    DiscRow,
    | 'set_id'
    | 'disc_no'
    | 'copy_no'
    | 'serial'
    | 'medium'
    | 'kind'
    | 'drive'
    | 'image_path'
    | 'made_by'
    | 'made_at'
  >,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO discs (set_id, disc_no, copy_no, serial, medium, kind, drive, image_path, made_by, made_at)
         VALUES (@set_id, @disc_no, @copy_no, @serial, @medium, @kind, @drive, @image_path, @made_by, @made_at)`,
      )
      .run(d).lastInsertRowid,
  );
}

/** Appends one read-back check of a disc. */
export function insertCheck(
  db: Db,
  c: {
    discId: number;
    at: number;
    by: number | null;
    ok: boolean;
    filesChecked: number;
    bytesRead: number;
    /** JSON: DiscProblemDto[]. */
    problems: string;
  },
): void {
  db.prepare(
    'INSERT INTO disc_checks (disc_id, at, by_user, ok, files_checked, bytes_read, problems) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(c.discId, c.at, c.by, c.ok ? 1 : 0, c.filesChecked, c.bytesRead, c.problems);
}

/** Sets the result of a disc from its first check. */
export function settleDisc(
  db: Db,
  discId: number,
  result: 'verified' | 'failed',
  at: number,
  problems: string,
): void {
  db.prepare('UPDATE discs SET result = ?, verified_at = ?, problems = ? WHERE id = ?').run(
    result,
    at,
    problems,
    discId,
  );
}

/** The case file policy: days from the end of the matter to filing, and the warning before. */
export function readPolicy(db: Db): { filingDays: number; warnDays: number } {
  const r = db
    .prepare('SELECT filing_days, warn_days FROM case_file_policy WHERE id = 1')
    .get() as { filing_days: number; warn_days: number };
  return { filingDays: r.filing_days, warnDays: r.warn_days };
}

export function writePolicy(
  db: Db,
  p: { filingDays: number; warnDays: number },
  by: number,
  at: number,
): void {
  db.prepare(
    'UPDATE case_file_policy SET filing_days = ?, warn_days = ?, updated_by = ?, updated_at = ? WHERE id = 1',
  ).run(p.filingDays, p.warnDays, by, at);
}
