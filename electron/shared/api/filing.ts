/**
 * Filing (立卷归档, R5.2) and retention (R4.4): the filing act over the case file's table of
 * contents, the deadline board of every open case, the long-term proposal and its answer, and
 * the register of every sealed bundle's retention.
 */
import { z } from 'zod';
import { idSchema, instantSchema } from '../domain';
import type { FilingClock } from '../rules/filing';
import type { GroundFact, ProposalState, RetentionClassName } from '../rules/retention';
import { text } from '../schema';
import { handwritingInputSchema } from './signing';
import { CASE_WRITERS, SUPERVISORS, events, method } from './define';
import type { CaseFileEntryDto } from './discs';

export const INCIDENT_KINDS = ['obstruction', 'mass_incident', 'dispute'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const filingSchemas = {
  status: z.object({ caseId: idSchema }).strict(),
  file: z
    .object({
      caseId: idSchema,
      /** The SHA-256 of the table of contents the reviewer read: it must still be the case's. */
      tocSha256: z.string().regex(/^[0-9a-f]{64}$/),
      handwriting: handwritingInputSchema,
    })
    .strict(),
  board: z.object({}).strict(),
  retention: z.object({ caseId: idSchema }).strict(),
  decide: z
    .object({
      caseId: idSchema,
      decision: z.enum(['confirmed', 'declined']),
      reason: text(1000),
    })
    .strict(),
  incident: z
    .object({
      caseId: idSchema,
      kind: z.enum(INCIDENT_KINDS),
      note: text(1000),
      occurredAt: instantSchema,
    })
    .strict(),
  register: z.object({}).strict(),
};

/** Why a case cannot be filed yet, each in words a clerk acts on. */
export interface FilingBlocker {
  code:
    | 'phase'
    | 'not_served'
    | 'no_proof'
    | 'no_decision'
    | 'unsealed_session'
    | 'retention_undecided'
    | 'filed';
  detail: string;
}

export interface FilingStatusDto {
  caseId: number;
  caseNo: string;
  clock: FilingClock;
  filingDays: number;
  blockers: FilingBlocker[];
  /** The table of contents as it stands (what the reviewer signs), and its hash. */
  toc: CaseFileEntryDto[];
  tocSha256: string;
  filing: {
    filedAt: number;
    reviewedBy: string;
    compiledBy: string;
    tocSha256: string;
    pdfSha256: string;
  } | null;
}

export interface FilingBoardRowDto {
  caseId: number;
  caseNo: string;
  cause: string;
  phase: string;
  clock: FilingClock;
  blockers: number;
}

export interface RetentionStatusDto {
  caseId: number;
  grounds: GroundFact[];
  state: ProposalState;
  caseClass: RetentionClassName;
  decisions: {
    decision: 'confirmed' | 'declined';
    reason: string;
    grounds: string[];
    by: string;
    at: number;
  }[];
  incidents: { kind: IncidentKind; note: string; occurredAt: number; by: string }[];
}

export interface RetentionRegisterRowDto {
  bundleId: number;
  bagName: string;
  caseId: number;
  caseNo: string;
  sessionId: number;
  /** The class sealed into the bag. */
  sealedClass: string;
  /** The class that applies now: never shorter than the case file's. */
  effectiveClass: RetentionClassName;
  /** End of retention; null for long-term. */
  retainUntil: number | null;
  recordedEndAt: number;
}

export const filingMethods = {
  /** The case's filing clock, what still blocks filing, and the table of contents. */
  'filing.status': method<FilingStatusDto>()(filingSchemas.status, 'user'),
  /** The filing act: the reviewer signs the table of contents in person; the case is archived. */
  'filing.file': method<FilingStatusDto>()(filingSchemas.file, [
    'clerk',
    'legal_reviewer',
    'leader',
  ]),
  /** Every case not yet filed, with its filing clock. */
  'filing.board': method<FilingBoardRowDto[]>()(filingSchemas.board, 'user'),
  'retention.status': method<RetentionStatusDto>()(filingSchemas.retention, 'user'),
  /** The legal officer confirms or declines the long-term proposal, with a reason. */
  'retention.decide': method<RetentionStatusDto>()(filingSchemas.decide, ['legal_reviewer']),
  /** Records what happened that calls for keeping the case long (obstruction, a mass incident …). */
  'retention.recordIncident': method<RetentionStatusDto>()(filingSchemas.incident, CASE_WRITERS),
  'retention.register': method<RetentionRegisterRowDto[]>()(filingSchemas.register, [
    ...SUPERVISORS,
    'clerk',
  ]),
} as const;

export interface FilingEvents {
  'filing.changed': { caseId: number };
}
export const FILING_EVENTS = events<FilingEvents>()(['filing.changed']);
