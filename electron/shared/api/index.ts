/**
 * The one API contract between the renderer and the core, combined from one file per
 * feature. Every transport (in-memory, WebSocket, Electron IPC) carries exactly these
 * methods and events; the client type, the core's handler table and the UI's permission
 * checks are derived from this map, never written by hand.
 *
 * Each method declares (./define.ts):
 * - `input`: the zod schema every inbound frame is parsed with before a handler sees it;
 * - `auth`: `public` (no sign-in), `user` (any signed-in user) or the roles allowed;
 * - `output`: a phantom type for the result (the core is trusted to return it).
 */
import type { z } from 'zod';
import { ACCESS_EVENTS, accessMethods, type AccessEvents } from './access';
import { APP_EVENTS, appMethods, type AppEvents } from './app';
import { COMPLIANCE_EVENTS, complianceMethods, type ComplianceEvents } from './compliance';
import { GUIDE_EVENTS, guideMethods, type GuideEvents } from './guide';
import { STATISTICS_EVENTS, statisticsMethods, type StatisticsEvents } from './statistics';
import { LIVE_EVENTS, liveMethods, type LiveEvents } from './live';
import { APPROVALS_EVENTS, approvalsMethods, type ApprovalsEvents } from './approvals';
import { DOCUMENTS_EVENTS, documentsMethods, type DocumentsEvents } from './documents';
import { FILING_EVENTS, filingMethods, type FilingEvents } from './filing';
import { INITIATION_EVENTS, initiationMethods, type InitiationEvents } from './initiation';
import { AUDIT_EVENTS, auditMethods, type AuditEvents } from './audit';
import { CASES_EVENTS, casesMethods, type CasesEvents } from './cases';
import { DISC_EVENTS, discMethods, type DiscEvents } from './discs';
import { HEARINGS_EVENTS, hearingsMethods, type HearingsEvents } from './hearings';
import type { MethodSpec } from './define';
import { RECORDING_EVENTS, recordingMethods, type RecordingEvents } from './recording';
import { REGISTERS_EVENTS, registersMethods, type RegistersEvents } from './registers';
import { SEALING_EVENTS, sealingMethods, type SealingEvents } from './sealing';
import { SESSIONS_EVENTS, sessionsMethods, type SessionsEvents } from './sessions';
import { SIGNING_EVENTS, signingMethods, type SigningEvents } from './signing';
import { STORAGE_EVENTS, storageMethods, type StorageEvents } from './storage';
import { TRUST_EVENTS, trustMethods, type TrustEvents } from './trust';
import { TRANSCRIPT_EVENTS, transcriptMethods, type TranscriptEvents } from './transcript';
import { USERS_EVENTS, usersMethods, type UsersEvents } from './users';

export type { AuthRequirement, MethodSpec } from './define';
export { ADMINS, CASE_WRITERS, REGISTER_KEEPERS, SUPERVISORS } from './define';
export type { AppInfo } from './app';
export { caseCreateSchema, type CaseCreateInput } from './cases';
export { sessionCreateSchema, type SessionCreateInput } from './sessions';

export const methods = {
  ...appMethods,
  ...usersMethods,
  ...registersMethods,
  ...casesMethods,
  ...sessionsMethods,
  ...recordingMethods,
  ...transcriptMethods,
  ...signingMethods,
  ...sealingMethods,
  ...storageMethods,
  ...discMethods,
  ...auditMethods,
  ...trustMethods,
  ...accessMethods,
  ...hearingsMethods,
  ...initiationMethods,
  ...approvalsMethods,
  ...documentsMethods,
  ...filingMethods,
  ...complianceMethods,
  ...guideMethods,
  ...statisticsMethods,
  ...liveMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsed<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> =
  Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

/** Events pushed from the core to every connected client. */
export interface Events
  extends
    AppEvents,
    UsersEvents,
    RegistersEvents,
    CasesEvents,
    SessionsEvents,
    RecordingEvents,
    TranscriptEvents,
    SigningEvents,
    SealingEvents,
    StorageEvents,
    DiscEvents,
    AuditEvents,
    TrustEvents,
    AccessEvents,
    HearingsEvents,
    InitiationEvents,
    ApprovalsEvents,
    DocumentsEvents,
    FilingEvents,
    ComplianceEvents,
    GuideEvents,
    StatisticsEvents,
    LiveEvents {}
export type EventName = keyof Events;

/** Every event name, once: a name missing from a feature's list fails to compile here. */
export const EVENT_NAMES = [
  ...APP_EVENTS,
  ...USERS_EVENTS,
  ...REGISTERS_EVENTS,
  ...CASES_EVENTS,
  ...SESSIONS_EVENTS,
  ...RECORDING_EVENTS,
  ...TRANSCRIPT_EVENTS,
  ...SIGNING_EVENTS,
  ...SEALING_EVENTS,
  ...STORAGE_EVENTS,
  ...DISC_EVENTS,
  ...AUDIT_EVENTS,
  ...TRUST_EVENTS,
  ...ACCESS_EVENTS,
  ...HEARINGS_EVENTS,
  ...INITIATION_EVENTS,
  ...APPROVALS_EVENTS,
  ...DOCUMENTS_EVENTS,
  ...FILING_EVENTS,
  ...COMPLIANCE_EVENTS,
  ...GUIDE_EVENTS,
  ...STATISTICS_EVENTS,
  ...LIVE_EVENTS,
] as const satisfies readonly EventName[];

type Missing = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
/** Compile-time check: `Missing` is `never` when every event is listed. */
export const EVENT_NAMES_COMPLETE: [Missing] extends [never] ? true : Missing = true;
