/**
 * Who may see and copy the evidence (R6.1–R6.3): the case team, access requests and the
 * leader's grants, the classification of sealed files, and party copies with their register.
 * The core checks every read against these (electron/core/features/access); the UI only
 * reflects what the core would allow.
 */
import { z } from 'zod';
import { ID_TYPES, idSchema, instantSchema, type IdType, type Phase } from '../domain';
import { optionalText, text } from '../schema';
import { events, method, SUPERVISORS } from './define';
import type { PdfDto } from './discs';

// ---------------------------------------------------------------------------------------
// Vocabulary

/** 查阅 (view: play back, open files) or 复制 (copy: also discs and exports). */
export const ACCESS_MODES = ['view', 'copy'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** A grant's state, read from the request and the decisions on it at a moment. */
export const GRANT_STATES = ['pending', 'approved', 'refused', 'revoked', 'expired'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

/** 国家秘密 / 商业秘密 / 个人隐私, or none: what stays out of a party copy (R6.2). */
export const CLASSIFICATION_LEVELS = [
  'none',
  'state_secret',
  'commercial_secret',
  'personal_privacy',
] as const;
export type ClassificationLevel = (typeof CLASSIFICATION_LEVELS)[number];

/** Who asks for a party copy: the party, their agent (委托代理人), or its legal representative. */
export const COPY_REQUESTER_ROLES = ['party', 'agent', 'legal_representative'] as const;
export type CopyRequesterRole = (typeof COPY_REQUESTER_ROLES)[number];

export const COPY_DECISIONS = ['granted', 'partly_granted', 'refused'] as const;
export type CopyDecision = (typeof COPY_DECISIONS)[number];

/** The longest a grant may run (days). */
export const MAX_GRANT_DAYS = 365;

// ---------------------------------------------------------------------------------------
// DTOs

/** Why a member belongs to the case team. */
export type TeamBasis = 'case_officer' | 'session_officer' | 'clerk';

export interface TeamMemberDto {
  /** The account, when the member has one. */
  userId: number | null;
  officerId: number | null;
  name: string;
  basis: TeamBasis[];
  /** For session officers: their roles in the sessions (moderator, recorder, …). */
  sessionRoles: string[];
}

/** What the caller may do with a case's records now, and on what basis. */
export interface AccessNowDto {
  view: AccessBasisDto | null;
  copy: AccessBasisDto | null;
  /** When neither is allowed: why, in the words the core refuses with. */
  refusal: string | null;
}

export type AccessBasisDto =
  | { kind: 'team' }
  | { kind: 'grant'; grantId: number; validUntil: number; sessions: number[] | null };

export interface CaseTeamDto {
  caseId: number;
  phase: Phase;
  /** Filed (归档): the team needs a grant too. */
  filed: boolean;
  members: TeamMemberDto[];
  /** The caller's own access to the case. */
  me: AccessNowDto;
  /** Whether the caller may assign and take off clerks. */
  mayAssign: boolean;
  /** Clerk accounts the caller may assign (empty when they may not assign). */
  clerkCandidates: { userId: number; name: string }[];
}

export interface GrantDecisionDto {
  decision: 'approved' | 'refused' | 'revoked';
  opinion: string;
  validUntil: number | null;
  sessions: number[] | null;
  decidedBy: string;
  decidedAt: number;
}

/** An access request and what became of it (the grant, when approved). */
export interface GrantDto {
  id: number;
  caseId: number;
  caseNo: string;
  userId: number;
  requester: string;
  mode: AccessMode;
  /** Asked for: these sessions, or null for every session of the case. */
  sessions: number[] | null;
  purpose: string;
  days: number;
  requestedAt: number;
  state: GrantState;
  /** While approved (or after it expired): the sessions granted and the end. */
  validUntil: number | null;
  grantedSessions: number[] | null;
  decisions: GrantDecisionDto[];
}

export interface FileRefDto {
  bundleId: number;
  /** The bag path, `data/...`. */
  path: string;
}

export interface ClassificationDto {
  level: ClassificationLevel;
  reason: string | null;
  setBy: string;
  setAt: number;
}

export interface BundleFileDto {
  bundleId: number;
  path: string;
  bytes: number;
  sha256: string;
  classification: ClassificationDto | null;
}

export interface PartyCopyDto {
  id: number;
  copyNo: string;
  requestId: number;
  bundleId: number;
  bagName: string;
  /** Where the copy bag is on this workstation. */
  path: string;
  tagManifestSha512: string;
  files: string[];
  leftOut: { path: string; reason: string }[];
  madeBy: string;
  madeAt: number;
}

export interface CopyRequestDto {
  id: number;
  caseId: number;
  caseNo: string;
  partyId: number | null;
  requesterRole: CopyRequesterRole;
  requesterName: string;
  idType: IdType;
  idNumber: string;
  authorization: string | null;
  files: FileRefDto[];
  purpose: string;
  recordedBy: string;
  recordedAt: number;
  decision: {
    decision: CopyDecision;
    /** Each granted file with its classification when the leader decided. */
    files: (FileRefDto & { level: ClassificationLevel })[];
    classified: FileRefDto[];
    opinion: string;
    decidedBy: string;
    decidedAt: number;
  } | null;
  copies: PartyCopyDto[];
}

// ---------------------------------------------------------------------------------------
// Input schemas

const sessionIds = z.array(idSchema).min(1).max(200);
const fileRef = z
  .object({
    bundleId: idSchema,
    path: z
      .string()
      .min(6)
      .max(500)
      .regex(/^data\/[^\0]+$/, 'a bag path under data/')
      .refine((p) => !p.split('/').includes('..'), 'no .. in a bag path'),
  })
  .strict();
const fileRefs = z.array(fileRef).max(1000);

export const accessSchemas = {
  team: z.object({ caseId: idSchema }).strict(),
  assignClerk: z.object({ caseId: idSchema, userId: idSchema }).strict(),
  request: z
    .object({
      caseId: idSchema.optional(),
      /** The case by its exact number (what people type), instead of its id. */
      caseNo: z.string().trim().min(1).max(100).optional(),
      mode: z.enum(ACCESS_MODES),
      /** Absent: every session of the case. */
      sessions: sessionIds.optional(),
      purpose: text(500),
      days: z.number().int().min(1).max(MAX_GRANT_DAYS),
    })
    .strict()
    .refine((r) => (r.caseId === undefined) !== (r.caseNo === undefined), {
      message: 'name the case by its id or its number',
      path: ['caseNo'],
    }),
  decide: z
    .object({
      requestId: idSchema,
      decision: z.enum(['approved', 'refused']),
      opinion: text(1000),
      /** Approved: when the grant ends (not past what was asked for). */
      validUntil: instantSchema.optional(),
      /** Approved: fewer sessions than were asked for. */
      sessions: sessionIds.optional(),
    })
    .strict(),
  revoke: z.object({ requestId: idSchema, opinion: text(1000) }).strict(),
  list: z
    .object({
      /** mine: the caller's requests; pending: awaiting a decision; all: every request. */
      scope: z.enum(['mine', 'pending', 'all']),
      caseId: idSchema.optional(),
    })
    .strict(),
  files: z.object({ bundleId: idSchema }).strict(),
  readFile: fileRef
    .extend({
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      length: z
        .number()
        .int()
        .min(1)
        .max(512 * 1024),
      /** Read under this grant (else the team's right or any grant that covers it). */
      grantId: idSchema.optional(),
    })
    .strict(),
  classify: fileRef.extend({ level: z.enum(CLASSIFICATION_LEVELS), reason: optionalText(500) }),
  copyRequest: z
    .object({
      caseId: idSchema,
      partyId: idSchema.optional(),
      requesterRole: z.enum(COPY_REQUESTER_ROLES),
      requesterName: text(100),
      idType: z.enum(ID_TYPES),
      idNumber: text(50),
      /** An agent's power of attorney (授权委托书) as presented. */
      authorization: optionalText(500),
      files: fileRefs.min(1),
      purpose: text(500),
    })
    .strict()
    .refine((r) => r.requesterRole !== 'agent' || r.authorization !== undefined, {
      message: 'an agent presents a power of attorney (授权委托书)',
      path: ['authorization'],
    }),
  copyDecide: z
    .object({
      requestId: idSchema,
      decision: z.enum(COPY_DECISIONS),
      /** The files granted (a subset of those asked for); empty when refused. */
      files: fileRefs,
      /** Classified files among them that the grant nevertheless releases. */
      classified: fileRefs.default([]),
      opinion: text(1000),
    })
    .strict(),
  copyMake: z.object({ requestId: idSchema }).strict(),
  copyList: z.object({ caseId: idSchema.optional() }).strict(),
  copyRegister: z.object({ caseId: idSchema.optional() }).strict(),
} as const;

export type AccessRequestInput = z.infer<typeof accessSchemas.request>;
export type CopyRequestInput = z.infer<typeof accessSchemas.copyRequest>;
export type CopyDecideInput = z.infer<typeof accessSchemas.copyDecide>;

/**
 * Who may assign clerks: leaders on any case, officers on their own (the core checks the
 * team). Not administrators: an assignment would be their way round the grants.
 */
export const CLERK_ASSIGNERS = ['leader', 'officer', 'moderator'] as const;
/** Who records a party's copy request and makes the copy: the case's clerks and officers. */
export const COPY_CLERKS = ['clerk', 'officer', 'moderator'] as const;
/** Who classifies a sealed file later: the legal-affairs office (and the team when sealing). */
export const CLASSIFIERS = ['legal_reviewer', 'officer', 'moderator', 'clerk'] as const;

export const accessMethods = {
  /** The case team and what the caller may do with the case's records now. */
  'access.team': method<CaseTeamDto>()(accessSchemas.team, 'user'),
  /** Assigns a clerk to the case team (leaders, the case's own officers). */
  'access.assignClerk': method<CaseTeamDto>()(accessSchemas.assignClerk, CLERK_ASSIGNERS),
  /** Takes a clerk off the case team (the assignment stays on record). */
  'access.removeClerk': method<CaseTeamDto>()(accessSchemas.assignClerk, CLERK_ASSIGNERS),
  /** Asks for access to a case's records: view or copy, which sessions, why, how long. */
  'access.request': method<GrantDto>()(accessSchemas.request, 'user'),
  /** The leader (批准人) approves until a moment (possibly fewer sessions) or refuses. */
  'access.decide': method<GrantDto>()(accessSchemas.decide, ['leader']),
  /** The leader ends an approved grant before its time. */
  'access.revoke': method<GrantDto>()(accessSchemas.revoke, ['leader']),
  /** Requests and grants: the caller's own, or (leaders, supervisors) pending or all. */
  'access.list': method<GrantDto[]>()(accessSchemas.list, 'user'),
  /** The files of a sealed bundle with their classification (no content). */
  'bundles.files': method<BundleFileDto[]>()(accessSchemas.files, 'user'),
  /** A piece of a sealed bundle's file: needs the team's right or a grant; audited. */
  'bundles.readFile': method<{ data: string; bytes: number; eof: boolean }>()(
    accessSchemas.readFile,
    'user',
  ),
  /** Classifies a sealed file (国家秘密 / 商业秘密 / 个人隐私 / none); the latest is in force. */
  'bundles.classify': method<BundleFileDto>()(accessSchemas.classify, CLASSIFIERS),
  /** Records a party's (or agent's) request for a copy, with their identity (R6.2). */
  'copies.request': method<CopyRequestDto>()(accessSchemas.copyRequest, COPY_CLERKS),
  /** The leader grants the copy (possibly in part) or refuses it, with an opinion. */
  'copies.decide': method<CopyRequestDto>()(accessSchemas.copyDecide, ['leader']),
  /** Makes the granted copy: one signed, verifiable bag per source bundle. */
  'copies.make': method<CopyRequestDto>()(accessSchemas.copyMake, COPY_CLERKS),
  /** Party copy requests with their decisions and copies (a case's, or every case's). */
  'copies.list': method<CopyRequestDto[]>()(accessSchemas.copyList, 'user'),
  /** The register of copies given out (to whom, when, what, which grant), as a PDF. */
  'copies.register': method<PdfDto>()(accessSchemas.copyRegister, [...SUPERVISORS, 'clerk']),
} as const;

export interface AccessEvents {
  /** A request, decision, revocation, clerk assignment or party copy changed. */
  'access.changed': { caseId: number };
}
export const ACCESS_EVENTS = events<AccessEvents>()(['access.changed']);
