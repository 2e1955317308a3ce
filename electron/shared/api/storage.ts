/**
 * Storage targets as the contract and the settings screen know them (R4.1, ARCHITECTURE §6):
 * the kinds, each kind's configuration (shown, exported, logged) and its secret (written
 * once, never returned, never logged). The core's storage register validates with these same
 * schemas, so a password can never slip into a configuration: an unknown key is refused.
 */
import { z } from 'zod';
import { idSchema } from '../domain';
import { empty } from '../schema';
import type { DeadlineStatus } from '../rules/deadline';
import { ADMINS, CASE_WRITERS, events, method } from './define';

export const TARGET_KINDS = ['folder', 'sftp', 'webdav', 's3'] as const;
export type StorageTargetKind = (typeof TARGET_KINDS)[number];

/** Configuration of each kind of target: no secrets here. */

/**
 * A server address with no user name or password in it: those are secrets, kept apart from
 * the configuration (which is returned to clients and written into the audit trail).
 */
const urlWithoutCredentials = z
  .url()
  .max(2000)
  .refine((u) => {
    const parsed = new URL(u);
    return !parsed.username && !parsed.password;
  }, 'put the user name and password in their own fields, not in the address');

export const storageConfigSchemas = {
  /** A mounted SMB/NFS share, a UNC path on Windows, or a local disk. */
  folder: z.object({ path: z.string().trim().min(1).max(1000) }).strict(),
  sftp: z
    .object({
      host: z.string().trim().min(1).max(255),
      port: z.number().int().min(1).max(65535).optional(),
      username: z.string().trim().min(1).max(128),
      /** Absolute directory on the server for the bags. */
      path: z.string().trim().startsWith('/').max(1000),
      /** The server's host key as OpenSSH prints it (`SHA256:…`): pinned, never trusted on first use. */
      hostKeySha256: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
      timeoutMs: z.number().int().positive().max(600_000).optional(),
    })
    .strict(),
  webdav: z
    .object({ url: urlWithoutCredentials, username: z.string().trim().max(128).optional() })
    .strict(),
  s3: z
    .object({
      endpoint: urlWithoutCredentials.optional(),
      region: z.string().trim().min(1).max(64),
      bucket: z.string().trim().min(3).max(63),
      prefix: z.string().max(512).optional(),
      forcePathStyle: z.boolean().optional(),
      /** `auto`: set Object Lock retention when the bucket supports it; `required`: refuse a bucket without it. */
      objectLock: z.enum(['auto', 'required', 'off']).optional(),
      defaultRetentionDays: z.number().int().positive().max(36500).optional(),
      partSizeMiB: z.number().int().min(5).max(5120).optional(),
    })
    .strict(),
} as const;

const secretText = z.string().max(20_000);

/** Secrets of each kind of target: write-only. */
export const storageSecretSchemas = {
  folder: z.object({}).strict(),
  sftp: z
    .object({
      privateKey: secretText.optional(),
      passphrase: secretText.optional(),
      password: secretText.optional(),
    })
    .strict()
    .refine((s) => s.privateKey || s.password, 'an SFTP target needs a private key or a password'),
  webdav: z.object({ password: secretText.optional() }).strict(),
  s3: z
    .object({
      accessKeyId: z.string().min(1).max(256),
      secretAccessKey: secretText.min(1),
      sessionToken: secretText.optional(),
    })
    .strict(),
} as const;

/** The secret fields of each kind, in the order the settings form shows them. */
export const SECRET_FIELDS: Readonly<Record<StorageTargetKind, readonly string[]>> = {
  folder: [],
  sftp: ['password', 'privateKey', 'passphrase'],
  webdav: ['password'],
  s3: ['accessKeyId', 'secretAccessKey', 'sessionToken'],
};

export type StorageTargetConfig<K extends StorageTargetKind> = z.infer<
  (typeof storageConfigSchemas)[K]
>;

// ---------------------------------------------------------------------------------------
// The 24-hour rule (R4.1): defined once in ../rules/deadline.ts; the contract carries its status.

export {
  DEADLINE_WARN_WITHIN_MS,
  STORAGE_DEADLINE_HOURS,
  deadlineStatusAt,
  type DeadlineStatus,
} from '../rules/deadline';

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
  /** The probe's name on the target (a small bag-shaped folder, taken away after the test). */
  remoteName: string;
  /** Whether the probe was taken away again (false: the target keeps it; `notes` say why). */
  removed: boolean;
  method: 'read-back' | 'server-checksum' | null;
  bytes: number;
  durationMs: number;
  notes: string[];
  /** Why it failed, secrets scrubbed. */
  error: string | null;
}

// ---------------------------------------------------------------------------------------
// Methods and events

export const storageMethods = {
  /** Replication jobs and each bundle's standing against the 24-hour rule. */
  'replication.status': method<ReplicationStatusDto>()(
    z.object({ caseId: idSchema.optional(), sessionId: idSchema.optional() }).strict(),
    'user',
  ),
  /** Makes a waiting job due now (after fixing a target). */
  'replication.retryNow': method<ReplicationJobDto>()(
    z.object({ jobId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  /** Storage targets; secrets are never returned, only which fields are set. */
  'storage.targets.list': method<StorageTargetDto[]>()(empty, ADMINS),
  /** Adds a target; every sealed bundle not yet on it is queued for it. */
  'storage.targets.create': method<StorageTargetDto>()(targetCreateSchema, ADMINS),
  /** Renames a target, replaces its configuration or its secret (write-only). */
  'storage.targets.update': method<StorageTargetDto>()(targetUpdateSchema, ADMINS),
  /** Targets are never deleted (their jobs refer to them): a retired one is disabled. */
  'storage.targets.setEnabled': method<StorageTargetDto>()(
    z.object({ id: idSchema, enabled: z.boolean() }).strict(),
    ADMINS,
  ),
  /** Puts a small probe on the target and reads it back. */
  'storage.test': method<StorageTestResultDto>()(z.object({ targetId: idSchema }).strict(), ADMINS),
} as const;

export interface StorageEvents {
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
export const STORAGE_EVENTS = events<StorageEvents>()([
  'replication.changed',
  'storage.targets.changed',
]);
