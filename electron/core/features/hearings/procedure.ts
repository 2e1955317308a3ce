/**
 * A case's hearing procedure (行政处罚法 第六十三、六十四条): the notice of the right to a hearing
 * (听证告知书), the party's request or waiver, and the notice of the hearing (听证通知书), each
 * recorded as it happened, kept, and judged against the time limits of shared/rules/hearing.ts
 * (five days to ask, seven days' notice of the hearing). The latest entry of a kind is in force;
 * a late request stands only as the agency decided on it; a hearing notified at shorter notice
 * needs the party's agreement on record; its moderator is not an investigator of the case.
 */
import type { z } from 'zod';
import type { HearingProcedureDto, hearingProcedureSchemas } from '../../../shared/api/hearings';
import { CASE_WRITERS } from '../../../shared/api/index';
import type { AuditAction } from '../../../shared/audit-actions';
import { AppError } from '../../../shared/errors';
import {
  HEARING_NOTICE_DAYS,
  earliestHearing,
  hearingProcedureStatus,
  type HearingProcedureFacts,
  type WorkCalendar,
} from '../../../shared/rules/hearing';
import { dateTimeIn } from '../../../shared/time';
import { requireRole, type Caller, type EvidenceGuard, type ServiceDeps } from '../context';
import { isCaseOfficer, type CasesService } from '../cases';
import type { OfficersService } from '../registers';
import { userDisplayName } from '../users';

type NoticeInput = z.output<typeof hearingProcedureSchemas.notice>;
type AnswerInput = z.output<typeof hearingProcedureSchemas.answer>;
type SummonsInput = z.output<typeof hearingProcedureSchemas.summons>;
type Kind = 'notice' | 'answer' | 'summons';

interface EntryRow {
  kind: Kind;
  data: string;
  recorded_by: number;
  recorded_at: number;
}

