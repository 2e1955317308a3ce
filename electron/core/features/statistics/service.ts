/**
 * Supervision statistics (R6.4): every figure of a period and a unit, and the cases behind
 * each. The figures are composed from the queries each feature exports over its own tables
 * (cases, sessions, signing, compliance, sealing, storage, filing, discs, access, audit); this
 * service only scopes them (the period, the unit) and adds them up.
 */
import type { StatCasesDto, StatsDto, StatsScope } from '../../../shared/api/statistics';
import { bagStorageOutcome } from '../../../shared/rules/deadline';
import { NOTICE_RULES } from '../../../shared/rules/compliance';
import {
  latenessBucket,
  STAT_METRICS,
  type StatFigure,
  type StatMetric,
} from '../../../shared/rules/statistics';
import { ACCESS_STAT_SQL } from '../access';
import { VIEW_STAT_SQL } from '../audit';
import { caseHeads, caseUnits, CASE_STAT_SQL, CASES_OF_UNIT_SQL, CASES_OPENED_SQL } from '../cases';
import { findingsStatSql } from '../compliance';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { loadOrCreateIdentity } from '../../platform/pki';
import { renderStatsReport, statsCsv } from './export';
import { dateIn } from '../../../shared/time';
import { DISC_STAT_SQL } from '../discs';
import { filingClocksIn } from '../filing';
import { sealedBagsIn } from '../sealing';
import { SESSION_SCOPE_SQL, SESSION_STAT_SQL } from '../sessions';
import { REFUSAL_STAT_SQL } from '../signing';
import { replicasIn } from '../storage';

/** One row of a source: a case's share of one part of a figure. */
interface Share {
  caseId: number;
  key: string | null;
  v: number;
}

type Source =
  /** Rows `session_id, key, v`, counted for the sessions whose recording started in the period. */
  | { session: string }
  /** Rows `case_id, key, v, at`, counted when `at` falls in the period. */
  | { act: string }
  /** Shares worked out in code, where a shared rule (not SQL) decides the key. */
  | { computed: (scope: Scoped, now: number) => Share[] };

/** The period and unit as SQL: the parameters and the filters every source is scoped by. */
interface Scoped {
  params: Record<string, unknown>;
  /** ` AND <col> IN (cases of the unit)`, or nothing when every unit counts. */
  unitOf(col: string): string;
  /** The sessions of the period and unit (`id, case_id`). */
  sessions: string;
  /** The cases opened in the period, of the unit (`id`). */
  cases: string;
  /** The bags' storage outcomes, once worked out for this call (two figures read them). */
  storage?: { outcomes: Share[]; lateness: Share[] };
}

export interface StatisticsPorts {
  /** The case-file policy the filing clock runs on. */
  filingPolicy(): { filingDays: number; warnDays: number };
  /** Where the workstation's signing identity lives (the report is signed with it). */
  identityDir: string;
}

const DRILL_LIMIT = 500;

