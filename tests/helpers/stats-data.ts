/**
 * An agency's year of records, generated straight into the case store for the supervision
 * statistics: cases, sessions, interruptions, refusals, sealed bundles with their compliance
 * findings and copies, filings, discs, access grants, party copies and an audit trail (its
 * hash chain kept). What was generated is returned too, so a test counts it on its own.
 */
import { createHash } from 'node:crypto';
import { MATTER_KINDS, PHASES, SESSION_KINDS } from '../../electron/shared/domain';
import {
  INTERRUPTION_REASONS,
  latenessBucket,
  type StatMetric,
} from '../../electron/shared/rules/statistics';
import type { StatsScope } from '../../electron/shared/api/statistics';
import type { Db } from '../../electron/core/platform/db/database';
import { entryHash, GENESIS_HASH } from '../../electron/core/platform/audit';
import { rng } from './media';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface GenCase {
  id: number;
  phase: string;
  kind: string;
  unit: string | null;
  createdAt: number;
  /** The decision that ended the matter, and the filing, if any. */
  decidedAt: number | null;
  filedAt: number | null;
}
export interface GenSession {
  id: number;
  caseId: number;
  kind: string;
  startedAt: number | null;
  endedAt: number | null;
  interruptions: string[];
  abandoned: boolean;
  refusals: number;
  /** Sealed: the notice finding, and when each copy was verified (null: not yet). */
  sealed: { notice: 'met' | 'missing' | 'overridden'; copies: (number | null)[] } | null;
}
export interface GenAct {
  caseId: number;
  at: number;
  key: string | null;
}
export interface YearData {
  cases: GenCase[];
  sessions: GenSession[];
  discs: GenAct[];
  grants: GenAct[];
  copies: GenAct[];
  views: GenAct[];
  audit: number;
}

export interface YearOptions {
  cases: number;
  sessions: number;
  audit: number;
  /** UTC ms the year starts at. */
  from: number;
  units: readonly (string | null)[];
  /** The user every generated act is by. */
  userId: number;
  seed?: number;
}

