/**
 * The hearing report (听证报告): after a hearing, its moderator reports what was heard, the
 * facts and evidence as the hearing found them and their opinion on how the case should be
 * decided, for the agency's leader (R2.3). The report is drafted (by the moderator or a clerk
 * for them), signed by the moderator in person, printed as a PDF signed by the workstation, and
 * sealed with the hearing's recording and record.
 */
import { z } from 'zod';
import { idSchema, instantSchema, officerConfirmationSchema } from '../domain';
import type { HearingProcedureStatus } from '../rules/hearing';
import { optionalText, text } from '../schema';
import { CASE_WRITERS, events, method } from './define';

const section = z.string().trim().min(2).max(5000);

/** What the moderator writes, section by section, as the report prints it. */
export const hearingReportContentSchema = z
  .object({
    /** 调查人员提出的违法事实、证据和处理建议. */
    investigatorCase: section,
    /** 当事人及其代理人的陈述、申辩和质证意见. */
    partyCase: section,
    /** 听证认定的事实和证据. */
    findings: section,
    /** 主持人意见及处理建议. */
    recommendation: section,
  })
  .strict();
export type HearingReportContent = z.output<typeof hearingReportContentSchema>;

export interface HearingReportDto {
  sessionId: number;
  /** Each save is a new version; the signed one is final. */
  version: number;
  content: HearingReportContent;
  writtenBy: string;
  writtenAt: number;
  /** The moderator who reports (the session's 主持人). */
  moderator: { officerId: number; name: string; certificateNo: string };
  signed: {
    at: number;
    /** How the moderator was found present: signed in, or with their own password. */
    presence: string;
    /** Relative to the data directory, e.g. `sessions/7/hearing-report.pdf`. */
    path: string;
    sha256: string;
  } | null;
}

/** How the party asked for a hearing, or gave it up: in writing, or orally (noted down). */
export const HEARING_ANSWER_WAYS = ['written', 'oral'] as const;
export type HearingAnswerWay = (typeof HEARING_ANSWER_WAYS)[number];

/** Who recorded an entry of the procedure, and when. */
interface Recorded {
  recordedBy: string;
  recordedAt: number;
}

/**
 * A case's hearing procedure (行政处罚法 第六十三、六十四条): the notice of the right, the party's
 * answer, the notice of the hearing, the latest of each in force, and the time limits judged.
 */
export interface HearingProcedureDto {
  caseId: number;
  /** 听证告知书. */
  notice:
    ({ documentNo: string; servedAt: number; servedTo: string; note?: string } & Recorded) | null;
  /** The party's request for a hearing, or their giving it up. */
  answer:
    | ({
        kind: 'request' | 'waiver';
        at: number;
        way: HearingAnswerWay;
        by: string;
        note?: string;
        /** A request after the period: whether the agency accepted it, and why. */
        late?: { accepted: boolean; reason: string };
      } & Recorded)
    | null;
  /** 听证通知书. */
  summons:
    | ({
        documentNo: string;
        notifiedAt: number;
        hearingAt: number;
        place: string;
        moderator: { officerId: number; name: string };
        public: boolean;
        notPublicReason?: string;
        /** The party's agreement to fewer than seven days' notice, as stated. */
        shortNoticeAgreed?: string;
      } & Recorded)
    | null;
  status: HearingProcedureStatus;
}

export const hearingProcedureSchemas = {
  notice: z
    .object({
      caseId: idSchema,
      /** 文号 of the 听证告知书. */
      documentNo: text(60),
      servedAt: instantSchema,
      servedTo: text(60),
      note: optionalText(500),
    })
    .strict(),
  answer: z
    .object({
      caseId: idSchema,
      kind: z.enum(['request', 'waiver']),
      at: instantSchema,
      way: z.enum(HEARING_ANSWER_WAYS),
      /** Who asked or gave it up: the party, or its agent. */
      by: text(60),
      note: optionalText(500),
      /** For a request after the period: the agency's decision on it, with its reason. */
      late: z
        .object({ accepted: z.boolean(), reason: text(500) })
        .strict()
        .optional(),
    })
    .strict(),
  summons: z
    .object({
      caseId: idSchema,
      documentNo: text(60),
      notifiedAt: instantSchema,
      hearingAt: instantSchema,
      place: text(200),
      moderatorOfficerId: idSchema,
      public: z.boolean(),
      /** Why the hearing is not public (国家秘密、商业秘密或者个人隐私). */
      notPublicReason: optionalText(200),
      shortNoticeAgreed: optionalText(200),
    })
    .strict()
    .refine((s) => s.public || s.notPublicReason !== undefined, {
      message: 'a hearing not held in public says why (国家秘密、商业秘密或者个人隐私)',
      path: ['notPublicReason'],
    }),
};

export const hearingsMethods = {
  /** The case's hearing procedure and its time limits. */
  'hearings.procedure': method<HearingProcedureDto>()(
    z.object({ caseId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  /** The party was told of the right to a hearing (听证告知书): the request period starts. */
  'hearings.recordNotice': method<HearingProcedureDto>()(
    hearingProcedureSchemas.notice,
    CASE_WRITERS,
  ),
  /** The party asked for a hearing, or gave it up. */
  'hearings.recordAnswer': method<HearingProcedureDto>()(
    hearingProcedureSchemas.answer,
    CASE_WRITERS,
  ),
  /** The party was told of the hearing's time and place (听证通知书). */
  'hearings.recordSummons': method<HearingProcedureDto>()(
    hearingProcedureSchemas.summons,
    CASE_WRITERS,
  ),
  /** The hearing's report, latest version, or null before one is written. */
  'hearings.report': method<HearingReportDto | null>()(
    z.object({ sessionId: z.number().int().positive() }).strict(),
    CASE_WRITERS,
  ),
  /** Saves a new version of the report of an ended hearing (not once it is signed). */
  'hearings.saveReport': method<HearingReportDto>()(
    z
      .object({ sessionId: z.number().int().positive(), content: hearingReportContentSchema })
      .strict(),
    CASE_WRITERS,
  ),
  /**
   * The moderator signs the version they read (`version`), in person: signed in, or with
   * their own username and password. The report is printed and kept for the seal.
   */
  'hearings.signReport': method<HearingReportDto>()(
    z
      .object({
        sessionId: z.number().int().positive(),
        version: z.number().int().positive(),
        confirmation: officerConfirmationSchema.optional(),
      })
      .strict(),
    CASE_WRITERS,
  ),
} as const;

export interface HearingsEvents {
  /** A report was saved or signed. */
  'hearings.reportChanged': { sessionId: number; version: number; signed: boolean };
  /** An entry of a case's hearing procedure was recorded. */
  'hearings.procedureChanged': { caseId: number };
}
export const HEARINGS_EVENTS = events<HearingsEvents>()([
  'hearings.reportChanged',
  'hearings.procedureChanged',
]);
