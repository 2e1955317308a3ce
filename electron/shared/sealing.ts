/**
 * Sealing, sealed bundles and their replication, as the contract carries them (issue 4; R4,
 * R5.1, R6.3; ARCHITECTURE §5, §6): the input schemas, the DTOs, the methods (spread into
 * the contract's method map) and the events (merged into its event map).
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
import type { MethodSpec, AuthRequirement } from './contract';
import { idSchema, type SessionKind, type UserRole } from './domain';
import {
  TARGET_KINDS,
  storageConfigSchemas,
  storageSecretSchemas,
  type StorageTargetKind,
} from './storage';

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
// The 24-hour rule (R4.1)

/** A copy must be in designated storage within this long after the recording ends. */
export const STORAGE_DEADLINE_HOURS = 24;
/** The UI warns (amber) this long before the deadline. */
export const DEADLINE_WARN_WITHIN_MS = 4 * 60 * 60 * 1000;

export type DeadlineStatus = 'ok' | 'warn' | 'overdue';

/**
 * Where a copy stands against the deadline: `ok` (stored in time, or time left), `warn` (not
 * stored and the deadline within {@link DEADLINE_WARN_WITHIN_MS}), `overdue` (not stored
 * and past it, or stored after it: lateness stays on the record). The core's replication
 * queue computes the same; the UI uses this to keep its countdown ticking between pushes.
 */
export function deadlineStatusAt(
  deadlineAt: number,
  verifiedAt: number | null,
  now: number,
  warnWithinMs = DEADLINE_WARN_WITHIN_MS,
): DeadlineStatus {
  if (verifiedAt !== null) return verifiedAt <= deadlineAt ? 'ok' : 'overdue';
  if (now > deadlineAt) return 'overdue';
  return deadlineAt - now <= warnWithinMs ? 'warn' : 'ok';
}

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
  'no-media',
  'media-open',
  'media-missing',
  'busy',
] as const;
export type SealBlocker = (typeof SEAL_BLOCKERS)[number];

export interface SealCheckDto {
  sessionId: number;
  ready: boolean;
  /** Each reason the seal is refused now, with an English detail for the log and the tooltip. */
  blockers: { code: SealBlocker; detail: string }[];
  defaultRetention: { choice: RetentionChoice; reason: string | null };
  defaultEvidentiaryPurpose: string;
  /** The session's bundle, once sealed. */
  bundleId: number | null;
}

/** A sealed bundle as the app lists it. It has no delete and no edit (R4.3). */
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

export type VerifyCheckId =
  | 'bagit'
  | 'payload'
  | 'payload-oxum'
  | 'bag-info'
  | 'tag-manifest'
  | 'signature'
  | 'timestamp'
  | 'event-log'
  | 'media'
  | 'pdf';
export type VerifyCheckStatus = 'pass' | 'fail' | 'warn' | 'skipped';

/** The verifier's report (electron/core/seal/verify.ts), as data. */
export interface VerifyReportDto {
  path: string;
  ok: boolean;
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
  } | null;
  timestamp: { valid: boolean; genTime: string | null } | null;
  eventLog: { file: string; entries: number; checkpoints: number; head: string } | null;
  media: { file: string; durationSeconds: number | null }[];
  pdfs: { file: string; signatures: number; valid: boolean }[];
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
// Replication

export type JobState = 'pending' | 'running' | 'stored';

export interface ReplicationJobDto {
  id: number;
  bundleId: number | null;
  sessionId: number | null;
  caseId: number | null;
  targetId: number;
  targetName: string;
  targetKind: StorageTargetKind;
  targetEnabled: boolean;
  state: JobState;
  attempts: number;
  nextAttemptAt: number;
  /** The last failure, secrets scrubbed. */
  lastError: string | null;
  lastFailure: 'transfer' | 'verify' | 'config' | 'interrupted' | null;
  deadlineAt: number;
  deadlineStatus: DeadlineStatus;
  verifiedAt: number | null;
  bytes: number | null;
  notes: string[];
  updatedAt: number;
}

/** A bundle against the 24-hour rule across its targets: one verified copy in time satisfies it. */
export interface BundleReplicationDto {
  bundleId: number;
  sessionId: number;
  caseId: number;
  deadlineAt: number;
  deadlineStatus: DeadlineStatus;
  /** When the first copy was read back and matched (null: not yet stored anywhere). */
  storedAt: number | null;
  /** Enabled targets it is (to be) stored on. */
  targets: number;
}

export interface ReplicationStatusDto {
  /** The core's clock when this was read (the UI counts down from it). */
  now: number;
  bundles: BundleReplicationDto[];
  jobs: ReplicationJobDto[];
}

// ---------------------------------------------------------------------------------------
// Storage targets (admin)

const targetName = z.string().trim().min(1).max(60);

