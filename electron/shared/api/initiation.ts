/**
 * How a case starts (R1.2): an application (申请) with any corrections asked for and made, and
 * its acceptance or refusal with reasons; a complaint or report (投诉举报) with who made it,
 * what, when, who recorded it and how it was handled, a decision not to open included; and an
 * emergency start (紧急情况先行立案) reported within 24 hours.
 */
import { z } from 'zod';
import { MATTER_KINDS, idSchema, instantSchema } from '../domain';
import { optionalText, text } from '../schema';
import { CASE_WRITERS, events, method } from './define';

export const INTAKE_KINDS = ['application', 'complaint'] as const;
export type IntakeKind = (typeof INTAKE_KINDS)[number];

export const INTAKE_STEP_KINDS = [
  'correction_asked',
  'correction_made',
  'accepted',
  'refused',
  'opened',
  'not_opened',
] as const;
export type IntakeStepKind = (typeof INTAKE_STEP_KINDS)[number];

/** An emergency start is reported within this long (R1.2). */
export const EMERGENCY_REPORT_MS = 24 * 60 * 60 * 1000;

/** Who registers applications and complaints: the officers and the clerks at the window. */
export const INTAKE_KEEPERS = [...CASE_WRITERS, 'clerk'] as const;

/** What a case opened from an entry needs beyond the entry itself. */
const openCaseSchema = z
  .object({
    caseNo: text(60),
    cause: text(200),
    matterKind: z.enum(MATTER_KINDS),
    officerIds: z.array(idSchema).min(2).max(10),
  })
  .strict();

export const intakeSchemas = {
  list: z.object({ kind: z.enum(INTAKE_KINDS).optional(), open: z.boolean().optional() }).strict(),
  register: z
    .object({
      kind: z.enum(INTAKE_KINDS),
      /** 申请人 / 投诉举报人 (a complaint may be anonymous: say so). */
      person: text(100),
      contact: optionalText(100),
      /** 申请事项 / 投诉举报内容. */
      content: text(5000),
      /** Materials handed in (申请材料). */
      materials: z.array(text(200)).max(30).optional(),
      receivedAt: instantSchema,
      /** 接收方式: 窗口, 电话, 信函, 网上 … */
      channel: text(50),
    })
    .strict(),
  askCorrection: z
    .object({ entryId: idSchema, items: text(2000), deadlineDays: z.number().int().min(1).max(30) })
    .strict(),
  correctionMade: z.object({ entryId: idSchema, note: text(2000), at: instantSchema }).strict(),
  decide: z.discriminatedUnion('decision', [
    z.object({ entryId: idSchema, decision: z.literal('accepted'), case: openCaseSchema }).strict(),
    z.object({ entryId: idSchema, decision: z.literal('opened'), case: openCaseSchema }).strict(),
    z.object({ entryId: idSchema, decision: z.literal('refused'), reason: text(2000) }).strict(),
    z.object({ entryId: idSchema, decision: z.literal('not_opened'), reason: text(2000) }).strict(),
  ]),
  caseOf: z.object({ caseId: idSchema }).strict(),
  reportEmergency: z
    .object({
      caseId: idSchema,
      /** To whom (the leader or the superior agency) and how. */
      reportedTo: text(100),
      how: text(200),
      reportedAt: instantSchema,
    })
    .strict(),
};

export interface IntakeStepDto {
  id: number;
  kind: IntakeStepKind;
  text: string;
  caseId: number | null;
  by: string;
  at: number;
}

export interface IntakeEntryDto {
  id: number;
  kind: IntakeKind;
  person: string;
  contact: string | null;
  content: string;
  materials: string[];
  channel: string;
  receivedAt: number;
  recordedBy: string;
  recordedAt: number;
  steps: IntakeStepDto[];
  /** Open: awaiting a correction or a decision. */
  state: 'registered' | 'awaiting_correction' | 'corrected' | IntakeStepKind;
  caseId: number | null;
}

export interface CaseInitiationDto {
  caseId: number;
  entry: IntakeEntryDto | null;
  emergency: {
    reason: string;
    startedAt: number;
    dueAt: number;
    report: { reportedTo: string; how: string; reportedAt: number; by: string } | null;
    /** Reported after 24 h, or not yet and past it. */
    late: boolean;
  } | null;
}

export const initiationMethods = {
  'intake.list': method<IntakeEntryDto[]>()(intakeSchemas.list, 'user'),
  'intake.register': method<IntakeEntryDto>()(intakeSchemas.register, INTAKE_KEEPERS),
  /** Asks the applicant to complete or correct the application (补正告知). */
  'intake.askCorrection': method<IntakeEntryDto>()(intakeSchemas.askCorrection, INTAKE_KEEPERS),
  'intake.correctionMade': method<IntakeEntryDto>()(intakeSchemas.correctionMade, INTAKE_KEEPERS),
  /** Accepts or refuses an application, opens a case on a complaint or decides not to. */
  'intake.decide': method<IntakeEntryDto>()(intakeSchemas.decide, [...CASE_WRITERS, 'leader']),
  'initiation.ofCase': method<CaseInitiationDto>()(intakeSchemas.caseOf, 'user'),
  'initiation.reportEmergency': method<CaseInitiationDto>()(
    intakeSchemas.reportEmergency,
    CASE_WRITERS,
  ),
} as const;

export interface InitiationEvents {
  'intake.changed': { entryId: number };
}
export const INITIATION_EVENTS = events<InitiationEvents>()(['intake.changed']);
