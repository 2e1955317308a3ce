/**
 * The one API contract between the renderer and the core. Every transport (in-memory,
 * WebSocket, Electron IPC) carries exactly these methods and events; the client type is
 * derived from this map, never written by hand.
 *
 * Each method declares:
 * - `input`: the zod schema every inbound frame is parsed with before a service sees it;
 * - `auth`: `public` (no sign-in), `user` (any signed-in user) or the roles allowed;
 * - `output`: a phantom type for the result (the core is trusted to return it).
 */
import { z } from 'zod';
import {
  APPROVAL_DECISIONS,
  APPROVAL_ROLES,
  DEVICE_KINDS,
  MATTER_KINDS,
  OFFICER_SESSION_ROLES,
  PARTICIPANT_ROLES,
  PHASES,
  SESSION_KINDS,
  USER_ROLES,
  certificateNoSchema,
  idSchema,
  instantSchema,
  originSchema,
  partyInputSchema,
  passwordSchema,
  usernameSchema,
  type AuditEventDto,
  type CaseDetailDto,
  type CaseSummaryDto,
  type DeviceDto,
  type OfficerDto,
  type PartyDto,
  type SessionDto,
  type UserDto,
  type UserRole,
} from './domain';
import { transcriptActionSchema, type TranscriptState } from './transcript';
import {
  signingSchemas,
  type LanPairingDto,
  type PreviewChunkDto,
  type SigningFinishedDto,
  type SigningOpenedDto,
  type SigningStatusDto,
} from './signing';
import {
  abandonSchema,
  faultSchema,
  openSegmentSchema,
  preflightSchema,
  resumeSchema,
  segmentRefSchema,
  mediaReadSchema,
  type MediaReadDto,
  type DiskDto,
  type FragmentDto,
  type OffsetsDto,
  type PreflightDto,
  type RecordingFaultEvent,
  type RecordingStatusDto,
  type RecoverResultDto,
  type SegmentSummaryDto,
  type TimelineEventDto,
} from './recording';
import { SEALING_EVENT_NAMES, sealingMethods, type SealingEvents } from './sealing';
import { DISC_EVENT_NAMES, discMethods, type DiscEvents } from './discs';

export type AuthRequirement = 'public' | 'user' | readonly UserRole[];

export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  auth: AuthRequirement;
  /** Phantom: carries the output type only; never set at run time. */
  output?: O;
}

/** `method<Output>()(inputSchema, auth)`: the input type is inferred from the schema. */
function method<O>() {
  return <I extends z.ZodType>(input: I, auth: AuthRequirement): MethodSpec<I, O> => ({
    input,
    auth,
  });
}

const empty = z.object({}).strict();
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** Roles that conduct cases: may create cases, parties, sessions. */
export const CASE_WRITERS: readonly UserRole[] = ['officer', 'moderator', 'admin'];
/** Roles that may read the case store. Everyone signed in reads; access to media comes later (R6.1). */
export const ANY_SIGNED_IN = 'user' as const;

export interface AppInfo {
  name: string;
  version: string;
  /** True until the first administrator account exists. */
  needsSetup: boolean;
  /** Where the core keeps its data (shown in the about box and `attest doctor`). */
  dataDir: string;
  /** The machine's time zone, recorded with every session (ARCHITECTURE §2). */
  timeZone: string;
  now: number;
}

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
  })
  .strict()
  .superRefine((c, ctx) => {
    if (new Set(c.officerIds).size !== c.officerIds.length) {
      ctx.addIssue({ code: 'custom', path: ['officerIds'], message: 'an officer is listed twice' });
    }
  });
export type CaseCreateInput = z.output<typeof caseCreateSchema>;