export function generateYear(db: Db, o: YearOptions): YearData {
  const rnd = rng(o.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const span = 365 * DAY;
  const hex = (n: number, len: number) =>
    createHash('sha256').update(String(n)).digest('hex').repeat(2).slice(0, len);
  const out: YearData = {
    cases: [],
    sessions: [],
    discs: [],
    grants: [],
    copies: [],
    views: [],
    audit: 0,
  };
  const u = o.userId;
  db.transaction(() => {
    const target = Number(
      db
        .prepare(
          `INSERT INTO storage_targets (name, kind, config, created_at, updated_at) VALUES (?, 'folder', '{}', ?, ?)`,
        )
        .run(`统计样本存储-${o.seed ?? 7}-${o.from}`, o.from, o.from).lastInsertRowid,
    );
    const insCase = db.prepare(
      `INSERT INTO cases (case_no, cause, matter_kind, phase, origin_kind, created_by, created_at, updated_at, unit)
       VALUES (?, '统计样本案由', ?, ?, 'ex_officio', ?, ?, ?, ?)`,
    );
    const insDoc = db.prepare(
      `INSERT INTO issued_documents (case_id, template, title, fields, needs_service, ends_matter, pdf_path, pdf_sha256, issued_by, issued_at)
       VALUES (?, 'penalty_decision', '行政处罚决定书', '{}', 1, 1, ?, ?, ?, ?)`,
    );
    const insFiling = db.prepare(
      `INSERT INTO case_filings (case_id, toc, toc_sha256, pdf_path, pdf_sha256, compiled_by, reviewed_by, presence, handwriting, filed_at)
       VALUES (?, '[]', ?, ?, ?, ?, ?, 'signed_in', '[]', ?)`,
    );
    for (let i = 0; i < o.cases; i++) {
      const createdAt = o.from + Math.floor(rnd() * span);
      const c: GenCase = {
        id: 0,
        phase: pick(PHASES),
        kind: pick(MATTER_KINDS),
        unit: pick(o.units),
        createdAt,
        decidedAt: rnd() < 0.4 ? createdAt + Math.floor(rnd() * 90 * DAY) : null,
        filedAt: null,
      };
      if (c.decidedAt !== null && rnd() < 0.6)
        c.filedAt = c.decidedAt + Math.floor(rnd() * 45 * DAY);
      c.id = Number(
        insCase.run(
          `统计〔${o.seed ?? 7}〕${i + 1}号`,
          c.kind,
          c.phase,
          u,
          createdAt,
          createdAt,
          c.unit,
        ).lastInsertRowid,
      );
      if (c.decidedAt !== null)
        insDoc.run(c.id, `documents/gen-${c.id}.pdf`, hex(c.id, 64), u, c.decidedAt);
      if (c.filedAt !== null)
        insFiling.run(
          c.id,
          hex(c.id, 64),
          `filings/gen-${c.id}.pdf`,
          hex(c.id, 64),
          u,
          u,
          c.filedAt,
        );
      out.cases.push(c);
    }
    const insSession = db.prepare(
      `INSERT INTO sessions (case_id, kind, status, place, created_by, created_at, started_at, ended_at)
       VALUES (?, ?, ?, '询问室', ?, ?, ?, ?)`,
    );
    const insEvent = db.prepare(
      `INSERT INTO session_events (session_id, at, kind, data) VALUES (?, ?, ?, ?)`,
    );
    const insSigning = db.prepare(
      `INSERT INTO signings (session_id, document_id, token, closing_text, opened_by, opened_at, state)
       VALUES (?, ?, ?, '以上笔录我看过，和我说的相符。', ?, ?, 'open')`,
    );
    const insVersion = db.prepare(
      `INSERT INTO signing_versions (signing_id, version, transcript_seq, turns_hash, content_hash, page_count, transcript, frozen_at, frozen_by)
       VALUES (?, 1, 0, ?, ?, 1, '{}', ?, ?)`,
    );
    const insRefusal = db.prepare(
      `INSERT INTO signing_acts (signing_id, version, kind, data, via, user_id, at, at_ms, signer)
       VALUES (?, 1, 'refusal', '{}', 'desk', ?, ?, 0, ?)`,
    );
    const insBundle = db.prepare(
      `INSERT INTO sealed_bundles (session_id, case_id, bag_id, bag_name, path, tag_manifest_sha512, payload_files, payload_bytes,
         event_log_head, event_log_entries, signer_subject, signer_fingerprint, timestamp, retention_choice, retention_class,
         recorded_end_at, sealed_at, sealed_by, bag_info)
       VALUES (?, ?, ?, ?, ?, ?, 3, 1000, ?, 1, 'CN=样本', ?, 'none', 'case-3y', 'standard', ?, ?, ?, '{}')`,
    );
    const insFinding = db.prepare(
      `INSERT INTO compliance_findings (bundle_id, item, session_id, rule, status) VALUES (?, ?, ?, ?, ?)`,
    );
    const insJob = db.prepare(
      `INSERT INTO replication_jobs (bag_id, bag_path, remote_name, target_id, session_id, state, next_attempt_at,
         recorded_end_at, deadline_at, created_at, updated_at, verified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < o.sessions; i++) {
      const c = out.cases[Math.floor(rnd() * out.cases.length)]!;
      const started = rnd() < 0.95;
      const startedAt = started ? c.createdAt + Math.floor(rnd() * 60 * DAY) : null;
      const endedAt =
        startedAt !== null && rnd() < 0.97 ? startedAt + Math.floor((0.2 + rnd()) * HOUR) : null;
      const s: GenSession = {
        id: 0,
        caseId: c.id,
        kind: pick(SESSION_KINDS),
        startedAt,
        endedAt,
        interruptions: [],
        abandoned: false,
        refusals: 0,
        sealed: null,
      };
      if (startedAt !== null && rnd() < 0.05) {
        s.interruptions.push(pick(INTERRUPTION_REASONS));
        if (rnd() < 0.3) s.interruptions.push(pick(INTERRUPTION_REASONS));
        s.abandoned = endedAt !== null && rnd() < 0.2;
      }
      if (endedAt !== null && rnd() < 0.03) s.refusals = rnd() < 0.2 ? 2 : 1;
      if (endedAt !== null && rnd() < 0.8) {
        const r = rnd();
        const notice = r < 0.9 ? 'met' : r < 0.96 ? 'missing' : 'overridden';
        const q = rnd();
        const copies =
          q < 0.03
            ? []
            : [
                q < 0.85
                  ? endedAt + Math.floor(rnd() * 20 * HOUR)
                  : q < 0.95
                    ? endedAt + Math.floor((24 + rnd() * 60) * HOUR)
                    : null,
              ];
        s.sealed = { notice, copies };
      }
      const status = s.sealed
        ? 'sealed'
        : endedAt !== null
          ? 'ended'
          : startedAt !== null
            ? 'interrupted'
            : 'planned';
      s.id = Number(
        insSession.run(c.id, s.kind, status, u, c.createdAt, startedAt, endedAt).lastInsertRowid,
      );
      for (const reason of s.interruptions)
        insEvent.run(s.id, startedAt! + 60_000, 'session.interrupted', JSON.stringify({ reason }));
      if (s.abandoned)
        insEvent.run(s.id, endedAt!, 'session.abandoned', JSON.stringify({ statement: '停电' }));
      if (s.refusals) {
        const sid = Number(
          insSigning.run(s.id, `gen-${s.id}`, hex(s.id, 40), u, endedAt!).lastInsertRowid,
        );
        insVersion.run(sid, hex(s.id, 64), hex(s.id + 1, 64), endedAt!, u);
        for (let k = 0; k < s.refusals; k++) insRefusal.run(sid, u, endedAt!, k + 1);
      }
      if (s.sealed) {
        const bagId = `gen-${s.id}`;
        const bundle = Number(
          insBundle.run(
            s.id,
            c.id,
            bagId,
            bagId,
            `archive/${bagId}`,
            hex(s.id, 128),
            hex(s.id, 64),
            hex(s.id, 64),
            endedAt!,
            endedAt!,
            u,
          ).lastInsertRowid,
        );
        insFinding.run(bundle, 0, s.id, 'R1.3', 'met');
        insFinding.run(bundle, 1, s.id, 'R3.4', s.sealed.notice);
        insFinding.run(bundle, 2, s.id, 'R3.7', 'met');
        s.sealed.copies.forEach((v, k) =>
          insJob.run(
            bagId,
            `archive/${bagId}`,
            `${bagId}-${k}`,
            target,
            s.id,
            v === null ? 'pending' : 'stored',
            endedAt!,
            endedAt!,
            endedAt! + DAY,
            endedAt!,
            endedAt!,
            v,
          ),
        );
      }
      out.sessions.push(s);
    }
    const at = () => o.from + Math.floor(rnd() * span);
    const caseOf = () => out.cases[Math.floor(rnd() * out.cases.length)]!.id;
    const insSet = db.prepare(
      `INSERT INTO disc_sets (set_no, case_id, medium, copies, disc_count, bundles, plan, created_by, created_at)
       VALUES (?, ?, 'dvd', 1, 1, '[]', '{}', ?, ?)`,
    );
    const insImage = db.prepare(
      `INSERT INTO disc_images (set_id, disc_no, path, volume_id, bytes, sectors, index_sha256, bundles, built_at)
       VALUES (?, 1, ?, 'ATTEST', 2048, 1, ?, '[]', ?)`,
    );
    const insDisc = db.prepare(
      `INSERT INTO discs (set_id, disc_no, copy_no, serial, medium, kind, image_path, made_by, made_at, result, verified_at)
       VALUES (?, 1, 1, ?, 'dvd', 'image', ?, ?, ?, ?, ?)`,
    );
    const nDiscs = Math.max(3, Math.floor(o.cases / 10));
    for (let i = 0; i < nDiscs; i++) {
      const d: GenAct = {
        caseId: caseOf(),
        at: at(),
        key: pick(['verified', 'verified', 'failed', 'pending']),
      };
      const set = Number(insSet.run(`GEN-${o.seed ?? 7}-${i}`, d.caseId, u, d.at).lastInsertRowid);
      insImage.run(set, `discs/gen-${set}.iso`, hex(set, 64), d.at);
      insDisc.run(
        set,
        `GEN-${o.seed ?? 7}-${i}-1`,
        `discs/gen-${set}.iso`,
        u,
        d.at,
        d.key,
        d.key === 'pending' ? null : d.at,
      );
      out.discs.push(d);
    }
    const insRequest = db.prepare(
      `INSERT INTO access_requests (case_id, user_id, mode, purpose, days, requested_at) VALUES (?, ?, ?, '监督检查', 30, ?)`,
    );
    const insDecision = db.prepare(
      `INSERT INTO access_decisions (request_id, decision, opinion, valid_until, decided_by, decided_at) VALUES (?, ?, '同意', ?, ?, ?)`,
    );
    for (let i = 0; i < Math.max(3, Math.floor(o.cases / 8)); i++) {
      const g: GenAct = { caseId: caseOf(), at: at(), key: pick(['view', 'view', 'copy']) };
      const req = Number(insRequest.run(g.caseId, u, g.key, g.at - HOUR).lastInsertRowid);
      const approved = rnd() < 0.8;
      insDecision.run(
        req,
        approved ? 'approved' : 'refused',
        approved ? g.at + 30 * DAY : null,
        u,
        g.at,
      );
      if (approved) out.grants.push(g);
    }
    const bundle = db.prepare('SELECT id FROM sealed_bundles ORDER BY id LIMIT 1').get() as
      { id: number } | undefined;
    if (bundle) {
      const insCopyReq = db.prepare(
        `INSERT INTO copy_requests (case_id, requester_role, requester_name, id_type, id_number, files, purpose, recorded_by, recorded_at)
         VALUES (?, 'party', '样本当事人', 'resident_id', '110105194912310021', '[]', '申请复制', ?, ?)`,
      );
      const insCopy = db.prepare(
        `INSERT INTO party_copies (copy_no, request_id, bundle_id, path, tag_manifest_sha512, files, left_out, made_by, made_at)
         VALUES (?, ?, ?, ?, ?, '[]', '[]', ?, ?)`,
      );
      for (let i = 0; i < Math.max(2, Math.floor(o.cases / 20)); i++) {
        const c: GenAct = { caseId: caseOf(), at: at(), key: null };
        const req = Number(insCopyReq.run(c.caseId, u, c.at - HOUR).lastInsertRowid);
        insCopy.run(
          `GEN-C-${o.seed ?? 7}-${i}`,
          req,
          bundle.id,
          `copies/gen-${o.seed ?? 7}-${i}`,
          hex(i, 128),
          u,
          c.at,
        );
        out.copies.push(c);
      }
    }
  })();
  appendTrail(db, o, out, rnd, pick, span);
  return out;
}

/** The audit trail of the year, hash-chained as the app keeps it, in batches of 50,000. */
function appendTrail(
  db: Db,
  o: YearOptions,
  out: YearData,
  rnd: () => number,
  pick: <T>(xs: readonly T[]) => T,
  span: number,
): void {
  const u = o.userId;
  const at = () => o.from + Math.floor(rnd() * span);
  const caseOf = () => out.cases[Math.floor(rnd() * out.cases.length)]!.id;
  const last = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const insAudit = db.prepare(
    `INSERT INTO events (seq, at, actor_user_id, actor, action, entity, entity_id, case_id, data, prev_hash, hash)
       VALUES (@seq, @at, @actor_user_id, @actor, @action, @entity, @entity_id, @case_id, @data, @prev_hash, @hash)`,
  );
  const times = Array.from({ length: o.audit }, at).sort((a, b) => a - b);
  const BATCH = 50_000;
  for (let b = 0; b < times.length; b += BATCH)
    db.transaction(() => {
      for (const t of times.slice(b, b + BATCH)) {
        const view = rnd() < 0.03;
        const caseId = caseOf();
        const row = {
          seq: ++seq,
          at: Math.max(t, 0),
          actor_user_id: u,
          actor: '统计样本',
          action: view
            ? 'bundle.file_read'
            : pick([
                'case.officer_assigned',
                'transcript.read',
                'session.started',
                'case.phase_advanced',
              ]),
          entity: view ? 'bundle' : 'case',
          entity_id: caseId,
          case_id: caseId,
          data: '{}',
          prev_hash: prev,
        };
        const hash = entryHash(row);
        insAudit.run({ ...row, hash });
        prev = hash;
        if (view) out.views.push({ caseId, at: row.at, key: null });
      }
    })();
  out.audit = o.audit;
}

export type Expected = Map<string, { value: number; cases: Set<number> }>;

/** The figures counted from what was generated (on their own, not by the core's queries), by the rules as the regulations say them. */
export function expectedFigures(
  data: YearData,
  scope: StatsScope,
  now: number,
  filingDays: number,
) {
  const inUnit = new Set(
    data.cases.filter((c) => scope.unit === undefined || c.unit === scope.unit).map((c) => c.id),
  );
  const inPeriod = (at: number | null) => at !== null && at >= scope.from && at < scope.to;
  const out = new Map<StatMetric, Expected>();
  const add = (m: StatMetric, key: string | null, caseId: number, v = 1) => {
    const e = out.get(m) ?? new Map();
    out.set(m, e);
    const f = e.get(String(key)) ?? { value: 0, cases: new Set<number>() };
    e.set(String(key), f);
    f.value += v;
    f.cases.add(caseId);
  };
  for (const c of data.cases) {
    if (!inUnit.has(c.id) || !inPeriod(c.createdAt)) continue;
    add('cases_by_phase', c.phase, c.id);
    add('cases_by_kind', c.kind, c.id);
    if (c.decidedAt !== null) {
      const deadline = c.decidedAt + filingDays * DAY;
      if (c.filedAt === null ? now > deadline : c.filedAt > deadline)
        add('filing_overdue', c.filedAt === null ? 'unfiled' : 'filed_late', c.id);
    }
  }
  for (const s of data.sessions) {
    if (!inUnit.has(s.caseId) || !inPeriod(s.startedAt)) continue;
    add('sessions_by_kind', s.kind, s.caseId);
    if (s.endedAt !== null) add('recording_time', null, s.caseId, s.endedAt - s.startedAt!);
    for (const r of s.interruptions) add('interruptions', r, s.caseId);
    if (s.abandoned) add('abandoned', null, s.caseId);
    if (s.refusals) add('refusals', null, s.caseId, s.refusals);
    if (!s.sealed) continue;
    if (s.sealed.notice !== 'met') add('notice_gaps', s.sealed.notice, s.caseId);
    const deadline = s.endedAt! + DAY;
    const stored = s.sealed.copies[0] ?? null;
    const outcome =
      stored !== null
        ? stored <= deadline
          ? 'in_time'
          : 'late'
        : now > deadline
          ? 'overdue'
          : 'awaiting';
    add('storage', outcome, s.caseId);
    if (outcome === 'late') add('storage_lateness', latenessBucket(stored! - deadline), s.caseId);
    if (outcome === 'overdue') add('storage_lateness', latenessBucket(now - deadline), s.caseId);
  }
  const acts: [StatMetric, YearData['discs']][] = [
    ['discs', data.discs],
    ['access_grants', data.grants],
    ['party_copies', data.copies],
    ['evidence_views', data.views],
  ];
  for (const [m, list] of acts)
    for (const a of list) if (inUnit.has(a.caseId) && inPeriod(a.at)) add(m, a.key, a.caseId);
  return out;
}
