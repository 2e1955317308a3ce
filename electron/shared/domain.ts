/**
 * Domain vocabulary of the case store (rules R1, R3.6 in shared/regulations/README.md).
 * Keys are stable English identifiers stored in the database; the renderer shows them in
 * zh-CN or English through i18n. Order matters where it is a sequence (phases).
 */
import { z } from 'zod';
import { isValidResidentId, isValidUscc, residentIdFacts } from './validators';
import { optionalText, text } from './schema';

/** 案件阶段: initiation → investigation → review/decision → service/execution → archiving (R1.1). */
export const PHASES = ['initiation', 'investigation', 'review', 'service', 'archiving'] as const;
export type Phase = (typeof PHASES)[number];

/** Kind of administrative matter (处罚/检查/许可/强制/征收/确认/给付/裁决/其他). */
export const MATTER_KINDS = [
  'penalty',
  'inspection',
  'licensing',
  'coercion',
  'levy',
  'confirmation',
  'payment',
  'adjudication',
  'other',
] as const;
export type MatterKind = (typeof MATTER_KINDS)[number];

/** How the case started (R1.2): ex officio (依职权), on application (依申请), complaint/report (投诉举报), referral (移送). */
export const ORIGIN_KINDS = ['ex_officio', 'application', 'complaint', 'referral'] as const;
export type OriginKind = (typeof ORIGIN_KINDS)[number];

