/**
 * Sealing and sealed bundles (R4, R5.1, R6.3; ARCHITECTURE §5): the input schemas, the DTOs,
 * the methods and the events. Where the copies go, and the 24-hour rule, are ./storage.ts.
 *
 * What the rules ask of this part:
 * - a finished session is sealed into a signed BagIt bag that can be checked by anyone (R4.3);
 * - the bag-info names the case, party, officers, devices, times, place, method and purpose,
 *   and who made it, when and how (R4.2, R5.1), with a retention class (R4.4);
 * - a copy is in the agency's designated storage within 24 hours of the recording's end
 *   (R4.1), and the app shows the deadline, warns before it and alarms after it;
 * - nothing offers to delete or alter a sealed bundle (R4.3, R6.3).
 */
import { z } from 'zod';
import { idSchema, type SessionKind } from '../domain';
import { CASE_WRITERS, events, method } from './define';

// ---------------------------------------------------------------------------------------
// Retention (R4.4)

/**
 * The officer's choice of retention: at least one year for audio/video (004:32), three years
 * with the case file (003:30), or long-term when the party disputes or complains, obstructs
 * or assaults officers, or in a mass or sudden incident (001:18-19), with the reason.
 */
export const RETENTION_CHOICES = ['av-1y', 'case-3y', 'long-term'] as const;
export type RetentionChoice = (typeof RETENTION_CHOICES)[number];

/** Years kept under each standard choice; long-term has no end date. */
export const RETENTION_YEARS: Readonly<Record<Exclude<RetentionChoice, 'long-term'>, number>> = {
  'av-1y': 1,
  'case-3y': 3,
};

// ---------------------------------------------------------------------------------------
// Sealing

const reasonText = z.string().trim().max(500);

export const sealInputSchema = z
  .object({
    /** The session to seal. */
    id: idSchema,
    /** Retention class (R4.4); default by case (see {@link SealCheckDto.defaultRetention}). */
    retention: z
      .object({ choice: z.enum(RETENTION_CHOICES), reason: reasonText.optional() })
      .strict()
      .optional(),
    /** What the record proves (证明对象, R5.1); default by the session's kind. */
    evidentiaryPurpose: z.string().trim().min(2).max(500).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.retention?.choice === 'long-term' && !s.retention.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['retention', 'reason'],
        message: 'long-term retention needs its reason (R4.4)',
      });
    }
  });
export type SealInput = z.output<typeof sealInputSchema>;

/** Why a session cannot be sealed yet. */
export const SEAL_BLOCKERS = [
  'not-ended',
  'sealed',
  'unsigned',
  'refusal-unfinished',
  'hearing-report',
  'no-media',
  'media-open',
  'media-missing',
  'busy',
] as const;
export type SealBlocker = (typeof SEAL_BLOCKERS)[number];

/**
 * What a seal records about the media without refusing it: two consecutive files of a
 * source that do not meet (nothing recorded between them, or the same time in both) beyond
 * the tolerance of their kind. A recording with a gap is still evidence; it says so.
 */
export interface SealWarning {
  code: 'media-gap' | 'media-overlap';
  sourceId: string;
  /** The two files, by segment number. */
  segments: [number, number];
  /** Session time (µs) where it is: the earlier file's end (gap) or the later one's start (overlap). */
  atUs: number;
  /** The later file's start minus the earlier one's end, µs: positive a gap, negative an overlap. */
  deltaUs: number;
  /** What is still counted as meeting, µs. */
  toleranceUs: number;
  /** In English, for the log and the sealed record. */
  detail: string;
}

export interface SealCheckDto {
  sessionId: number;
  ready: boolean;
  /** Each reason the seal is refused now, with an English detail for the log and the tooltip. */
  blockers: { code: SealBlocker; detail: string }[];
  /** What the seal records without refusing it (see {@link SealWarning}). */
  warnings: SealWarning[];
  /**
   * The time-stamping authority the seal will ask for a trusted time (RFC 3161), or null:
   * then the seal's time is only this workstation's clock, and the panel says so.
   */
  timeStampAuthority: string | null;
  defaultRetention: { choice: RetentionChoice; reason: string | null };
  defaultEvidentiaryPurpose: string;
  /** The session's bundle, once sealed. */
  bundleId: number | null;
}

/** A sealed bundle as the app lists it. It has no delete and no edit (R4.3). */
/** A bundle as listed: its path only for those who may copy it (the team, a copy grant). */
export type ListedBundleDto = Omit<BundleDto, 'path'> & { path: string | null };

