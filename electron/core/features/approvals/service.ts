/**
 * Approval forms (审批表, R1.4): the handler proposes, the legal reviewer reviews, a
 * collective discussion is held and signed where required, the leader decides, each signing
 * in person with their handwriting; the order is the rule's (`shared/rules/approval-form.ts`).
 * A decided form is printed as a signed PDF into the case folder.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ApprovalActDto,
  ApprovalContent,
  ApprovalFormDto,
} from '../../../shared/api/approvals';
import type { MethodParsed } from '../../../shared/api';
import type { PdfDto } from '../../../shared/api/discs';
import type { AuditAction } from '../../../shared/audit-actions';
import type { CaseDetailDto, UserDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { zhName } from '../../../shared/names-zh';
import {
  APPROVAL_STEP_HOLDERS,
  approvalProgress,
  decisionFormCounts,
  requireStep,
  type ApprovalActFact,
  type ApprovalFormKind,
  type ApprovalStep,
} from '../../../shared/rules/approval-form';
import { dateIn } from '../../../shared/time';
import { writeFileAtomicSync } from '../../platform/fs';
import type { HandwritingInput } from '../../../shared/api/signing';
import { handwritingFromInput } from '../../platform/pdf/handwriting-input';
import { readHandwriting, storeHandwriting } from '../../platform/pdf/stored-handwriting';
import { loadOrCreateIdentity } from '../../platform/pki';
import { requireUser, type Caller, type EvidenceGuard, type ServiceDeps } from '../context';
import type { CasesService } from '../cases';
import { agencyIdentityRow } from '../documents';
import type { UsersService } from '../users';
import { activeAccountsWithRole, userDisplayName } from '../users';
import { renderApprovalForm, type OpinionPrint } from './form-pdf';
import {
  actRows,
  formRow,
  formRowsOfCase,
  insertAct,
  insertForm,
  insertPrint,
  printOf,
  type ActRow,
  type FormRow,
} from './store';

export const FORM_TITLES: Record<ApprovalFormKind, string> = {
  initiation: '立案审批表',
  decision: '行政处罚决定审批表',
};

const ACTION: Record<ApprovalStep, AuditAction> = {
  proposal: 'approval.proposed',
  review: 'approval.reviewed',
  discussion: 'approval.discussed',
  discussion_signature: 'approval.discussion_signed',
  decision: 'approval.decided',
};

interface ActData {
  requiresDiscussion?: boolean;
  heldAt?: number;
  place?: string;
  participants?: number[];
  minutes?: string;
}

export interface ApprovalPorts {
  cases: Pick<CasesService, 'get'>;
  guard: Pick<EvidenceGuard, 'require'>;
  users: Pick<UsersService, 'confirmPerson'>;
}

export class ApprovalsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: ApprovalPorts,
    private readonly opts: { dataDir: string; identityDir: string },
  ) {}

  private name(userId: number): string {
    return userDisplayName(this.deps.db, userId) ?? `#${userId}`;
  }

  private facts(acts: readonly ActRow[]): ApprovalActFact[] {
    return acts.map((a) => {
      const d = JSON.parse(a.data) as ActData;
      return {
        step: a.step,
        decision: a.decision,
        userId: a.user_id,
        casePhase: a.case_phase,
        at: a.at,
        ...(d.requiresDiscussion !== undefined ? { requiresDiscussion: d.requiresDiscussion } : {}),
        ...(d.participants ? { participants: d.participants } : {}),
      };
    });
  }

  private dto(row: FormRow): ApprovalFormDto {
    const acts = actRows(this.deps.db, row.id);
    const form = this.formOf(row);
    const facts = this.facts(acts);
    const print = printOf(this.deps.db, row.id);
    return {
      id: row.id,
      caseId: row.case_id,
      kind: row.kind,
      content: JSON.parse(row.content) as ApprovalContent,
      collectiveRequired: form.collectiveRequired,
      acts: acts.map((a): ApprovalActDto => {
        const d = JSON.parse(a.data) as ActData;
        return {
          id: a.id,
          step: a.step,
          decision: a.decision,
          opinion: a.opinion,
          userId: a.user_id,
          userName: this.name(a.user_id),
          presence: a.presence,
          casePhase: a.case_phase,
          at: a.at,
          ...(d.requiresDiscussion !== undefined
            ? { requiresDiscussion: d.requiresDiscussion }
            : {}),
          ...(d.heldAt !== undefined ? { heldAt: d.heldAt } : {}),
          ...(d.place !== undefined ? { place: d.place } : {}),
          ...(d.minutes !== undefined ? { minutes: d.minutes } : {}),
          ...(d.participants
            ? { participants: d.participants.map((id) => ({ userId: id, name: this.name(id) })) }
            : {}),
        };
      }),
      progress: approvalProgress(form, facts),
      counts: decisionFormCounts(form, facts),
      pdf: print ? { path: print.pdf_path, sha256: print.pdf_sha256 } : null,
    };
  }

  private form(id: number): FormRow {
    const row = formRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `没有编号为 ${id} 的审批表`);
    return row;
  }

  list(caseId: number): ApprovalFormDto[] {
    this.ports.cases.get(caseId);
    return formRowsOfCase(this.deps.db, caseId).map((r) => this.dto(r));
  }

  /** The agency's leaders and legal reviewers, who sit in a collective discussion. */
  candidates(): { userId: number; name: string }[] {
    const seen = new Set<number>();
    return (['leader', 'legal_reviewer'] as const)
      .flatMap((r) => activeAccountsWithRole(this.deps.db, r))
      .filter((u) => !seen.has(u.userId) && seen.add(u.userId));
  }

  /** Whether an approved decision form lets the case leave review (the cases feature's port). */
  decisionApproved(caseId: number): boolean {
    return formRowsOfCase(this.deps.db, caseId).some((r) =>
      decisionFormCounts(this.formOf(r), this.facts(actRows(this.deps.db, r.id))),
    );
  }

  private requireHolder(user: UserDto, step: Exclude<ApprovalStep, 'discussion_signature'>) {
    if (!user.roles.some((r) => APPROVAL_STEP_HOLDERS[step].includes(r)))
      throw new AppError(
        'FORBIDDEN',
        `${zhName('approvalStep', step)}由${APPROVAL_STEP_HOLDERS[step].map((r) => zhName('userRole', r)).join('或')}签署`,
      );
  }

  /** Records one act, signed in person, inside one transaction with its audit entry. */
  private act(
    user: UserDto,
    c: CaseDetailDto,
    formId: number,
    step: ApprovalStep,
    fields: { decision: ApprovalActDto['decision']; opinion: string | null; data: ActData },
    handwriting: HandwritingInput,
    presence: ApprovalActDto['presence'],
    check: () => void,
    record: () => void = () => undefined,
  ): void {
    const { db } = this.deps;
    db.transaction(() => {
      check();
      const at = this.deps.now();
      const id = insertAct(db, {
        form_id: formId,
        step,
        decision: fields.decision,
        opinion: fields.opinion,
        data: JSON.stringify(fields.data),
        user_id: user.id,
        presence,
        handwriting: storeHandwriting(handwritingFromInput(handwriting, at, at)),
        case_phase: c.phase,
        at,
      });
      record();
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: ACTION[step],
        entity: 'approval_form',
        entityId: formId,
        caseId: c.id,
        data: {
          actId: id,
          decision: fields.decision,
          opinion: fields.opinion,
          presence,
          ...fields.data,
        },
      });
    })();
  }

  private openCase(caseId: number): CaseDetailDto {
    const c = this.ports.cases.get(caseId);
    if (c.phase === 'archiving') throw new AppError('CONFLICT', '案件已归档，不能再审批');
    return c;
  }

  /** Where a form stands, from its acts alone (what the order rule reads). */
  private progressOf(row: FormRow) {
    return approvalProgress(this.formOf(row), this.facts(actRows(this.deps.db, row.id)));
  }

  private formOf(row: FormRow) {
    return { kind: row.kind, collectiveRequired: row.collective_required === 1 };
  }

  propose(caller: Caller, input: MethodParsed<'approvals.propose'>): ApprovalFormDto {
    const user = requireUser(caller);
    this.requireHolder(user, 'proposal');
    const c = this.openCase(input.caseId);
    if (user.officerId === null || !c.officers.some((o) => o.officerId === user.officerId))
      throw new AppError('FORBIDDEN', '承办人意见只能由本案的承办人员提出');
    const allowed = input.kind === 'initiation' ? ['initiation'] : ['investigation', 'review'];
    if (!allowed.includes(c.phase))
      throw new AppError(
        'RULE_VIOLATION',
        input.kind === 'initiation'
          ? '立案审批在立案阶段提出'
          : '处理决定审批在调查终结后（调查或审查决定阶段）提出',
      );
    const sessionIds = new Set(c.sessions.map((s) => s.id));
    const foreign = input.content.evidenceSessionIds.filter((id) => !sessionIds.has(id));
    if (foreign.length)
      throw new AppError('INVALID_INPUT', `证据所列的询问/听证不属于本案：${foreign.join('、')}`);
    const { db } = this.deps;
    let formId = 0;
    db.transaction(() => {
      const open = formRowsOfCase(db, c.id).find(
        (r) => r.kind === input.kind && !this.progressOf(r).closed,
      );
      if (open)
        throw new AppError(
          'CONFLICT',
          `本案已有未办结的${FORM_TITLES[input.kind]}（第 ${open.id} 号）`,
        );
      formId = insertForm(db, {
        case_id: c.id,
        kind: input.kind,
        content: JSON.stringify(input.content),
        collective_required: input.collectiveRequired ? 1 : 0,
      });
      this.act(
        user,
        c,
        formId,
        'proposal',
        { decision: 'agree', opinion: input.content.proposal, data: {} },
        input.handwriting,
        'signed_in',
        () => undefined,
      );
    })();
    return this.changed(c.id, formId);
  }

  private changed(caseId: number, formId: number): ApprovalFormDto {
    this.deps.emit('approvals.changed', { caseId, formId });
    this.deps.emit('case.changed', { caseId });
    return this.dto(this.form(formId));
  }

  private proposerOf(row: FormRow): number {
    return actRows(this.deps.db, row.id).find((a) => a.step === 'proposal')!.user_id;
  }

  review(caller: Caller, input: MethodParsed<'approvals.review'>): ApprovalFormDto {
    const user = requireUser(caller);
    this.requireHolder(user, 'review');
    const row = this.form(input.formId);
    const c = this.openCase(row.case_id);
    if (this.proposerOf(row) === user.id)
      throw new AppError('RULE_VIOLATION', '承办人不能审核自己提出的意见');
    this.act(
      user,
      c,
      row.id,
      'review',
      {
        decision: input.decision,
        opinion: input.opinion,
        data: { requiresDiscussion: input.requiresDiscussion },
      },
      input.handwriting,
      'signed_in',
      () => requireStep(this.progressOf(row), 'review'),
    );
    return this.changed(c.id, row.id);
  }

  discuss(caller: Caller, input: MethodParsed<'approvals.discuss'>): ApprovalFormDto {
    const user = requireUser(caller);
    this.requireHolder(user, 'discussion');
    const row = this.form(input.formId);
    const c = this.openCase(row.case_id);
    if (!input.participantIds.includes(user.id))
      throw new AppError('INVALID_INPUT', '记录集体讨论的负责人也是参加人员');
    const unknown = input.participantIds.filter(
      (id) => userDisplayName(this.deps.db, id) === undefined,
    );
    if (unknown.length) throw new AppError('NOT_FOUND', `没有这些用户：${unknown.join('、')}`);
    if (input.heldAt > this.deps.now() + 60_000)
      throw new AppError('INVALID_INPUT', '讨论时间不能晚于现在');
    this.act(
      user,
      c,
      row.id,
      'discussion',
      {
        decision: null,
        opinion: input.conclusion,
        data: {
          heldAt: input.heldAt,
          place: input.place,
          participants: input.participantIds,
          minutes: input.minutes,
        },
      },
      input.handwriting,
      'signed_in',
      () => requireStep(this.progressOf(row), 'discussion'),
    );
    // The one who recorded it has signed with the record.
    this.act(
      user,
      c,
      row.id,
      'discussion_signature',
      { decision: null, opinion: null, data: {} },
      input.handwriting,
      'signed_in',
      () => undefined,
    );
    return this.changed(c.id, row.id);
  }

  async signDiscussion(
    caller: Caller,
    input: MethodParsed<'approvals.signDiscussion'>,
  ): Promise<ApprovalFormDto> {
    const row = this.form(input.formId);
    const c = this.openCase(row.case_id);
    const who = await this.ports.users.confirmPerson(caller, input.confirmation, {
      action: 'approval.discussion_signed',
      caseId: c.id,
    });
    this.act(
      who.user,
      c,
      row.id,
      'discussion_signature',
      { decision: null, opinion: null, data: {} },
      input.handwriting,
      who.presence,
      () => {
        const progress = this.progressOf(row);
        requireStep(progress, 'discussion_signature');
        if (!progress.unsigned.includes(who.user.id))
          throw new AppError('FORBIDDEN', `${who.user.displayName}不是尚未签名的讨论参加人员`);
      },
      who.record,
    );
    return this.changed(c.id, row.id);
  }

  async decide(caller: Caller, input: MethodParsed<'approvals.decide'>): Promise<ApprovalFormDto> {
    const user = requireUser(caller);
    this.requireHolder(user, 'decision');
    const row = this.form(input.formId);
    const c = this.openCase(row.case_id);
    if (this.proposerOf(row) === user.id)
      throw new AppError('RULE_VIOLATION', '承办人不能批准自己提出的意见');
    this.act(
      user,
      c,
      row.id,
      'decision',
      { decision: input.decision, opinion: input.opinion, data: {} },
      input.handwriting,
      'signed_in',
      () => requireStep(this.progressOf(row), 'decision'),
    );
    await this.print(row, c);
    return this.changed(c.id, row.id);
  }

  /** Prints the decided form, signed, into the case folder. */
  private async print(row: FormRow, c: CaseDetailDto): Promise<void> {
    const { db } = this.deps;
    const acts = actRows(db, row.id);
    const tz = this.deps.timeZone();
    const at = this.deps.now();
    const content = JSON.parse(row.content) as ApprovalContent;
    const opinion = (a: ActRow | undefined, heading: string): OpinionPrint | null =>
      a
        ? {
            heading: `${heading}：${zhName('approvalDecision', a.decision ?? 'agree')}`,
            text: a.opinion ?? '',
            signer: this.name(a.user_id),
            handwriting: readHandwriting(a.handwriting),
            at: a.at,
          }
        : null;
    const d = acts.find((a) => a.step === 'discussion');
    const dd = d ? (JSON.parse(d.data) as ActData) : null;
    const identity = await loadOrCreateIdentity(this.opts.identityDir);
    const pdf = await renderApprovalForm({
      title: FORM_TITLES[row.kind],
      agency: agencyIdentityRow(db)?.name ?? null,
      caseNo: c.caseNo,
      cause: c.cause,
      parties: c.parties.map((p) => p.name).join('、'),
      content,
      evidenceSessions: content.evidenceSessionIds.map((id) => {
        const s = c.sessions.find((x) => x.id === id)!;
        return `${zhName('sessionKind', s.kind)}（${dateIn(s.startedAt ?? s.createdAt, tz)}，${s.place}）音像记录及笔录`;
      }),
      proposal: opinion(
        acts.find((a) => a.step === 'proposal'),
        '承办人意见',
      )!,
      review: opinion(
        acts.find((a) => a.step === 'review'),
        '法制审核意见',
      ),
      discussion:
        d && dd
          ? {
              heldAt: dd.heldAt!,
              place: dd.place!,
              participants: (dd.participants ?? []).map((id) => this.name(id)),
              minutes: dd.minutes!,
              conclusion: d.opinion ?? '',
              signatures: acts
                .filter((a) => a.step === 'discussion_signature')
                .map((a) => ({
                  name: this.name(a.user_id),
                  handwriting: readHandwriting(a.handwriting),
                  at: a.at,
                })),
            }
          : null,
      decision: opinion(
        acts.find((a) => a.step === 'decision'),
        '负责人审批意见',
      ),
      timeZone: tz,
      signer: identity.signer,
      at,
    });
    const rel = join('case-files', String(c.id), 'approvals', `approval-${row.id}.pdf`);
    mkdirSync(join(this.opts.dataDir, 'case-files', String(c.id), 'approvals'), {
      recursive: true,
    });
    writeFileAtomicSync(join(this.opts.dataDir, rel), pdf);
    insertPrint(db, {
      form_id: row.id,
      pdf_path: rel,
      pdf_sha256: createHash('sha256').update(pdf).digest('hex'),
      at,
    });
  }

  /** The signed form: part of the case file, read by its team or under a grant (R6.1). */
  pdf(caller: Caller, formId: number): PdfDto {
    const row = this.form(formId);
    this.ports.guard.require(caller, {
      caseId: row.case_id,
      mode: 'view',
      sessionIds: [],
      what: `查看${FORM_TITLES[row.kind]}`,
      entity: 'approval_form',
      entityId: row.id,
    });
    const p = printOf(this.deps.db, formId);
    if (!p) throw new AppError('CONFLICT', '审批表尚未办结，办结后生成签章的 PDF');
    const c = this.ports.cases.get(row.case_id);
    const path = join(this.opts.dataDir, p.pdf_path);
    return {
      fileName: `${FORM_TITLES[row.kind]}-${c.caseNo.replace(/[\\/:*?"<>|]/g, '_')}-${row.id}.pdf`,
      data: readFileSync(path).toString('base64'),
      savedAt: path,
    };
  }
}