export class HearingProcedures {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: {
      cases: Pick<CasesService, 'get'>;
      officers: Pick<OfficersService, 'get'>;
      guard: EvidenceGuard;
      /** The agency's working-day calendar (periods count working days). */
      calendar: () => WorkCalendar;
    },
  ) {}

  private latest(caseId: number, kind: Kind): EntryRow | undefined {
    return this.deps.db
      .prepare(
        `SELECT kind, data, recorded_by, recorded_at FROM hearing_procedure_entries
         WHERE case_id = ? AND kind = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(caseId, kind) as EntryRow | undefined;
  }

  /**
   * The case, for a case writer who may read it (its team, or with a grant) or, to record an
   * entry, who is on its team (a grant lets one read, never write).
   */
  private caseFor(caller: Caller, caseId: number, what: string, writes: boolean) {
    requireRole(caller, CASE_WRITERS, what);
    const c = this.ports.cases.get(caseId);
    const ask = { caseId, what, entity: 'case' as const, entityId: caseId };
    if (writes) this.ports.guard.requireTeam(caller, ask);
    else this.ports.guard.require(caller, { ...ask, mode: 'view', sessionIds: [] });
    return c;
  }

  /** The procedure as recorded, and the facts its time limits are judged on. */
  private load(caseId: number): { dto: HearingProcedureDto; facts: HearingProcedureFacts } {
    const entry = <T>(kind: Kind) => {
      const row = this.latest(caseId, kind);
      return row
        ? {
            ...(JSON.parse(row.data) as T),
            recordedBy: userDisplayName(this.deps.db, row.recorded_by) ?? '',
            recordedAt: row.recorded_at,
          }
        : null;
    };
    const notice = entry<NonNullable<HearingProcedureDto['notice']>>('notice');
    const answer = entry<NonNullable<HearingProcedureDto['answer']>>('answer');
    const summons = entry<NonNullable<HearingProcedureDto['summons']>>('summons');
    const facts: HearingProcedureFacts = {
      notice: notice ? { servedAt: notice.servedAt } : null,
      answer: answer
        ? {
            kind: answer.kind,
            at: answer.at,
            ...(answer.late ? { accepted: answer.late.accepted } : {}),
          }
        : null,
      summons: summons
        ? {
            notifiedAt: summons.notifiedAt,
            hearingAt: summons.hearingAt,
            shortNoticeAgreed: summons.shortNoticeAgreed !== undefined,
          }
        : null,
    };
    const status = hearingProcedureStatus(
      facts,
      this.deps.now(),
      this.deps.timeZone(),
      this.ports.calendar(),
    );
    return { dto: { caseId, notice, answer, summons, status }, facts };
  }

  private read(caseId: number): HearingProcedureDto {
    return this.load(caseId).dto;
  }

  procedure(caller: Caller, caseId: number): HearingProcedureDto {
    this.caseFor(caller, caseId, '查看听证程序', false);
    return this.read(caseId);
  }

  private record(caller: Caller, caseId: number, kind: Kind, data: object, action: AuditAction) {
    const user = requireRole(caller, CASE_WRITERS, 'recording the hearing procedure');
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare(
          `INSERT INTO hearing_procedure_entries (case_id, kind, data, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(caseId, kind, JSON.stringify(data), user.id, at);
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action,
        entity: 'case',
        entityId: caseId,
        caseId,
        data,
      });
    })();
    this.deps.emit('hearings.procedureChanged', { caseId });
    return this.read(caseId);
  }

  private notFuture(at: number, what: string): void {
    if (at > this.deps.now() + 60_000)
      throw new AppError('RULE_VIOLATION', `${what} is recorded once it has happened, not ahead`);
  }

  /** The party was told of the right to a hearing. */
  recordNotice(caller: Caller, input: NoticeInput): HearingProcedureDto {
    const { caseId, ...data } = input;
    const c = this.caseFor(caller, caseId, '记录听证告知', true);
    if (c.matterKind !== 'penalty')
      throw new AppError(
        'RULE_VIOLATION',
        'the right to a hearing is told before an administrative penalty (行政处罚) is decided',
      );
    this.notFuture(data.servedAt, 'the notice of the right to a hearing');
    if (this.latest(caseId, 'answer'))
      throw new AppError(
        'CONFLICT',
        'the party has already answered the notice of the right to a hearing',
      );
    return this.record(caller, caseId, 'notice', data, 'hearing.notice_served');
  }

  /** The party asked for a hearing, or gave it up. */
  recordAnswer(caller: Caller, input: AnswerInput): HearingProcedureDto {
    const { caseId, ...data } = input;
    this.caseFor(caller, caseId, '记录听证申请', true);
    const now = this.read(caseId);
    if (!now.notice)
      throw new AppError(
        'CONFLICT',
        'record the notice of the right to a hearing (听证告知书) first',
      );
    if (now.summons)
      throw new AppError('CONFLICT', 'the hearing is already notified; its request stands');
    this.notFuture(data.at, 'the party’s answer');
    if (data.at < now.notice.servedAt)
      throw new AppError('RULE_VIOLATION', 'the party answers after being told of the right');
    const late = data.kind === 'request' && data.at > now.status.requestDeadline!;
    if (late && !data.late)
      throw new AppError(
        'RULE_VIOLATION',
        `the request came after the period (until ${dateTimeIn(now.status.requestDeadline!, this.deps.timeZone())}); record whether it is accepted, and why`,
      );
    if (!late && data.late)
      throw new AppError('RULE_VIOLATION', 'the request came in time; there is nothing to decide');
    return this.record(caller, caseId, 'answer', data, 'hearing.answer_recorded');
  }

  /** The party was told of the hearing's time and place. */
  recordSummons(caller: Caller, input: SummonsInput): HearingProcedureDto {
    const { caseId, moderatorOfficerId, ...rest } = input;
    this.caseFor(caller, caseId, '记录听证通知', true);
    const { dto: now, facts } = this.load(caseId);
    if (now.status.stage !== 'to-notify' && now.status.stage !== 'notified')
      throw new AppError(
        'CONFLICT',
        'a hearing is notified once the party has asked for it in time (or late, and accepted)',
      );
    this.notFuture(rest.notifiedAt, 'the notice of the hearing');
    if (rest.notifiedAt < now.answer!.at)
      throw new AppError('RULE_VIOLATION', 'the hearing is notified after it was asked for');
    if (rest.hearingAt <= rest.notifiedAt)
      throw new AppError('RULE_VIOLATION', 'the hearing is held after it is notified');
    const tz = this.deps.timeZone();
    const calendar = this.ports.calendar();
    // The same rule the status judges by: seven working days, or the party's agreement.
    const { noticeTooShort } = hearingProcedureStatus(
      {
        ...facts,
        summons: {
          notifiedAt: rest.notifiedAt,
          hearingAt: rest.hearingAt,
          shortNoticeAgreed: rest.shortNoticeAgreed !== undefined,
        },
      },
      this.deps.now(),
      tz,
      calendar,
    );
    if (noticeTooShort)
      throw new AppError(
        'RULE_VIOLATION',
        `the party is told ${HEARING_NOTICE_DAYS} working days before the hearing (举行听证的七日前): hold it on or after ${dateTimeIn(earliestHearing(rest.notifiedAt, tz, calendar), tz)}, or record the party's agreement to shorter notice`,
      );
    const moderator = this.ports.officers.get(moderatorOfficerId);
    if (!moderator.active)
      throw new AppError('CONFLICT', `${moderator.name} is not an active officer`);
    if (isCaseOfficer(this.deps.db, caseId, moderatorOfficerId))
      throw new AppError(
        'RULE_VIOLATION',
        "the hearing moderator must not be one of the case's investigating officers",
      );
    const data = { ...rest, moderator: { officerId: moderator.id, name: moderator.name } };
    return this.record(caller, caseId, 'summons', data, 'hearing.summons_served');
  }
}
