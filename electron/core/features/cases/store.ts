/** SQL on the cases' tables (cases, parties, case_officers, approvals, phase_changes). */
import type {
  ApprovalDecision,
  ApprovalRole,
  Gender,
  IdType,
  MatterKind,
  OriginKind,
  PartyDto,
  PartyKind,
  Phase,
} from '../../../shared/domain';
import type { CaseCreateInput } from '../../../shared/api/cases';
import type { Db } from '../../platform/db/database';
import { withResidentIdFacts } from '../../../shared/validators';

/** A row of `cases`. */
export interface CaseRow {
  id: number;
  case_no: string;
  cause: string;
  matter_kind: MatterKind;
  phase: Phase;
  origin_kind: OriginKind;
  origin_source: string | null;
  origin_reason: string | null;
  complainant: string | null;
  received_at: number | null;
  emergency_reason: string | null;
  created_at: number;
  updated_at: number;
}

interface PartyRow {
  id: number;
  case_id: number;
  kind: PartyKind;
  name: string;
  id_type: IdType;
  id_number: string;
  address: string | null;
  contact: string | null;
  legal_representative: string | null;
  gender: Gender | null;
  birth_date: string | null;
  ethnicity: string | null;
  employer: string | null;
  position: string | null;
}

/** A party as given when it is added to a case (or completed later). */
export interface PartyFields {
  kind: PartyKind;
  name: string;
  idType: IdType;
  idNumber: string;
  address?: string | undefined;
  contact?: string | undefined;
  legalRepresentative?: string | undefined;
  gender?: Gender | undefined;
  birthDate?: string | undefined;
  ethnicity?: string | undefined;
  employer?: string | undefined;
  position?: string | undefined;
}

function partyToDto(r: PartyRow): PartyDto {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind,
    name: r.name,
    idType: r.id_type,
    idNumber: r.id_number,
    address: r.address,
    contact: r.contact,
    legalRepresentative: r.legal_representative,
    gender: r.gender,
    birthDate: r.birth_date,
    ethnicity: r.ethnicity,
    employer: r.employer,
    position: r.position,
  };
}

/** The case with this id, or undefined. */
export function caseRow(db: Db, id: number): CaseRow | undefined {
  return db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
}

/** What the case list filters on; the query matches case number, cause, party name or ID. */
export interface CaseFilter {
  query?: string | undefined;
  phase?: Phase | undefined;
  matterKind?: MatterKind | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** One page of the case list, most recently changed first, with every match counted. */
export function listCases(
  db: Db,
  filter: CaseFilter,
): { total: number; rows: (CaseRow & { partyNames: string[] })[] } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.phase) {
    where.push('c.phase = @phase');
    params.phase = filter.phase;
  }
  if (filter.matterKind) {
    where.push('c.matter_kind = @matterKind');
    params.matterKind = filter.matterKind;
  }
  if (filter.query) {
    // LIKE with the wildcards of the user's text escaped: a search for "100%" means that text.
    params.q = `%${filter.query.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(`(c.case_no LIKE @q ESCAPE '\\' OR c.cause LIKE @q ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND (p.name LIKE @q ESCAPE '\\' OR p.id_number LIKE @q ESCAPE '\\')))`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (
    db.prepare(`SELECT count(*) AS n FROM cases c ${clause}`).get(params) as { n: number }
  ).n;
  const rows = db
    .prepare(
      `SELECT c.*,
         (SELECT json_group_array(name) FROM (SELECT name FROM parties WHERE case_id = c.id ORDER BY id)) AS party_names
       FROM cases c ${clause} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: filter.limit ?? 50, offset: filter.offset ?? 0 }) as (CaseRow & {
    party_names: string;
  })[];
  return {
    total,
    rows: rows.map(({ party_names, ...r }) => ({
      ...r,
      partyNames: JSON.parse(party_names) as string[],
    })),
  };
}

/** Opens a case (the case number is unique); returns the new id. */
export function insertCase(
  db: Db,
  c: Pick<CaseCreateInput, 'caseNo' | 'cause' | 'matterKind' | 'origin' | 'emergency'>,
  createdBy: number,
  at: number,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO cases (case_no, cause, matter_kind, origin_kind, origin_source, origin_reason, complainant, received_at, emergency_reason, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.caseNo,
        c.cause,
        c.matterKind,
        c.origin.kind,
        c.origin.source ?? null,
        c.origin.reason ?? null,
        c.origin.complainant ?? null,
        c.origin.receivedAt ?? null,
        c.emergency ?? null,
        createdBy,
        at,
        at,
      ).lastInsertRowid,
  );
}