/** Sessions of a case: interview 询问, hearing 听证, summons talk 约谈, on-site inspection 现场检查. */
export const SESSION_KINDS = ['interview', 'hearing', 'summons', 'inspection'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** Session kinds that need at least two officers present (R1.3, 000:7). */
export const SESSION_KINDS_NEEDING_TWO_OFFICERS: readonly SessionKind[] = [
  'interview',
  'summons',
  'inspection',
  'hearing',
];

/**
 * `interrupted`: the recording stopped unexpectedly (the core died, the disk reached its floor,
 * the writing client went away); it goes back to `recording` with a stated reason, or is
 * ended with a written statement signed by two officers (R3.5).
 */
export const SESSION_STATUSES = ['planned', 'recording', 'interrupted', 'ended', 'sealed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Roles of people other than the officers in a session (the hearing roles among them). */
export const PARTICIPANT_ROLES = [
  'party', // 当事人
  'agent', // 委托代理人
  'legal_representative', // 法定代表人
  'witness', // 证人
  'third_party', // 第三人
  'interpreter', // 翻译人员
  'attesting_witness', // 见证人 (an on-site inspection's)
  'other',
] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** An agent's authority (代理权限), as the power of attorney (授权委托书) states it. */
export const AGENT_AUTHORITIES = [
  'general', // 一般代理
  'special', // 特别授权
] as const;
export type AgentAuthority = (typeof AGENT_AUTHORITIES)[number];

/** Roles of officers in a session. */
export const OFFICER_SESSION_ROLES = [
  'interviewer',
  'recorder',
  'moderator',
  'investigator',
  'hearing_officer', // 听证员: sits with the moderator at a hearing
] as const;
export type OfficerSessionRole = (typeof OFFICER_SESSION_ROLES)[number];

/** Internal approval roles (R1.4): 承办人 / 审核人 / 批准人. */
export const APPROVAL_ROLES = ['handler', 'reviewer', 'approver'] as const;
export type ApprovalRole = (typeof APPROVAL_ROLES)[number];

/** Who gives each internal approval opinion (R1.4): the handler, the legal reviewer, the leader. */
export const APPROVAL_ROLE_HOLDERS: Readonly<Record<ApprovalRole, readonly UserRole[]>> = {
  handler: ['officer', 'moderator'],
  reviewer: ['legal_reviewer', 'leader'],
  approver: ['leader'],
};

export const APPROVAL_DECISIONS = ['agree', 'disagree', 'return'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** 性别, as the record prints it. */
export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

export const PARTY_KINDS = ['person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const ID_TYPES = [
  'resident_id', // 居民身份证
  'passport', // 护照
  'hk_macao_permit', // 港澳居民来往内地通行证
  'taiwan_permit', // 台湾居民来往大陆通行证
  'uscc', // 统一社会信用代码
  'other',
] as const;
export type IdType = (typeof ID_TYPES)[number];

/** User roles of the workstation. */
export const USER_ROLES = [
  'officer', // 执法人员
  'moderator', // 听证主持人
  'clerk', // 书记员/档案员
  'legal_reviewer', // 法制审核人员
  'leader', // 负责人
  'admin', // 系统管理员
] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const DEVICE_KINDS = ['camera', 'microphone'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

// ---------------------------------------------------------------------------------------
// Input building blocks

export const idSchema = z.number().int().positive();
/** UTC instant in milliseconds since the epoch. */
export const instantSchema = z.number().int().min(0).max(8_640_000_000_000_000);

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
/** Passwords: at least 10 characters; no other composition rules (NIST SP 800-63B). */
export const passwordSchema = z.string().min(10).max(256);

/**
 * An officer's own confirmation of an act done in their name at a desk where someone else
 * is signed in (a co-signature, R2.2, R3.5): that officer types their own username and
 * password. The core checks them like a sign-in (same lockout, same audit of failures) and
 * that the account is the named officer's. Never stored, never logged.
 */
export const officerConfirmationSchema = z
  .object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();
export type OfficerConfirmation = z.output<typeof officerConfirmationSchema>;

/** How the core established that an officer took part in an act themselves. */
export type OfficerPresence = 'signed_in' | 'password';

/** 执法证号: the enforcement certificate number printed on the officer's card. */
export const certificateNoSchema = z
  .string()
  .trim()
  .min(4)
  .max(32)
  .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only');

export const partyInputSchema = z
  .object({
    kind: z.enum(PARTY_KINDS),
    name: text(100),
    idType: z.enum(ID_TYPES),
    idNumber: text(40),
    address: optionalText(200),
    contact: optionalText(60),
    /** For organisations: 法定代表人 (legal representative). */
    legalRepresentative: optionalText(60),
    /** For persons (a resident identity number gives sex and date of birth when left out). */
    gender: z.enum(GENDERS).optional(),
    /** Date of birth, YYYY-MM-DD. */
    birthDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .refine((d) => {
        const t = Date.parse(`${d}T00:00:00Z`);
        return Number.isFinite(t) && new Date(t).toISOString().startsWith(d) && d >= '1900-01-01';
      }, 'not a date')
      .optional(),
    /** 民族, e.g. 汉族. */
    ethnicity: optionalText(20),
    /** 工作单位. */
    employer: optionalText(100),
    /** 职务. */
    position: optionalText(60),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.kind === 'organisation') {
      for (const field of ['gender', 'birthDate', 'ethnicity'] as const) {
        if (p[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'a person’s particular' });
        }
      }
    }
    if (p.birthDate !== undefined && p.birthDate > new Date().toISOString().slice(0, 10)) {
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'a date to come' });
    }
    if (p.idType === 'resident_id' && isValidResidentId(p.idNumber)) {
      // What the number says and what was typed must agree.
      const facts = residentIdFacts(p.idNumber);
      if (p.gender !== undefined && p.gender !== facts.gender) {
        ctx.addIssue({
          code: 'custom',
          path: ['gender'],
          message: 'the resident identity number says otherwise',
        });
      }
      if (p.birthDate !== undefined && p.birthDate !== facts.birthDate) {
        ctx.addIssue({
          code: 'custom',
          path: ['birthDate'],
          message: 'the resident identity number says otherwise',
        });
      }
    }
    if (p.idType === 'resident_id' && !isValidResidentId(p.idNumber)) {
      ctx.addIssue({
        code: 'custom',
        path: ['idNumber'],
        message: 'not a valid resident identity number',
      });
    }
    if (p.idType === 'uscc' && !isValidUscc(p.idNumber)) {
      ctx.addIssue({
        code: 'custom',
        path: ['idNumber'],
        message: 'not a valid unified social credit code',
      });
    }
    if (p.kind === 'organisation' && p.idType === 'resident_id') {
      ctx.addIssue({
        code: 'custom',
        path: ['idType'],
        message: 'an organisation is identified by its credit code',
      });
    }
  });
export type PartyInput = z.input<typeof partyInputSchema>;
/** A person's particulars as a party record holds them (a participant who is not a party). */
export type PersonParticulars = z.output<typeof partyInputSchema>;

