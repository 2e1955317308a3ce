/**
 * The compliance report (合规检查): each applicable rule with its evidence, for a session
 * before it is sealed and for a case before it is filed. The session's is sealed in its bag.
 */
import { z } from 'zod';
import { idSchema } from '../domain';
import type { ComplianceReport } from '../rules/compliance';
import { events, method } from './define';

export const complianceSchemas = {
  session: z.object({ sessionId: idSchema }).strict(),
  case: z.object({ caseId: idSchema }).strict(),
};

export const complianceMethods = {
  'compliance.session': method<ComplianceReport>()(complianceSchemas.session, 'user'),
  'compliance.case': method<ComplianceReport>()(complianceSchemas.case, 'user'),
} as const;

export type ComplianceEvents = Record<never, never>;
export const COMPLIANCE_EVENTS = events<ComplianceEvents>()([]);