/** Moves a case to a phase, marking it changed at `at`. */
export function setCasePhase(db: Db, caseId: number, phase: Phase, at: number): void {
  db.prepare('UPDATE cases SET phase = ?, updated_at = ? WHERE id = ?').run(phase, at, caseId);
}

/** Records a phase change: who moved the case from which phase to which, and why. */
export function insertPhaseChange(
  db: Db,
  change: { caseId: number; from: Phase; to: Phase; note: string | null; userId: number },
  at: number,
): void {
  db.prepare(
    'INSERT INTO phase_changes (case_id, from_phase, to_phase, note, user_id, at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(change.caseId, change.from, change.to, change.note, change.userId, at);
}

/** The parties of a case, in the order they were added. */
export function partiesOfCase(db: Db, caseId: number): PartyDto[] {
  return (
    db.prepare('SELECT * FROM parties WHERE case_id = ? ORDER BY id').all(caseId) as PartyRow[]
  ).map(partyToDto);
}

/** The party with this id (it must exist). */
export function partyById(db: Db, id: number): PartyDto {
  return partyToDto(db.prepare('SELECT * FROM parties WHERE id = ?').get(id) as PartyRow);
}

/** Adds a party to a case, its ID number in upper case; returns the new id. */
/** A party's detail columns in table order (insert and update write the same ones). */
function partyValues(given: PartyFields): (string | null)[] {
  const p = withResidentIdFacts(given);
  return [
    p.name,
    p.idType,
    p.idNumber.toUpperCase(),
    p.address ?? null,
    p.contact ?? null,
    p.legalRepresentative ?? null,
    p.gender ?? null,
    p.birthDate ?? null,
    p.ethnicity ?? null,
    p.employer ?? null,
    p.position ?? null,
  ];
}

const PARTY_COLUMNS = `name, id_type, id_number, address, contact, legal_representative,
  gender, birth_date, ethnicity, employer, position`;

export function insertParty(db: Db, caseId: number, p: PartyFields, at: number): number {
  return Number(
    db
      .prepare(
        `INSERT INTO parties (case_id, kind, ${PARTY_COLUMNS}, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(caseId, p.kind, ...partyValues(p), at).lastInsertRowid,
  );
}

/** Replaces a party's details (completed at the desk); its kind and case stay. */
export function updateParty(db: Db, id: number, p: PartyFields): void {
  const set = PARTY_COLUMNS.split(',')
    .map((c) => `${c.trim()} = ?`)
    .join(', ');
  db.prepare(`UPDATE parties SET ${set} WHERE id = ?`).run(...partyValues(p), id);
}

/** The officers on a case: the lead first, then in the order they were assigned. */
export function caseOfficerLinks(db: Db, caseId: number): { officerId: number; lead: boolean }[] {
  return (
    db
      .prepare(
        `SELECT officer_id AS officerId, lead FROM case_officers
         WHERE case_id = ? ORDER BY lead DESC, assigned_at, officer_id`,
      )
      .all(caseId) as { officerId: number; lead: number }[]
  ).map((o) => ({ officerId: o.officerId, lead: o.lead === 1 }));
}

/** Puts an officer on a case. */
export function insertCaseOfficer(
  db: Db,
  caseId: number,
  officerId: number,
  lead: boolean,
  at: number,
): void {
  db.prepare(
    'INSERT INTO case_officers (case_id, officer_id, lead, assigned_at) VALUES (?, ?, ?, ?)',
  ).run(caseId, officerId, lead ? 1 : 0, at);
  if (lead) takeUnitOfLead(db, caseId, officerId);
}

/** The case is handled by its lead officer's unit (承办单位): supervision counts it there. */
function takeUnitOfLead(db: Db, caseId: number, officerId: number): void {
  db.prepare('UPDATE cases SET unit = (SELECT unit FROM officers WHERE id = ?) WHERE id = ?').run(
    officerId,
    caseId,
  );
}

/** Takes the lead from whichever officer of the case has it. */
export function clearCaseLead(db: Db, caseId: number): void {
  db.prepare('UPDATE case_officers SET lead = 0 WHERE case_id = ?').run(caseId);
}

/** Makes an officer already on the case its lead. */
export function setCaseLead(db: Db, caseId: number, officerId: number): void {
  db.prepare('UPDATE case_officers SET lead = 1 WHERE case_id = ? AND officer_id = ?').run(
    caseId,
    officerId,
  );
  takeUnitOfLead(db, caseId, officerId);
}

/** An approval opinion as stored (the approver's name comes from users). */
export interface ApprovalRecord {
  id: number;
  caseId: number;
  role: ApprovalRole;
  userId: number;
  decision: ApprovalDecision;
  opinion: string;
  decidedAt: number;
}

/** The approval opinions of a case, in the order they were given. */
export function approvalsOfCase(db: Db, caseId: number): ApprovalRecord[] {
  return db
    .prepare(
      `SELECT id, case_id AS caseId, role, user_id AS userId, decision, opinion, decided_at AS decidedAt
       FROM approvals WHERE case_id = ? ORDER BY id`,
    )
    .all(caseId) as ApprovalRecord[];
}

// Queries other features use

/** The phase of a case, or undefined when there is no such case. */
export function casePhase(db: Db, caseId: number): Phase | undefined {
  const row = db.prepare('SELECT phase FROM cases WHERE id = ?').get(caseId) as
    { phase: Phase } | undefined;
  return row?.phase;
}

/** Whether an officer is one of the case's own (investigating) officers. */
export function isCaseOfficer(db: Db, caseId: number, officerId: number): boolean {
  return (
    db
      .prepare('SELECT 1 FROM case_officers WHERE case_id = ? AND officer_id = ?')
      .get(caseId, officerId) !== undefined
  );
}

/** The case with exactly this number, if any. */
export function caseIdByNo(db: Db, caseNo: string): number | undefined {
  const row = db.prepare('SELECT id FROM cases WHERE case_no = ?').get(caseNo) as
    { id: number } | undefined;
  return row?.id;
}

/** Whether a party belongs to the case. */
export function isPartyOfCase(db: Db, partyId: number, caseId: number): boolean {
  return (
    db.prepare('SELECT 1 FROM parties WHERE id = ? AND case_id = ?').get(partyId, caseId) !==
    undefined
  );
}

/** Marks the case changed at `at` (its list is ordered by it), when something of it changes. */
export function touchCase(db: Db, caseId: number, at: number): void {
  db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(at, caseId);
}

/** A case's number, cause and opening time, or undefined when there is no such case. */
export function caseHeader(
  db: Db,
  caseId: number,
):
  | { id: number; caseNo: string; cause: string; matterKind: MatterKind; createdAt: number }
  | undefined {
  return db
    .prepare(
      'SELECT id, case_no AS caseNo, cause, matter_kind AS matterKind, created_at AS createdAt FROM cases WHERE id = ?',
    )
    .get(caseId) as
    | { id: number; caseNo: string; cause: string; matterKind: MatterKind; createdAt: number }
    | undefined;
}

/** The case's phase changes in time order. */
export function phaseChangesOfCase(
  db: Db,
  caseId: number,
): { fromPhase: string; toPhase: string; note: string | null; at: number }[] {
  return db
    .prepare(
      'SELECT from_phase AS fromPhase, to_phase AS toPhase, note, at FROM phase_changes WHERE case_id = ? ORDER BY at, id',
    )
    .all(caseId) as { fromPhase: string; toPhase: string; note: string | null; at: number }[];
}

/** The case's own officers with their names, lead first. */
export function caseOfficersOf(
  db: Db,
  caseId: number,
): { officerId: number; name: string; lead: boolean }[] {
  return (
    db
      .prepare(
        `SELECT co.officer_id AS officerId, o.name, co.lead FROM case_officers co
         JOIN officers o ON o.id = co.officer_id WHERE co.case_id = ? ORDER BY co.lead DESC, o.name`,
      )
      .all(caseId) as { officerId: number; name: string; lead: number }[]
  ).map((r) => ({ ...r, lead: r.lead === 1 }));
}