export const targetCreateSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('folder'),
      name: targetName,
      config: storageConfigSchemas.folder,
      secret: storageSecretSchemas.folder.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('sftp'),
      name: targetName,
      config: storageConfigSchemas.sftp,
      secret: storageSecretSchemas.sftp,
    })
    .strict(),
  z
    .object({
      kind: z.literal('webdav'),
      name: targetName,
      config: storageConfigSchemas.webdav,
      secret: storageSecretSchemas.webdav.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('s3'),
      name: targetName,
      config: storageConfigSchemas.s3,
      secret: storageSecretSchemas.s3,
    })
    .strict(),
]);
export type TargetCreateInput = z.output<typeof targetCreateSchema>;

export const targetUpdateSchema = z
  .object({
    id: idSchema,
    name: targetName.optional(),
    /** The whole configuration of the target's kind (checked against that kind in the core). */
    config: z.record(z.string(), z.unknown()).optional(),
    /** A new secret replaces the old one whole; absent keeps it. */
    secret: z.record(z.string(), z.string().max(20_000)).optional(),
  })
  .strict();

/** A storage target. Secrets are never in it: only which secret fields are set. */
export interface StorageTargetDto {
  id: number;
  name: string;
  kind: StorageTargetKind;
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  secretFields: string[];
  jobs: { pending: number; stored: number };
}

export interface StorageTestResultDto {
  targetId: number;
  ok: boolean;
  /** The probe's name on the target (a small bag-shaped folder, left there: nothing is deleted). */
  remoteName: string;
  method: 'read-back' | 'server-checksum' | null;
  bytes: number;
  durationMs: number;
  notes: string[];
  /** Why it failed, secrets scrubbed. */
  error: string | null;
}

// ---------------------------------------------------------------------------------------
// Methods and events (spread into electron/shared/contract.ts)

/** The case writers (CASE_WRITERS in the contract; repeated here to keep the import one-way). */
const WRITERS: readonly UserRole[] = ['officer', 'moderator', 'admin'];
const ADMIN: readonly UserRole[] = ['admin'];

function method<O>() {
  return <I extends z.ZodType>(input: I, auth: AuthRequirement): MethodSpec<I, O> => ({
    input,
    auth,
  });
}

const sessionRef = z.object({ id: idSchema }).strict();

export const sealingMethods = {
  /** Whether the session can be sealed now, and why not; the defaults the seal form offers. */
  'sessions.sealCheck': method<SealCheckDto>()(sessionRef, 'user'),
  /**
   * Seals an ended, signed session into a signed BagIt bag in the archive, atomically; the
   * session becomes `sealed` and a replication job goes to every enabled storage target
   * with the deadline recording end + 24 h (R4.1). Refused twice, or before the end.
   */
  'sessions.seal': method<BundleDto>()(sealInputSchema, WRITERS),
  /** Sealed bundles, newest first, of a case or a session (or all). */
  'bundles.list': method<BundleDto[]>()(
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
  /** Replication jobs and each bundle's standing against the 24-hour rule. */
  'replication.status': method<ReplicationStatusDto>()(
    z.object({ caseId: idSchema.optional(), sessionId: idSchema.optional() }).strict(),
    'user',
  ),
  /** Makes a waiting job due now (after fixing a target). */
  'replication.retryNow': method<ReplicationJobDto>()(
    z.object({ jobId: idSchema }).strict(),
    WRITERS,
  ),
  /** Storage targets; secrets are never returned, only which fields are set. */
  'storage.targets.list': method<StorageTargetDto[]>()(z.object({}).strict(), ADMIN),
  /** Adds a target; every sealed bundle not yet on it is queued for it. */
  'storage.targets.create': method<StorageTargetDto>()(targetCreateSchema, ADMIN),
  /** Renames a target, replaces its configuration or its secret (write-only). */
  'storage.targets.update': method<StorageTargetDto>()(targetUpdateSchema, ADMIN),
  /** Targets are never deleted (their jobs refer to them): a retired one is disabled. */
  'storage.targets.setEnabled': method<StorageTargetDto>()(
    z.object({ id: idSchema, enabled: z.boolean() }).strict(),
    ADMIN,
  ),
  /** Puts a small probe on the target and reads it back. */
  'storage.test': method<StorageTestResultDto>()(z.object({ targetId: idSchema }).strict(), ADMIN),
} as const;

/** Events of sealing and replication, pushed to every client. */
export interface SealingEvents {
  /** A session was sealed, or one of its bundles verified. */
  'bundle.changed': { bundleId: number; sessionId: number; caseId: number };
  /** A replication job changed state (queued, attempt started, failed, stored). */
  'replication.changed': {
    jobId: number;
    bundleId: number | null;
    sessionId: number | null;
    state: JobState;
  };
  /** A storage target was added or changed. */
  'storage.targets.changed': { targetId: number };
}

export const SEALING_EVENT_NAMES: readonly (keyof SealingEvents)[] = [
  'bundle.changed',
  'replication.changed',
  'storage.targets.changed',
];

export { TARGET_KINDS };