export const originSchema = z
  .object({
    kind: z.enum(ORIGIN_KINDS),
    /** 案件来源: e.g. 日常巡查, 上级交办, the application or complaint reference. */
    source: optionalText(200),
    /** 立案理由 / 申请事项 / 投诉内容. */
    reason: optionalText(2000),
    /** Complainant for complaints and reports (R1.2). */
    complainant: optionalText(100),
    receivedAt: instantSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.kind === 'complaint' && !o.complainant) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant'],
        message: 'a complaint records the complainant',
      });
    }
    if (!o.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'the reason is required' });
    }
  });

// ---------------------------------------------------------------------------------------
// DTOs returned by the core (plain JSON)

export interface UserDto {
  id: number;
  username: string;
  displayName: string;
  roles: UserRole[];
  officerId: number | null;
  disabled: boolean;
  createdAt: number;
}

export interface OfficerDto {
  id: number;
  name: string;
  certificateNo: string;
  unit: string | null;
  userId: number | null;
  active: boolean;
}

export interface PartyDto {
  id: number;
  caseId: number;
  kind: PartyKind;
  name: string;
  idType: IdType;
  idNumber: string;
  address: string | null;
  contact: string | null;
  legalRepresentative: string | null;
  gender: Gender | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  ethnicity: string | null;
  employer: string | null;
  position: string | null;
}

export interface ApprovalDto {
  id: number;
  caseId: number;
  role: ApprovalRole;
  userId: number;
  userName: string;
  decision: ApprovalDecision;
  opinion: string;
  decidedAt: number;
}

export interface SessionParticipantDto {
  role: ParticipantRole;
  partyId: number | null;
  name: string;
  /** An agent's authority (代理权限) and power of attorney (授权委托书), as stated. */
  authority?: AgentAuthority;
  mandate?: string;
  /** The particulars of one who is not a party of the case (a witness questioned). */
  particulars?: PersonParticulars;
}

export interface SessionOfficerDto {
  officerId: number;
  name: string;
  certificateNo: string;
  role: OfficerSessionRole;
}

export interface SessionDto {
  id: number;
  caseId: number;
  kind: SessionKind;
  status: SessionStatus;
  place: string;
  room: string | null;
  /** An inspection's objects and items (检查对象及项目), when it names them. */
  subject?: string;
  scheduledAt: number | null;
  /** UTC ms of session time 0 (the start of the recording), and of its end (R2.4). */
  startedAt: number | null;
  endedAt: number | null;
  /** The machine's IANA time zone when the session started. */
  timeZone: string | null;
  /** The A/V matters list's version and what it asked when the session started (R3.2). */
  avList?: { version: number; requirement: 'whole' | 'record' };
  officers: SessionOfficerDto[];
  participants: SessionParticipantDto[];
  createdAt: number;
}

export interface CaseOriginDto {
  kind: OriginKind;
  source: string | null;
  reason: string | null;
  complainant: string | null;
  receivedAt: number | null;
}

export interface CaseSummaryDto {
  id: number;
  caseNo: string;
  cause: string;
  matterKind: MatterKind;
  phase: Phase;
  originKind: OriginKind;
  partyNames: string[];
  sessionCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface CaseOfficerDto {
  officerId: number;
  name: string;
  certificateNo: string;
  lead: boolean;
}

export interface CaseDetailDto extends Omit<CaseSummaryDto, 'partyNames' | 'sessionCount'> {
  origin: CaseOriginDto;
  parties: PartyDto[];
  officers: CaseOfficerDto[];
  /** 紧急情况先行立案: the reason, when the case started so (reported within 24 h). */
  emergency: string | null;
  sessions: SessionDto[];
}

/** What a source shows or hears in the room (a device's registered 用途). */
export const SOURCE_ROLES = [
  'interviewee_closeup',
  'room_wide',
  'desk_document',
  'hearing_bench',
  'ambient',
  'other',
] as const;
export type SourceRole = (typeof SOURCE_ROLES)[number];

export interface DeviceDto {
  id: number;
  deviceNo: string;
  kind: DeviceKind;
  label: string;
  /** What it is set up to show or hear (用途), which the pre-flight check proposes. */
  role: SourceRole | null;
  model: string | null;
  serial: string | null;
  room: string | null;
  active: boolean;
  registeredAt: number;
}

export interface AuditEventDto {
  seq: number;
  at: number;
  /** The account that acted (null: the system, or the party at the signing page). */
  actorUserId: number | null;
  actor: string | null;
  action: string;
  entity: string;
  entityId: number | null;
  /** The case the act concerns, when it concerns one. */
  caseId: number | null;
  data: unknown;
  hash: string;
}