export class StatisticsService {
  private readonly sources: Record<StatMetric, Source>;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: StatisticsPorts,
  ) {
    this.sources = {
      cases_by_phase: { act: CASE_STAT_SQL.byPhase },
      cases_by_kind: { act: CASE_STAT_SQL.byKind },
      sessions_by_kind: { session: SESSION_STAT_SQL.byKind },
      recording_time: { session: SESSION_STAT_SQL.recordingTime },
      interruptions: { session: SESSION_STAT_SQL.interruptions },
      abandoned: { session: SESSION_STAT_SQL.abandoned },
      refusals: { session: REFUSAL_STAT_SQL },
      notice_gaps: { session: findingsStatSql(NOTICE_RULES) },
      storage: { computed: (s, now) => this.storage(s, now).outcomes },
      storage_lateness: { computed: (s, now) => this.storage(s, now).lateness },
      filing_overdue: { computed: (s, now) => this.filing(s, now) },
      discs: { act: DISC_STAT_SQL },
      access_grants: { act: ACCESS_STAT_SQL.grants },
      party_copies: { act: ACCESS_STAT_SQL.copies },
      evidence_views: { act: VIEW_STAT_SQL },
    };
  }

  /** The figures as CSV; the export is an audit entry. */
  csv(caller: Caller, scope: StatsScope): { fileName: string; csv: string } {
    const user = requireUser(caller);
    const dto = this.summary(scope);
    const tz = this.deps.timeZone();
    this.recordExport(user, dto, 'csv');
    return { fileName: `统计报表-${periodFile(scope, tz)}.csv`, csv: statsCsv(dto, tz) };
  }

  /** The figures and charts as a PDF signed by the workstation (base64); audited. */
  async report(caller: Caller, scope: StatsScope): Promise<{ fileName: string; data: string }> {
    const user = requireUser(caller);
    const dto = this.summary(scope);
    const tz = this.deps.timeZone();
    const identity = await loadOrCreateIdentity(this.ports.identityDir);
    const pdf = await renderStatsReport(dto, {
      timeZone: tz,
      signer: identity.signer,
      by: user.displayName,
    });
    this.recordExport(user, dto, 'pdf');
    return {
      fileName: `统计报表-${periodFile(scope, tz)}.pdf`,
      data: pdf.toString('base64'),
    };
  }

  private recordExport(
    user: { id: number; displayName: string },
    dto: StatsDto,
    format: 'csv' | 'pdf',
  ): void {
    this.deps.audit.append({
      at: dto.at,
      actorUserId: user.id,
      actor: user.displayName,
      action: 'stats.exported',
      entity: 'statistics',
      entityId: null,
      caseId: null,
      data: { format, scope: dto.scope, figures: dto.figures.length },
    });
  }

  units(): (string | null)[] {
    return caseUnits(this.deps.db);
  }

  summary(scope: StatsScope): StatsDto {
    const at = this.deps.now();
    const s = scoped(scope);
    const figures: StatFigure[] = [];
    for (const metric of STAT_METRICS) figures.push(...this.figuresOf(metric, s, at));
    return { scope, at, figures };
  }

  /** The cases behind one figure or one part of it, largest share first. */
  cases(scope: StatsScope, metric: StatMetric, key: string | null): StatCasesDto {
    const at = this.deps.now();
    const s = scoped(scope);
    const src = this.sources[metric];
    const { db } = this.deps;
    let shares: { caseId: number; value: number }[];
    if ('computed' in src) {
      const by = new Map<number, number>();
      for (const r of src.computed(s, at))
        if (r.key === key) by.set(r.caseId, (by.get(r.caseId) ?? 0) + r.v);
      shares = [...by].map(([caseId, value]) => ({ caseId, value }));
      shares.sort((a, b) => b.value - a.value || a.caseId - b.caseId);
    } else {
      const { from, params } = this.rowsOf(src, s);
      shares = db
        .prepare(
          `SELECT case_id AS caseId, SUM(v) AS value FROM ${from} WHERE key IS @key
           GROUP BY case_id ORDER BY value DESC, case_id`,
        )
        .all({ ...params, key }) as { caseId: number; value: number }[];
    }
    const heads = caseHeads(
      db,
      shares.slice(0, DRILL_LIMIT).map((r) => r.caseId),
    );
    return {
      metric,
      key,
      total: shares.length,
      rows: shares.slice(0, DRILL_LIMIT).flatMap((r) => {
        const h = heads.get(r.caseId);
        return h ? [{ caseId: r.caseId, ...h, value: r.value }] : [];
      }),
    };
  }

  private figuresOf(metric: StatMetric, s: Scoped, now: number): StatFigure[] {
    const src = this.sources[metric];
    if ('computed' in src) {
      const by = new Map<string | null, { value: number; cases: Set<number> }>();
      for (const r of src.computed(s, now)) {
        let f = by.get(r.key);
        if (!f) by.set(r.key, (f = { value: 0, cases: new Set() }));
        f.value += r.v;
        f.cases.add(r.caseId);
      }
      return [...by].map(([key, f]) => ({ metric, key, value: f.value, cases: f.cases.size }));
    }
    const { from, params } = this.rowsOf(src, s);
    return (
      this.deps.db
        .prepare(
          `SELECT key, SUM(v) AS value, COUNT(DISTINCT case_id) AS cases FROM ${from} GROUP BY key`,
        )
        .all(params) as { key: string | null; value: number; cases: number }[]
    ).map((r) => ({ metric, key: r.key, value: r.value, cases: r.cases }));
  }

  /** A SQL source, scoped: `(… ) AS rows` with `case_id, key, v`. */
  private rowsOf(src: { session: string } | { act: string }, s: Scoped) {
    if ('session' in src)
      return {
        from: `(SELECT sc.case_id AS case_id, src.key AS key, src.v AS v FROM (${src.session}) src
          JOIN (${s.sessions}) sc ON sc.id = src.session_id)`,
        params: s.params,
      };
    return {
      from: `(SELECT case_id, key, v FROM (${src.act})
        WHERE at >= @from AND at < @to${s.unitOf('case_id')})`,
      params: s.params,
    };
  }

  /**
   * Each sealed bag of the period against the 24-hour rule, and the late ones by how late:
   * worked out once per call, on its scope (the two figures come from one pass).
   */
  private storage(s: Scoped, now: number): { outcomes: Share[]; lateness: Share[] } {
    if (s.storage) return s.storage;
    const { db } = this.deps;
    const copies = new Map<number, { deadlineAt: number; verifiedAt: number | null }[]>();
    for (const r of replicasIn(db, s.sessions, s.params)) {
      const list = copies.get(r.sessionId);
      if (list) list.push(r);
      else copies.set(r.sessionId, [r]);
    }
    const result = { outcomes: [] as Share[], lateness: [] as Share[] };
    for (const bag of sealedBagsIn(db, s.sessions, s.params)) {
      const o = bagStorageOutcome(copies.get(bag.sessionId) ?? [], bag.deadlineAt, now);
      result.outcomes.push({ caseId: bag.caseId, key: o.outcome, v: 1 });
      if (o.lateMs !== null)
        result.lateness.push({ caseId: bag.caseId, key: latenessBucket(o.lateMs), v: 1 });
    }
    s.storage = result;
    return result;
  }

  /** The cases of the period past their filing deadline, or filed after it. */
  private filing(s: Scoped, now: number): Share[] {
    const out: Share[] = [];
    for (const [caseId, clock] of filingClocksIn(
      this.deps.db,
      s.cases,
      s.params,
      this.ports.filingPolicy(),
      now,
    ))
      if (clock.status === 'overdue') out.push({ caseId, key: 'unfiled', v: 1 });
      else if (clock.status === 'filed_late') out.push({ caseId, key: 'filed_late', v: 1 });
    return out;
  }
}

function scoped(scope: StatsScope): Scoped {
  const all = scope.unit === undefined;
  const unitOf = (col: string) => (all ? '' : ` AND ${col} IN (${CASES_OF_UNIT_SQL})`);
  return {
    params: all
      ? { from: scope.from, to: scope.to }
      : { from: scope.from, to: scope.to, unit: scope.unit },
    unitOf,
    sessions: `${SESSION_SCOPE_SQL}${unitOf('case_id')}`,
    cases: `${CASES_OPENED_SQL}${unitOf('id')}`,
  };
}

function periodFile(scope: StatsScope, tz: string): string {
  return `${dateIn(scope.from, tz)}至${dateIn(scope.to - 1, tz)}`;
}
