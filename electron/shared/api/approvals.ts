/**
 * Approval forms (审批表, R1.4): proposed by the handler, reviewed by the legal reviewer,
 * discussed collectively where required, decided by the leader, each signing in person;
 * printed as a signed PDF once decided.
 */
import { z } from 'zod';
import { APPROVAL_DECISIONS, idSchema, instantSchema, officerConfirmationSchema } from '../domain';
import type { ApprovalDecision, OfficerPresence, Phase } from '../domain';
import {
  APPROVAL_FORM_KINDS,
  type ApprovalFormKind,
  type ApprovalProgress,
  type ApprovalStep,
} from '../rules/approval-form';
import { text } from '../schema';
import { handwritingInputSchema } from './signing';
import { CASE_WRITERS, events, method } from './define';
import type { PdfDto } from './discs';

/** What the handler proposes: the facts, the evidence, the legal basis, the discretion. */
export const approvalContentSchema = z
  .object({
    /** 案件事实. */
    facts: text(5000),
    /** 证据: the sessions of the case the evidence rests on, and other evidence by name. */
    evidenceSessionIds: z.array(idSchema).max(50),
    evidence: z.array(text(300)).max(50),
    /** 法律依据. */
    legalBasis: text(2000),
    /** 裁量理由 (why this measure, within the discretion standard). */
    discretion: text(2000),
    /** 处理意见 (e.g. 拟给予警告并处罚款人民币五千元). */
    proposal: text(2000),
  })
  .strict()
  .refine((c) => c.evidenceSessionIds.length + c.evidence.length > 0, {
    message: 'the proposal names its evidence',
    path: ['evidence'],
  });
export type ApprovalContent = z.output<typeof approvalContentSchema>;

/** Signing in person: the handwriting, and who is at the desk when not the one signed in. */
const inPerson = {
  handwriting: handwritingInputSchema,
  /** The signer's own username and password, when someone else is signed in at the desk. */
  confirmation: officerConfirmationSchema.optional(),
};

export const approvalSchemas = {
  list: z.object({ caseId: idSchema }).strict(),
  propose: z
    .object({
      caseId: idSchema,
      kind: z.enum(APPROVAL_FORM_KINDS),
      content: approvalContentSchema,
      /** 情节复杂或者重大违法行为给予较重的行政处罚: a collective discussion is required. */
      collectiveRequired: z.boolean(),
      handwriting: handwritingInputSchema,
    })
    .strict(),
  review: z
    .object({
      formId: idSchema,
      decision: z.enum(APPROVAL_DECISIONS),
      opinion: text(2000),
      /** The reviewer finds the matter needs the collective discussion. */
      requiresDiscussion: z.boolean(),
      handwriting: handwritingInputSchema,
    })
    .strict(),
  discuss: z
    .object({
      formId: idSchema,
      heldAt: instantSchema,
      place: text(200),
      /** Everyone who took part, the one recording it among them; each signs the minutes. */
      participantIds: z.array(idSchema).min(3).max(30),
      minutes: text(10000),
      conclusion: text(2000),
      handwriting: handwritingInputSchema,
    })
    .strict()
    .refine((d) => new Set(d.participantIds).size === d.participantIds.length, {
      message: 'a participant is listed twice',
      path: ['participantIds'],
    }),
  signDiscussion: z.object({ formId: idSchema, ...inPerson }).strict(),
  decide: z
    .object({
      formId: idSchema,
      decision: z.enum(APPROVAL_DECISIONS),
      opinion: text(2000),
      handwriting: handwritingInputSchema,
    })
    .strict(),
  pdf: z.object({ formId: idSchema }).strict(),
  candidates: z.object({}).strict(),
};

export interface ApprovalActDto {
  id: number;
  step: ApprovalStep;
  decision: ApprovalDecision | null;
  opinion: string | null;
  userId: number;
  userName: string;
  presence: OfficerPresence;
  casePhase: Phase;
  at: number;
  requiresDiscussion?: boolean;
  heldAt?: number;
  place?: string;
  participants?: { userId: number; name: string }[];
  minutes?: string;
}

export interface ApprovalFormDto {
  id: number;
  caseId: number;
  kind: ApprovalFormKind;
  content: ApprovalContent;
  collectiveRequired: boolean;
  acts: ApprovalActDto[];
  progress: ApprovalProgress;
  /** A decision form that lets the case leave review (approved while it was in review). */
  counts: boolean;
  /** The signed PDF, once the form is decided. */
  pdf: { path: string; sha256: string } | null;
}

export const approvalsMethods = {
  'approvals.list': method<ApprovalFormDto[]>()(approvalSchemas.list, 'user'),
  /** The handler (an officer of the case) proposes, signing in person. */
  'approvals.propose': method<ApprovalFormDto>()(approvalSchemas.propose, CASE_WRITERS),
  /** The legal reviewer's opinion (法制审核), after the proposal. */
  'approvals.review': method<ApprovalFormDto>()(approvalSchemas.review, ['legal_reviewer']),
  /** The collective discussion, recorded by the leader who chaired it. */
  'approvals.discuss': method<ApprovalFormDto>()(approvalSchemas.discuss, ['leader']),
  /** A participant signs the discussion's minutes (signed in, or with their own password). */
  'approvals.signDiscussion': method<ApprovalFormDto>()(approvalSchemas.signDiscussion, 'user'),
  /** The leader's decision, after the review (and the discussion where required). */
  'approvals.decide': method<ApprovalFormDto>()(approvalSchemas.decide, ['leader']),
  'approvals.pdf': method<PdfDto>()(approvalSchemas.pdf, 'user'),
  /** Who may take part in a collective discussion: the agency's leaders and legal reviewers. */
  'approvals.candidates': method<{ userId: number; name: string }[]>()(
    approvalSchemas.candidates,
    'user',
  ),
} as const;

export interface ApprovalsEvents {
  'approvals.changed': { caseId: number; formId: number };
}
export const APPROVALS_EVENTS = events<ApprovalsEvents>()(['approvals.changed']);