export interface BundleDto {
  id: number;
  sessionId: number;
  caseId: number;
  caseNo: string;
  sessionKind: SessionKind;
  /** Name of the bag directory, and the bag's id on every storage target. */
  bagName: string;
  bagId: string;
  /** Absolute path of the bag on this workstation. */
  path: string;
  sealedAt: number;
  sealedBy: string;
  /** SHA-512 of tagmanifest-sha512.txt: what the seal signature vouches for. */
  tagManifestSha512: string;
  payloadFiles: number;
  payloadBytes: number;
  eventLog: { head: string; entries: number };
  signer: { subject: string; fingerprintSha256: string };
  timestamp: 'none' | 'ok' | 'failed';
  retention: {
    choice: RetentionChoice;
    class: 'standard' | 'long-term';
    reason: string | null;
    retainUntil: number | null;
  };
  recordedEndAt: number;
  /** recordedEndAt + 24 h (R4.1). */
  deadlineAt: number;
  lastVerification: VerificationSummaryDto | null;
}

// ---------------------------------------------------------------------------------------
// Verification

/**
 * The checks of a verification, in the order the verifier runs and reports them: the one
 * list the verifier, its report and the seal panel are made from.
 */
export const VERIFY_CHECK_IDS = [
  'bagit',
  'payload',
  'payload-oxum',
  'bag-info',
  'tag-manifest',
  'signature',
  'timestamp',
  'event-log',
  'media',
  'pdf',
] as const;
export type VerifyCheckId = (typeof VERIFY_CHECK_IDS)[number];
export type VerifyCheckStatus = 'pass' | 'fail' | 'warn' | 'skipped';

/** The verifier's report (electron/core/features/sealing/bundle-verify.ts), as data. */
export interface VerifyReportDto {
  path: string;
  ok: boolean;
  /** Passed only when every check holds and the signer is trusted (see bundle-verify.ts). */
  verdict: 'passed' | 'failed' | 'signer-unverified';
  checks: Record<VerifyCheckId, VerifyCheckStatus>;
  problems: {
    severity: 'error' | 'warning' | 'notice';
    code: string;
    file: string | null;
    detail: string;
  }[];
  payload: { files: number; bytes: number };
  bagInfo: Record<string, string[]>;
  signature: {
    valid: boolean;
    signer: { subject: string; fingerprintSha256: string } | null;
    signingTime: string | null;
    chainValid: boolean | null;
    trustedBy: 'trust-anchor' | 'register' | 'fingerprint' | 'tag-manifest' | null;
  } | null;
  timestamp: { valid: boolean; genTime: string | null } | null;
  register: { sha256: string | null; cas: number; workstations: number; withdrawn: number } | null;
  eventLog: { file: string; entries: number; checkpoints: number; head: string } | null;
  media: { file: string; durationSeconds: number | null }[];
  pdfs: { file: string; signatures: number; valid: boolean }[];
  /** For a party copy: its source bag, and how many of its files match the source's manifest. */
  copy?: {
    sourceBag: string;
    sourceTagManifestSha512: string;
    files: number;
    identical: number;
    leftOut: string[];
    sourceSigner: { subject: string; fingerprintSha256: string } | null;
  } | null;
}

export interface VerificationSummaryDto {
  at: number;
  by: string | null;
  /** The bag verified and its tag manifest is the one recorded when it was sealed. */
  ok: boolean;
  recordedHashMatches: boolean;
  errors: number;
  warnings: number;
}

export interface BundleVerificationDto extends VerificationSummaryDto {
  bundleId: number;
  report: VerifyReportDto;
  /** The report for people (what `attest verify` prints), in both UI languages. */
  text: { 'zh-CN': string; en: string };
}

// ---------------------------------------------------------------------------------------
// Methods and events

const sessionRef = z.object({ id: idSchema }).strict();

export const sealingMethods = {
  /** Whether the session can be sealed now, and why not; the defaults the seal form offers. */
  'sessions.sealCheck': method<SealCheckDto>()(sessionRef, 'user'),
  /**
   * Seals an ended, signed session into a signed BagIt bag in the archive, atomically; the
   * session becomes `sealed` and a replication job goes to every enabled storage target
   * with the deadline recording end + 24 h (R4.1). Refused twice, or before the end.
   */
  'sessions.seal': method<BundleDto>()(sealInputSchema, CASE_WRITERS),
  /** Sealed bundles, newest first, of a case or a session (or all). */
  'bundles.list': method<ListedBundleDto[]>()(
    z.object({ caseId: idSchema.optional(), sessionId: idSchema.optional() }).strict(),
    'user',
  ),
  /** Verifies a bundle now (as `attest verify` does) and records the result. */
  'bundles.verify': method<BundleVerificationDto>()(
    z.object({ bundleId: idSchema }).strict(),
    'user',
  ),
  /** The latest recorded verification of a bundle, with its report, or null. */
  'bundles.verification': method<BundleVerificationDto | null>()(
    z.object({ bundleId: idSchema }).strict(),
    'user',
  ),
} as const;

export interface SealingEvents {
  /** A session was sealed, or one of its bundles verified. */
  'bundle.changed': { bundleId: number; sessionId: number; caseId: number };
}
export const SEALING_EVENTS = events<SealingEvents>()(['bundle.changed']);