export const methods = {
  'app.info': method<AppInfo>()(empty, 'public'),

  /** Creates the first administrator; refused once any user exists. */
  'auth.setup': method<UserDto>()(
    z
      .object({ username: usernameSchema, displayName: text(60), password: passwordSchema })
      .strict(),
    'public',
  ),
  'auth.signIn': method<UserDto>()(
    z
      .object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) })
      .strict(),
    'public',
  ),
  'auth.signOut': method<{ signedOut: true }>()(empty, 'public'),
  'auth.me': method<UserDto | null>()(empty, 'public'),
  'auth.changePassword': method<{ changed: true }>()(
    z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }).strict(),
    'user',
  ),

  'users.list': method<UserDto[]>()(empty, ['admin']),
  'users.create': method<UserDto>()(
    z
      .object({
        username: usernameSchema,
        displayName: text(60),
        password: passwordSchema,
        roles: z.array(z.enum(USER_ROLES)).min(1).max(USER_ROLES.length),
        officerId: idSchema.optional(),
      })
      .strict(),
    ['admin'],
  ),
  'users.setDisabled': method<UserDto>()(
    z.object({ id: idSchema, disabled: z.boolean() }).strict(),
    ['admin'],
  ),

  'officers.list': method<OfficerDto[]>()(
    z.object({ includeInactive: z.boolean().optional() }).strict(),
    'user',
  ),
  'officers.create': method<OfficerDto>()(
    z
      .object({ name: text(60), certificateNo: certificateNoSchema, unit: optionalText(100) })
      .strict(),
    ['admin', 'leader'],
  ),

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
  'cases.assignOfficer': method<CaseDetailDto>()(
    z.object({ caseId: idSchema, officerId: idSchema, lead: z.boolean().optional() }).strict(),
    CASE_WRITERS,
  ),
  /** Records an internal approval as the signed-in user (承办人/审核人/批准人, R1.4). */
  'cases.addApproval': method<CaseDetailDto>()(
    z
      .object({
        caseId: idSchema,
        role: z.enum(APPROVAL_ROLES),
        decision: z.enum(APPROVAL_DECISIONS),
        opinion: text(2000),
      })
      .strict(),
    'user',
  ),

  'sessions.create': method<SessionDto>()(sessionCreateSchema(), CASE_WRITERS),
  'sessions.get': method<SessionDto>()(z.object({ id: idSchema }).strict(), 'user'),

  /** Starts a session: session time 0 is now (the recording clock anchors here). */
  'sessions.start': method<SessionDto>()(z.object({ id: idSchema }).strict(), CASE_WRITERS),
  /** Ends a session; `confirm: true` because stopping is never a slip of the hand. */
  'sessions.end': method<SessionDto>()(
    z
      .object({
        id: idSchema,
        confirm: z.literal(true),
        /**
         * When the recording stopped, on the session clock (ms): the written end time comes
         * from the recording itself (R2.4), not from when the last bytes were saved.
         */
        stoppedAtSessionMs: z.number().int().min(0).optional(),
      })
      .strict(),
    CASE_WRITERS,
  ),

  /**
   * Resumes an interrupted session (R3.5): `reason` is why the recording stopped, as also
   * stated aloud at the start of the new segment. New segments are then opened as usual.
   */
  'sessions.resume': method<SessionDto>()(resumeSchema, CASE_WRITERS),
  /**
   * Ends an interrupted session that cannot resume (R3.5): the written statement and the two
   * or more officers of the session who sign it, each in person (the signed-in officer, the
   * others with their own password in `confirmations`). The end time is when the recording
   * stopped.
   */
  'sessions.abandon': method<SessionDto>()(abandonSchema, CASE_WRITERS),

  /** Free space on the disk of the data directory (pre-flight, R3.6). */
  'system.disk': method<DiskDto>()(empty, 'user'),

  /**
   * Stores what the officer checked before recording (R3.6): each source mapped to a
   * registered, active device number and a role, the disk, the clock. Required before any
   * segment is opened; may be saved again (each confirmation is kept).
   */
  'recording.savePreflight': method<PreflightDto>()(
    z.object({ sessionId: idSchema, preflight: preflightSchema }).strict(),
    CASE_WRITERS,
  ),
  /**
   * Opens the next segment of a source on a recording session: a new file
   * `sessions/<sid>/media/<sourceId>-<segment:000>.mp4`. Its bytes then come as binary media
   * frames (electron/shared/media.ts) from offset 0.
   */
  'recording.openSegment': method<{ segment: number; path: string }>()(
    openSegmentSchema,
    CASE_WRITERS,
  ),
  /** Finishes a segment: writes what is whole, fsyncs, and returns its size and SHA-256. */
  'recording.closeSegment': method<SegmentSummaryDto>()(segmentRefSchema, CASE_WRITERS),
  /** Records a fault the renderer saw (a device lost or back, an encoder error) on the timeline. */
  'recording.fault': method<TimelineEventDto>()(faultSchema, CASE_WRITERS),
  /** Every segment of a session with its bytes, fragments, hash so far and last fsync. */
  'recording.status': method<RecordingStatusDto>()(
    z.object({ sessionId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  /** The measured offsets between sources (first frames on the session clock), kept with the session. */
  'recording.offsets': method<OffsetsDto>()(
    z.object({ sessionId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  /** The journal of one segment: every whole fragment with its offset, size and media time. */
  'recording.fragments': method<FragmentDto[]>()(segmentRefSchema, CASE_WRITERS),
  /** A piece of a segment file, for playback in sync by session time. */
  'recording.read': method<MediaReadDto>()(mediaReadSchema, CASE_WRITERS),
  /** The session's timeline: segments, faults, interruptions, resumptions, in order. */
  'recording.timeline': method<TimelineEventDto[]>()(
    z.object({ sessionId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  /**
   * Recovers segments left open by a core that died (also done at every core start): each
   * file is cut back to its last whole fragment and rehashed, its session marked interrupted.
   */
  'recording.recover': method<RecoverResultDto>()(empty, CASE_WRITERS),

  'transcripts.get': method<{ seq: number; state: TranscriptState }>()(
    z.object({ sessionId: idSchema }).strict(),
    'user',
  ),
  /**
   * Appends edits to a session's transcript. `baseSeq` is the last sequence the client saw;
   * the reply is the new one. Refused (CONFLICT) if another writer moved it on meanwhile.
   */
  'transcripts.apply': method<{ seq: number }>()(
    z
      .object({
        sessionId: idSchema,
        baseSeq: z.number().int().min(0),
        actions: z.array(transcriptActionSchema).min(1).max(200),
      })
      .strict(),
    CASE_WRITERS,
  ),

  'devices.list': method<DeviceDto[]>()(
    z.object({ includeInactive: z.boolean().optional() }).strict(),
    'user',
  ),
  /** Registers a camera or microphone under its 设备编号 (R3.6). */
  'devices.register': method<DeviceDto>()(
    z
      .object({
        deviceNo: z
          .string()
          .trim()
          .min(2)
          .max(32)
          .regex(/^[A-Za-z0-9-]+$/),
        kind: z.enum(DEVICE_KINDS),
        label: text(100),
        model: optionalText(100),
        serial: optionalText(100),
        room: optionalText(60),
      })
      .strict(),
    ['admin', 'clerk'],
  ),
  'devices.setActive': method<DeviceDto>()(
    z.object({ id: idSchema, active: z.boolean() }).strict(),
    ['admin', 'clerk'],
  ),

  /** The append-only audit trail (who, when, what), newest first. */
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
  /** Re-computes the audit hash chain; `ok: false` names the first broken entry. */
  'audit.verifyChain': method<{ ok: boolean; count: number; brokenAt: number | null }>()(empty, [
    'admin',
    'leader',
    'legal_reviewer',
  ]),

  // Review and signing of the transcript (electron/shared/signing.ts; R2.2, R2.4, R3.1).
  // Methods marked `public` are reached by the party's signing page, which is not signed
  // in: the core checks the signing's `token` (or, without one, a signed-in officer).

  /**
   * Opens the signing of a session whose recording has ended: freezes the transcript (the
   * text the party reviews) and lays it out as it will print. Returns the party page's
   * token; opening again returns the signing already open.
   */
  'signing.open': method<SigningOpenedDto>()(signingSchemas.open, CASE_WRITERS),
  /** The session's latest signing (with its token while open), or null. */
  'signing.ofSession': method<SigningOpenedDto | SigningStatusDto | null>()(
    signingSchemas.ofSession,
    CASE_WRITERS,
  ),
  'signing.status': method<SigningStatusDto>()(signingSchemas.status, 'public'),
  /** The unsigned preview PDF (pages as printed, slots empty) from `offset`, 384 KiB a piece. */
  'signing.preview': method<PreviewChunkDto>()(signingSchemas.preview, 'public'),
  /** The party saw a page (recorded with its time; every page is seen before signing). */
  'signing.viewPage': method<SigningStatusDto>()(signingSchemas.viewPage, 'public'),
  /** Takes in the clerk's changes after the review: a new version, the changes as corrections. */
  'signing.refresh': method<SigningStatusDto>()(signingSchemas.refresh, CASE_WRITERS),
  /** The party's initials at a correction (the digital fingerprint at the change, R2.2). */
  'signing.confirmCorrection': method<SigningStatusDto>()(
    signingSchemas.confirmCorrection,
    'public',
  ),
  /** The party's signature and date on one page. */
  'signing.signPage': method<SigningStatusDto>()(signingSchemas.signPage, 'public'),
  /** The seam signature: one signature, cut into one strip per page. */
  'signing.seam': method<SigningStatusDto>()(signingSchemas.seam, 'public'),
  /** The handwritten closing statement (以上笔录我看过，和我说的相符). */
  'signing.closingStatement': method<SigningStatusDto>()(signingSchemas.closingStatement, 'public'),
  /**
   * An officer of the session signs; two or more sign. At the desk only as themselves
   * (their own sign-in or their own password); on the tablet only when the desk armed it.
   */
  'signing.officer': method<SigningStatusDto>()(signingSchemas.officer, 'public'),
  /** The officer at the desk lets the tablet take their own signature, once, for two minutes. */
  'signing.armOfficer': method<SigningStatusDto>()(signingSchemas.armOfficer, CASE_WRITERS),
  'signing.disarmOfficer': method<SigningStatusDto>()(signingSchemas.disarmOfficer, CASE_WRITERS),
  /**
   * Pairs a tablet on the LAN: the workstation serves the signing page (and nothing else)
   * over HTTPS; the tablet types the code, its user checks the certificate fingerprint.
   */
  'signing.lanPair': method<LanPairingDto>()(signingSchemas.lanPair, CASE_WRITERS),
  'signing.lanUnpair': method<{ tablets: number }>()(signingSchemas.lanUnpair, CASE_WRITERS),
  /** The party refuses to sign: the reason on the record, a refusal marker on the timeline. */
  'signing.refuse': method<SigningStatusDto>()(signingSchemas.refuse, CASE_WRITERS),
  /** Renders, signs (PAdES) and stores the record beside the session's media. */
  'signing.finish': method<SigningFinishedDto>()(signingSchemas.finish, CASE_WRITERS),

  // Sealing, bundles, replication and storage targets (electron/shared/sealing.ts; R4, R5.1).
  ...sealingMethods,

  // Evidence discs and the case file index (electron/shared/discs.ts; R5.1, R5.2).
  ...discMethods,
} as const;

function sessionCreateSchema() {
  return z
    .object({
      caseId: idSchema,
      kind: z.enum(SESSION_KINDS),
      place: text(200),
      room: optionalText(60),
      scheduledAt: instantSchema.optional(),
      officers: z
        .array(z.object({ officerId: idSchema, role: z.enum(OFFICER_SESSION_ROLES) }).strict())
        .min(1)
        .max(10),
      participants: z
        .array(
          z
            .object({
              role: z.enum(PARTICIPANT_ROLES),
              partyId: idSchema.optional(),
              name: text(60),
            })
            .strict(),
        )
        .max(30),
    })
    .strict()
    .superRefine((s, ctx) => {
      const ids = s.officers.map((o) => o.officerId);
      if (new Set(ids).size !== ids.length) {
        ctx.addIssue({ code: 'custom', path: ['officers'], message: 'an officer is listed twice' });
      }
    });
}
export type SessionCreateInput = z.output<ReturnType<typeof sessionCreateSchema>>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsed<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> =
  Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

// ---------------------------------------------------------------------------------------
// Events pushed from the core to every connected client.

/** Sealing and replication events are declared in ./sealing.ts. */
export interface Events extends SealingEvents, DiscEvents {
  /** A case or anything under it changed. */
  'case.changed': { caseId: number };
  'device.changed': { deviceId: number };
  /** The signed-in state of this connection changed (sign-in, sign-out, account disabled). */
  'auth.changed': { userId: number | null };
  /** A session's transcript has a new sequence number. */
  'transcript.changed': { sessionId: number; seq: number };
  /** A session's segments moved on (at most once a second per session while media flows). */
  'recording.status': RecordingStatusDto;
  /** A fault on a session's recording: reported by the renderer or detected by the core. */
  'recording.fault': RecordingFaultEvent;
  /** A signing moved on (an act, a refresh, a refusal, the finish): re-read its status. */
  'signing.changed': { signingId: number; sessionId: number; version: number };
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = [
  'case.changed',
  'device.changed',
  'auth.changed',
  'transcript.changed',
  'recording.status',
  'recording.fault',
  'signing.changed',
  ...SEALING_EVENT_NAMES,
  ...DISC_EVENT_NAMES,
];
