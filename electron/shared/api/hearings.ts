/**
 * The hearing report (听证报告): after a hearing, its moderator reports what was heard, the
 * facts and evidence as the hearing found them and their opinion on how the case should be
 * decided, for the agency's leader (R2.3). The report is drafted (by the moderator or a clerk
 * for them), signed by the moderator in person, printed as a PDF signed by the workstation, and
 * sealed with the hearing's recording and record.
 */
import { z } from 'zod';
import { officerConfirmationSchema } from '../domain';
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

export const hearingsMethods = {
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
}
export const HEARINGS_EVENTS = events<HearingsEvents>()(['hearings.reportChanged']);
