/**
 * Storage targets as the contract and the settings screen know them (R4.1, ARCHITECTURE §6):
 * the kinds, each kind's configuration (shown, exported, logged) and its secret (written
 * once, never returned, never logged). The core's storage register validates with these same
 * schemas, so a password can never slip into a configuration: an unknown key is refused.
 */
import { z } from 'zod';

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
