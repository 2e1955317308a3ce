/** The append-only, hash-chained audit trail: who did what, when. */
import { z } from 'zod';
import { idSchema, type AuditEventDto } from '../domain';
import { SUPERVISORS, events, method } from './define';
import { empty } from '../schema';

export const auditMethods = {
  /** The audit trail, newest first. */
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
