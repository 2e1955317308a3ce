/**
 * How a case starts (R1.2): applications and complaints registered and handled step by step,
 * a case opened from one through the cases feature, and an emergency start's report.
 */
import {
  EMERGENCY_REPORT_MS,
  type CaseInitiationDto,
  type IntakeEntryDto,
  type IntakeKind,
  type IntakeStepKind,
} from '../../../shared/api/initiation';
import type { MethodParsed } from '../../../shared/api';
import type { AuditAction } from '../../../shared/audit-actions';
import type { UserDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import type { CasesService } from '../cases';
import { userDisplayName } from '../users';
import {
  emergencyReport,
  entryIdOfCase,
  entryRow,
  entryRows,
  insertEmergencyReport,
  insertEntry,
  insertStep,
  stepRows,
  type IntakeEntryRow,
} from './store';

interface EntryData {
  person: string;
  contact: string | null;
  content: string;
  materials: string[];
  channel: string;
}

const DECIDED: readonly IntakeStepKind[] = ['accepted', 'refused', 'opened', 'not_opened'];

/** The state of an entry from its steps: the last decision, else where its correction stands. */
function stateOf(kinds: readonly IntakeStepKind[]): IntakeEntryDto['state'] {
  const decided = kinds.find((k) => DECIDED.includes(k));
  if (decided) return decided;
  const last = [...kinds].reverse().find((k) => k.startsWith('correction'));
  if (last === 'correction_asked') return 'awaiting_correction';
  if (last === 'correction_made') return 'corrected';
  return 'registered';
}

export class InitiationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly cases: Pick<CasesService, 'create' | 'get'>,
  ) {}

  private name(userId: number): string {
    return userDisplayName(this.deps.db, userId) ?? `#${userId}`;
  }

  private dto(row: IntakeEntryRow): IntakeEntryDto {
    const d = JSON.parse(row.data) as EntryData;
    const steps = stepRows(this.deps.db, row.id);
    return {
      id: row.id,
      kind: row.kind,
      person: d.person,
      contact: d.contact,
      content: d.content,
      materials: d.materials,
      channel: d.channel,
      receivedAt: row.received_at,
      recordedBy: this.name(row.recorded_by),
      recordedAt: row.recorded_at,
      steps: steps.map((s) => ({
        id: s.id,
        kind: s.kind,
        text: (JSON.parse(s.data) as { text: string }).text,
        caseId: s.case_id,
        by: this.name(s.by_user),
        at: s.at,
      })),
      state: stateOf(steps.map((s) => s.kind)),
      caseId: steps.find((s) => s.case_id !== null)?.case_id ?? null,
    };
  }

  private entry(id: number): IntakeEntryRow {
    const row = entryRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `没有登记号为 ${id} 的申请或投诉举报`);
    return row;
  }

  private audit(
    user: UserDto,
    action: AuditAction,
    entryId: number,
    caseId: number | null,
    data: unknown,
  ) {
    this.deps.audit.append({
      at: this.deps.now(),
      actorUserId: user.id,
      actor: user.displayName,
      action,
      entity: 'intake_entry',
      entityId: entryId,
      caseId,
      data,
    });
  }

  list(filter: { kind?: IntakeKind | undefined; open?: boolean | undefined }): IntakeEntryDto[] {
    const all = entryRows(this.deps.db, filter.kind).map((r) => this.dto(r));
    if (filter.open === undefined) return all;
    return all.filter((e) => !DECIDED.includes(e.state as IntakeStepKind) === filter.open);
  }

  register(caller: Caller, input: MethodParsed<'intake.register'>): IntakeEntryDto {
    const user = requireUser(caller);
    const { db, now } = this.deps;
    if (input.receivedAt > now() + 60_000)
      throw new AppError('INVALID_INPUT', '接收时间不能晚于现在', [
        { path: 'receivedAt', message: 'in the future' },
      ]);
    const data: EntryData = {
      person: input.person,
      contact: input.contact ?? null,
      content: input.content,
      materials: input.materials ?? [],
      channel: input.channel,
    };
    const id = db.transaction(() => {
      const at = now();
      const id = insertEntry(db, {
        kind: input.kind,
        data: JSON.stringify(data),
        received_at: input.receivedAt,
        recorded_by: user.id,
        recorded_at: at,
      });
      this.audit(user, 'intake.registered', id, null, { kind: input.kind, ...data });
      return id;
    })();
    this.deps.emit('intake.changed', { entryId: id });
    return this.dto(this.entry(id));
  }

  private step(
    caller: Caller,
    entryId: number,
    kind: IntakeStepKind,
    text: string,
    check: (entry: IntakeEntryDto) => void,
    caseId: (user: UserDto) => number | null = () => null,
  ): IntakeEntryDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    db.transaction(() => {
      const entry = this.dto(this.entry(entryId));
      if (DECIDED.includes(entry.state as IntakeStepKind))
        throw new AppError('CONFLICT', '该登记已经作出处理决定，不能再变更');
      check(entry);
      const opened = caseId(user);
      insertStep(db, {
        entry_id: entryId,
        kind,
        data: JSON.stringify({ text }),
        case_id: opened,
        by_user: user.id,
        at: this.deps.now(),
      });
      const action: AuditAction = kind.startsWith('correction')
        ? kind === 'correction_asked'
          ? 'intake.correction_asked'
          : 'intake.correction_made'
        : 'intake.decided';
      this.audit(user, action, entryId, opened, { kind, text });
    })();
    this.deps.emit('intake.changed', { entryId });
    return this.dto(this.entry(entryId));
  }

  askCorrection(caller: Caller, input: MethodParsed<'intake.askCorrection'>): IntakeEntryDto {
    return this.step(
      caller,
      input.entryId,
      'correction_asked',
      `请于 ${input.deadlineDays} 日内补正：${input.items}`,
      (e) => {
        if (e.kind !== 'application')
          throw new AppError('RULE_VIOLATION', '补正材料只适用于依申请的事项');
        if (e.state === 'awaiting_correction')
          throw new AppError('CONFLICT', '已告知补正，尚未补正完毕');
      },
    );
  }

  correctionMade(caller: Caller, input: MethodParsed<'intake.correctionMade'>): IntakeEntryDto {
    return this.step(caller, input.entryId, 'correction_made', input.note, (e) => {
      if (e.state !== 'awaiting_correction')
        throw new AppError('CONFLICT', '没有待补正的告知，不能登记补正');
    });
  }

  /**
   * Accepts or refuses an application, opens a case on a complaint or decides not to. A case
   * opened here records the entry as its origin; a refusal keeps its reasons.
   */
  decide(caller: Caller, input: MethodParsed<'intake.decide'>): IntakeEntryDto {
    const entry = this.dto(this.entry(input.entryId));
    const fits =
      entry.kind === 'application'
        ? input.decision === 'accepted' || input.decision === 'refused'
        : input.decision === 'opened' || input.decision === 'not_opened';
    if (!fits)
      throw new AppError(
        'INVALID_INPUT',
        entry.kind === 'application'
          ? '申请事项的处理为“受理”或“不予受理”'
          : '投诉举报的处理为“立案”或“不予立案”',
      );
    if ('reason' in input)
      return this.step(caller, input.entryId, input.decision, input.reason, () => undefined);
    const c = input.case;
    return this.step(
      caller,
      input.entryId,
      input.decision,
      `${input.decision === 'accepted' ? '受理并立案' : '立案'}：${c.caseNo}`,
      (e) => {
        if (e.state === 'awaiting_correction')
          throw new AppError('RULE_VIOLATION', '申请材料尚待补正，补正后才能受理');
      },
      () =>
        this.cases.create(caller, {
          caseNo: c.caseNo,
          cause: c.cause,
          matterKind: c.matterKind,
          officerIds: c.officerIds,
          emergency: undefined,
          origin: {
            kind: entry.kind,
            source: `${entry.kind === 'application' ? '申请' : '投诉举报'}登记第 ${entry.id} 号（${entry.channel}）`,
            reason: entry.content,
            complainant: entry.kind === 'complaint' ? entry.person : undefined,
            receivedAt: entry.receivedAt,
          },
        }).id,
    );
  }

  /** Where the case came from, and its emergency start's report. */
  ofCase(caseId: number): CaseInitiationDto {
    const { db, now } = this.deps;
    const c = this.cases.get(caseId);
    const entryId = entryIdOfCase(db, caseId);
    const report = emergencyReport(db, caseId);
    let emergency: CaseInitiationDto['emergency'] = null;
    if (c.emergency) {
      const dueAt = c.createdAt + EMERGENCY_REPORT_MS;
      const r = report
        ? {
            ...(JSON.parse(report.data) as { reportedTo: string; how: string }),
            reportedAt: report.reported_at,
            by: this.name(report.recorded_by),
          }
        : null;
      emergency = {
        reason: c.emergency,
        startedAt: c.createdAt,
        dueAt,
        report: r,
        late: r ? r.reportedAt > dueAt : now() > dueAt,
      };
    }
    return {
      caseId,
      entry: entryId === null ? null : this.dto(this.entry(entryId)),
      emergency,
    };
  }

  reportEmergency(
    caller: Caller,
    input: MethodParsed<'initiation.reportEmergency'>,
  ): CaseInitiationDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    const c = this.cases.get(input.caseId);
    if (!c.emergency) throw new AppError('CONFLICT', '本案不是紧急情况先行立案，无需报告');
    // Times are entered to the minute: the minute the case was opened counts as after it.
    if (input.reportedAt < c.createdAt - 60_000 || input.reportedAt > this.deps.now() + 60_000)
      throw new AppError('INVALID_INPUT', '报告时间应在立案之后、现在之前', [
        { path: 'reportedAt', message: 'out of range' },
      ]);
    db.transaction(() => {
      if (emergencyReport(db, input.caseId)) throw new AppError('CONFLICT', '紧急立案已经报告');
      const at = this.deps.now();
      insertEmergencyReport(db, {
        case_id: input.caseId,
        data: JSON.stringify({ reportedTo: input.reportedTo, how: input.how }),
        reported_at: input.reportedAt,
        recorded_by: user.id,
        recorded_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'case.emergency_reported',
        entity: 'case',
        entityId: input.caseId,
        caseId: input.caseId,
        data: { reportedTo: input.reportedTo, how: input.how, reportedAt: input.reportedAt },
      });
    })();
    this.deps.emit('case.changed', { caseId: input.caseId });
    return this.ofCase(input.caseId);
  }
}
