/**
 * Secrets of storage targets (passwords, private keys, access keys), kept apart from the
 * targets' configuration (migration 004). In the app they are protected by the OS keystore
 * (Electron safeStorage: DPAPI on Windows, Keychain on macOS, libsecret or KWallet on Linux,
 * `protection = 'safe-storage'`); where there is none (the web host, a Linux desktop without
 * a keyring) they are stored as plain JSON (`'none'`) only after the administrator accepted
 * that explicitly (trust settings, audited). Secrets are never logged: errors that might
 * echo one are scrubbed with {@link redact}.
 */
import type { Db } from '../../platform/db/database';
import { putSecret, storedSecret, type SecretProtection } from './store';

export type { SecretProtection } from './store';

/** Encrypts secrets at rest (or swaps them for keychain references). */
export interface SecretProtector {
  readonly protection: Exclude<SecretProtection, 'none'>;
  protect(plain: Buffer): Promise<Buffer>;
  unprotect(stored: Buffer): Promise<Buffer>;
}

export interface SecretStore {
  get(targetId: number): Promise<Record<string, string> | null>;
  set(targetId: number, secret: Record<string, string>): Promise<void>;
}

/** The case-store implementation; with a protector, secrets are stored protected. */
export class DbSecretStore implements SecretStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    private readonly protector?: SecretProtector,
  ) {}

  async get(targetId: number): Promise<Record<string, string> | null> {
    const row = storedSecret(this.db, targetId);
    if (!row) return null;
    let plain: Buffer;
    if (row.protection === 'none') plain = row.secret;
    else if (this.protector && this.protector.protection === row.protection)
      plain = await this.protector.unprotect(row.secret);
    else
      throw new Error(
        `the secret of target ${targetId} is protected by ${row.protection}, which is not available here`,
      );
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  }

  async set(targetId: number, secret: Record<string, string>): Promise<void> {
    const plain = Buffer.from(JSON.stringify(secret), 'utf8');
    const stored = this.protector ? await this.protector.protect(plain) : plain;
    putSecret(this.db, {
      targetId,
      protection: this.protector?.protection ?? 'none',
      secret: stored,
      at: this.now(),
    });
  }
}

/** Replaces every secret value (and its URL-encoded form) found in `text` with `***`. */
export function redact(text: string, secret: Record<string, string> | null | undefined): string {
  let out = text;
  for (const v of Object.values(secret ?? {})) {
    if (typeof v !== 'string' || v.length < 4) continue;
    for (const form of new Set([v, encodeURIComponent(v)])) out = out.split(form).join('***');
    // A private key may be echoed line by line.
    for (const line of v.split('\n')) if (line.length >= 16) out = out.split(line).join('***');
  }
  return out;
}
