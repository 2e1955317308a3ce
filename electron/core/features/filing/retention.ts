/**
 * Retention (R4.4): the grounds for long-term retention read from the record (a refusal to
 * sign, an interrupted or abandoned recording, a complaint, an incident recorded on the case),
 * the proposal they make, the legal officer's answer, and the register of every sealed
 * bundle's class and end date, never shorter than its case file's.
 */
import type { RetentionRegisterRowDto, RetentionStatusDto } from '../../../shared/api/filing';
import type { MethodParsed } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import { zhName } from '../../../shared/names-zh';
import {
  caseFileRetention,
  LONG_TERM_GROUND_ZH,
  longerRetention,
  proposalState,
  type GroundFact,
  type LongTermGround,
  type RetentionClassName,
} from '../../../shared/rules/retention';
import { dateIn } from '../../../shared/time';
import type { CasesService } from '../cases';
import { caseHeader } from '../cases';
import { requireUser, type Caller, type EvidenceGuard, type ServiceDeps } from '../context';
import { sessionEvents, sessionsOfCase } from '../sessions';
import { refusalsOfSession } from '../signing';
import { userDisplayName } from '../users';
import {
  incidentsOf,
  insertIncident,
  insertRetentionDecision,
  retentionDecisionsOf,
} from './store';

export class RetentionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: {
      cases: Pick<CasesService, 'get'>;
      guard: Pick<EvidenceGuard, 'requireTeam'>;
      /** Every sealed bundle's retention as sealed (the sealing feature's register). */
      bundles(): {
        id: number;
        bagName: string;
        caseId: number;
        sessionId: number;
        choice: RetentionClassName;
        retainUntil: number | null;
        recordedEndAt: number;
      }[];
    },
  ) {}

  private name(id: number): string {
    return userDisplayName(this.deps.db, id) ?? `#${id}`;
  }

  /** Every ground for long-term retention the record of the case shows, with where. */
  grounds(caseId: number): GroundFact[] {
    const { db } = this.deps;
    const tz = this.deps.timeZone();
    const c = this.ports.cases.get(caseId);
    const out: GroundFact[] = [];
    if (c.origin.kind === 'complaint')
      out.push({
        ground: 'complaint',
        at: c.createdAt,
        evidence: `投诉举报人 ${c.origin.complainant ?? '—'}`,
      });
    for (const s of sessionsOfCase(db, caseId)) {
      const label = `${zhName('sessionKind', s.kind)}（${dateIn(s.startedAt ?? s.createdAt, tz)}）`;
      for (const r of refusalsOfSession(db, s.id))
        out.push({ ground: 'signature_refused', at: r.at, evidence: `${label}：${r.reason}` });
      for (const e of sessionEvents(db, s.id)) {
        if (e.kind === 'session.interrupted')
          out.push({ ground: 'recording_interrupted', at: e.at, evidence: `${label}记录中断` });
        if (e.kind === 'session.abandoned')
          out.push({ ground: 'recording_abandoned', at: e.at, evidence: `${label}未完成即终止` });
      }
    }
    for (const i of incidentsOf(db, caseId))
      out.push({ ground: i.kind as LongTermGround, at: i.occurred_at, evidence: i.note });
    return out.sort((a, b) => a.at - b.at);
  }

  status(caseId: number): RetentionStatusDto {
    const { db } = this.deps;
    const grounds = this.grounds(caseId);
    const decisions = retentionDecisionsOf(db, caseId).map((d) => ({
      decision: d.decision,
      reason: d.reason,
      grounds: JSON.parse(d.grounds) as LongTermGround[],
      by: this.name(d.decided_by),
      at: d.decided_at,
    }));
    const state = proposalState(grounds, decisions);
    return {
      caseId,
      grounds,
      state,
      caseClass: caseFileRetention(state),
      decisions,
      incidents: incidentsOf(db, caseId).map((i) => ({
        kind: i.kind,
        note: i.note,
        occurredAt: i.occurred_at,
        by: this.name(i.recorded_by),
      })),
    };
  }

  decide(caller: Caller, input: MethodParsed<'retention.decide'>): RetentionStatusDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    db.transaction(() => {
      const now = this.status(input.caseId);
      if (now.state !== 'proposed')
        throw new AppError(
          'CONFLICT',
          now.state === 'confirmed'
            ? '本案已确认长期保存'
            : now.state === 'declined'
              ? '本案的长期保存建议已经审核；出现新的情形时再次提出'
              : '本案的记录没有需要长期保存的情形',
        );
      const grounds = [...new Set(now.grounds.map((g) => g.ground))];
      const at = this.deps.now();
      insertRetentionDecision(db, {
        case_id: input.caseId,
        decision: input.decision,
        reason: input.reason,
        grounds: JSON.stringify(grounds),
        decided_by: user.id,
        decided_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'retention.decided',
        entity: 'case',
        entityId: input.caseId,
        caseId: input.caseId,
        data: {
          decision: input.decision,
          reason: input.reason,
          grounds: grounds.map((g) => LONG_TERM_GROUND_ZH[g]),
        },
      });
    })();
    this.deps.emit('filing.changed', { caseId: input.caseId });
    return this.status(input.caseId);
  }

  recordIncident(
    caller: Caller,
    input: MethodParsed<'retention.recordIncident'>,
  ): RetentionStatusDto {
    const user = requireUser(caller);
    this.ports.guard.requireTeam(caller, {
      caseId: input.caseId,
      what: '记录妨碍执法等情形',
      entity: 'case',
      entityId: input.caseId,
    });
    if (input.occurredAt > this.deps.now() + 60_000)
      throw new AppError('INVALID_INPUT', '发生时间不能晚于现在');
    const { db } = this.deps;
    db.transaction(() => {
      const at = this.deps.now();
      const id = insertIncident(db, {
        case_id: input.caseId,
        kind: input.kind,
        note: input.note,
        occurred_at: input.occurredAt,
        recorded_by: user.id,
        recorded_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'retention.incident',
        entity: 'case',
        entityId: input.caseId,
        caseId: input.caseId,
        data: { incidentId: id, kind: input.kind, note: input.note, occurredAt: input.occurredAt },
      });
    })();
    this.deps.emit('filing.changed', { caseId: input.caseId });
    return this.status(input.caseId);
  }

  /** Every sealed bundle with the class sealed into it and the class that applies now. */
  register(): RetentionRegisterRowDto[] {
    const { db } = this.deps;
    const classes = new Map<number, ReturnType<typeof caseFileRetention>>();
    return this.ports.bundles().map((b) => {
      let caseClass = classes.get(b.caseId);
      if (!caseClass) {
        caseClass = this.status(b.caseId).caseClass;
        classes.set(b.caseId, caseClass);
      }
      const effective = longerRetention(b.choice, caseClass);
      const d = new Date(b.recordedEndAt);
      d.setUTCFullYear(d.getUTCFullYear() + (effective === 'case-3y' ? 3 : 1));
      return {
        bundleId: b.id,
        bagName: b.bagName,
        caseId: b.caseId,
        caseNo: caseHeader(db, b.caseId)?.caseNo ?? String(b.caseId),
        sessionId: b.sessionId,
        sealedClass: b.choice,
        effectiveClass: effective,
        retainUntil: effective === 'long-term' ? null : d.getTime(),
        recordedEndAt: b.recordedEndAt,
      };
    });
  }
}
