/** The append-only, hash-chained audit trail: who did what, when. */
import { z } from 'zod';
import { idSchema, instantSchema, type AuditEventDto } from '../domain';
import { AUDIT_KINDS } from '../audit-actions';
import { SUPERVISORS, events, method } from './define';
import { empty } from '../schema';

/** What the audit viewer filters by (each optional; all of them together narrow). */
const auditFilter = z
  .object({
    caseId: idSchema.optional(),
    /** The case by its number, exactly (what people type); NOT_FOUND when there is none. */
    caseNo: z.string().trim().min(1).max(100).optional(),
    actorUserId: idSchema.optional(),
    kind: z.enum(AUDIT_KINDS).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
  })
  .strict();

export interface AuditPageDto {
  /** Newest first. */
  entries: AuditEventDto[];
  /** Pass as `before` for the next page; null at the end of the trail. */
  next: number | null;
  /** The case number of each case the page's entries concern. */
  caseNos: Record<number, string>;
  /** The case the filter named (by id or number), for what is asked next of it. */
  caseId: number | null;
}

export const auditMethods = {
  /** The audit viewer: the trail filtered, newest first, a page at a time. */
  'audit.search': method<AuditPageDto>()(
    auditFilter.extend({
      before: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(500),
    }),
    SUPERVISORS,
  ),
  /** The accounts the viewer can filter by (every account, disabled ones too). */
  'audit.people': method<{ id: number; displayName: string }[]>()(empty, SUPERVISORS),
  /**
   * The filtered trail as CSV (UTF-8 with a byte-order mark, for spreadsheets), at most
   * 100,000 entries, newest first; the export is itself an audit entry.
   */
  'audit.csv': method<{ fileName: string; csv: string; rows: number; truncated: boolean }>()(
    auditFilter,
    SUPERVISORS,
  ),
  /**
   * The case's audit report: every entry about the case, oldest first, with the chain's
   * check, as a PDF signed by the workstation (base64); the report is itself audited.
   */
  'audit.caseReport': method<{ fileName: string; data: string; entries: number }>()(
    z.object({ caseId: idSchema }).strict(),
    SUPERVISORS,
  ),
  /**
   * The audit trail, newest first: a case's history. Supervisors see every entry; anyone else
   * the entries of the cases whose team they are on, and their own acts.
   */
  'audit.list': method<AuditEventDto[]>()(
    z
      .object({
        entity: z.string().max(32).optional(),
        entityId: idSchema.optional(),
        caseId: idSchema.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    'user',
  ),
  /**
   * Re-computes the audit hash chain and checks it against every signed head anchored
   * outside the database; `ok: false` names the first broken entry and each anchor the
   * trail no longer agrees with.
   */
  'audit.verifyChain': method<{
    ok: boolean;
    count: number;
    brokenAt: number | null;
    anchors: number;
    problems: string[];
  }>()(empty, SUPERVISORS),
} as const;

export type AuditEvents = Record<never, never>;
export const AUDIT_EVENTS = events<AuditEvents>()([]);
