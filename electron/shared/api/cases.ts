/** Cases (案件): their phases, parties, officers and internal approvals (R1). */
import { z } from 'zod';
import {
  MATTER_KINDS,
  PHASES,
  idSchema,
  originSchema,
  partyInputSchema,
  type CaseDetailDto,
  type CaseSummaryDto,
  type PartyDto,
} from '../domain';
import { optionalText, text } from '../schema';
import { CASE_WRITERS, events, method } from './define';

export const caseCreateSchema = z
  .object({
    /** 案件编号, e.g. 石人防罚〔2026〕12号; unique. */
    caseNo: text(60),
    /** 案由. */
    cause: text(200),
    matterKind: z.enum(MATTER_KINDS),
    origin: originSchema,
    /** Officers handling the case (at least two, R1.3); the first is the lead. */
    officerIds: z.array(idSchema).min(2).max(10),
    parties: z.array(partyInputSchema).max(20).optional(),
    /**
     * 紧急情况先行立案: why the case started before the usual approval; it is reported within
     * 24 hours (R1.2).
     */
    emergency: optionalText(500),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (new Set(c.officerIds).size !== c.officerIds.length) {
      ctx.addIssue({ code: 'custom', path: ['officerIds'], message: 'an officer is listed twice' });
    }
  });
export type CaseCreateInput = z.output<typeof caseCreateSchema>;

export const casesMethods = {
  'cases.list': method<{ items: CaseSummaryDto[]; total: number }>()(
    z
      .object({
        query: z.string().trim().max(100).optional(),
        phase: z.enum(PHASES).optional(),
        matterKind: z.enum(MATTER_KINDS).optional(),
        limit: z.number().int().min(1).max(200).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    'user',
  ),
  'cases.get': method<CaseDetailDto>()(z.object({ id: idSchema }).strict(), 'user'),
  'cases.create': method<CaseDetailDto>()(caseCreateSchema, CASE_WRITERS),
  'cases.advancePhase': method<CaseDetailDto>()(
    z.object({ id: idSchema, to: z.enum(PHASES), note: optionalText(500) }).strict(),
    CASE_WRITERS,
  ),
  'cases.addParty': method<PartyDto>()(
    z.object({ caseId: idSchema, party: partyInputSchema }).strict(),
    CASE_WRITERS,
  ),
  /** Completes or corrects a party's details at the desk (audited, field by field). */
  'cases.updateParty': method<PartyDto>()(
    z
      .object({
        caseId: idSchema,
        partyId: idSchema,
        party: partyInputSchema,
        /**
         * Why the name or identity document changes: required once a record naming the
         * party has been written (its header printed them as they were).
         */
        reason: optionalText(500),
      })
      .strict(),
    CASE_WRITERS,
  ),
  'cases.assignOfficer': method<CaseDetailDto>()(
    z.object({ caseId: idSchema, officerId: idSchema, lead: z.boolean().optional() }).strict(),
    CASE_WRITERS,
  ),
} as const;

export interface CasesEvents {
  /** A case or anything under it changed. */
  'case.changed': { caseId: number };
}
export const CASES_EVENTS = events<CasesEvents>()(['case.changed']);
