import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import {
  allowsSigning,
  certificateToPem,
  createSelfIssuedCertificate,
  describeCertificate,
  pemToCertificates,
} from './certificate';
import type { CertificateInfo } from './certificate';
import { createKeySigner, type KeySigner } from './cms-sign';
import { createCertificationRequest, requestToPem, type RequestSubject } from './csr';
import { IdentityError, parsePkcs12 } from './pkcs12';
import { writeFileDurable } from '../fs';
import type { Keystore } from '../keystore';

/**
 * Where the identity came from: made here on first run, imported with its key from a
 * PKCS#12 file, or issued by the agency's CA for a key made here (a certificate request).
 */
export type IdentitySource = 'self-issued' | 'pkcs12' | 'agency-issued';

/** The workstation's signing identity: its certificate, chain and a {@link Signer}. */
export interface WorkstationIdentity {
  certificatePem: string;
  certificateDer: Buffer;
  /** Certificates above the signer's, issuer first (empty for a self-issued one). */
  chainDer: Buffer[];
  /** Lower-case hex SHA-256 of the DER certificate. */
  fingerprintSha256: string;
  /** Subject on one line, e.g. `CN=Attest workstation room-3, O=某市市场监督管理局`. */
  subject: string;
  notAfter: Date;
  source: IdentitySource;
  signer: KeySigner;
}

/** Key algorithm of a self-issued identity. */
export type SelfIssuedKeyType = 'ec-p256' | 'rsa-3072';

/** Options for {@link loadOrCreateIdentity}. */
export interface IdentityOptions {
  /** Organisation (O) of a self-issued certificate, e.g. the agency's name. */
  organization?: string;
  /** Host name in the common name; defaults to the machine's. */
  hostname?: string;
  /**
   * Key of a new self-issued identity. ECDSA P-256 by default: poppler (pdfsig, through
   * NSS) and OpenSSL verify it (tested), a key takes 0.2 ms to generate (RSA-3072:
   * 60–350 ms here), and its CMS is half the size (862 vs 1,832 bytes).
   */
  keyType?: SelfIssuedKeyType;
  /** Clock (tests). */
  now?: () => Date;
}

/** Options for {@link importPkcs12}. */
export interface ImportOptions {
  now?: () => Date;
  /** A further check of the certificate and its chain (the agency register's); throws to refuse. */
  accept?: (leafDer: Buffer, chainDer: Buffer[]) => Promise<void> | void;
}

const CURRENT = 'current';
const NEXT = 'next';
const PENDING = 'pending';
const REQUEST_FILE = 'request.pem';
const REQUEST_META_FILE = 'request.json';
const ARCHIVE = 'archive';
const KEY_FILE = 'key.pem';
/** The private key as the OS keystore protected it (instead of key.pem). */
const KEY_PROTECTED_FILE = 'key.protected';
const CERT_FILE = 'certificate.pem';
const CHAIN_FILE = 'chain.pem';
const META_FILE = 'identity.json';
const VALIDITY_YEARS = 10;

interface IdentityMeta {
  version: 1;
  source: IdentitySource;
  createdAt: string;
  fingerprintSha256: string;
  subject: string;
  notAfter: string;
}

// Where an OS keystore protects the private keys, by identity folder. The core registers it
// once at start (protectKeysWith); every load and write in that folder then goes through it.
const keystores = new Map<string, Keystore>();

/**
 * Protects the private keys in `dir` with the OS keystore from now on (null: none). A plain
 * key found there is protected at its next load and the plain file removed.
 */
export function protectKeysWith(dir: string, keystore: Keystore | null): void {
  if (keystore) keystores.set(dir, keystore);
  else keystores.delete(dir);
}

/** Writes a private key into `folder`: protected by the keystore of `dir` when there is one. */
async function writeKey(dir: string, folder: string, key: KeyObject): Promise<void> {
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keystore = keystores.get(dir);
  if (keystore)
    await writeFileDurable(
      join(folder, KEY_PROTECTED_FILE),
      await keystore.protect(Buffer.from(pem, 'utf8')),
      0o600,
    );
  else await writeFileDurable(join(folder, KEY_FILE), pem, 0o600);
}

/** Reads the private key of `folder`; a plain one is protected now when a keystore is there. */
async function readKey(dir: string, folder: string): Promise<KeyObject | null> {
  const keystore = keystores.get(dir);
  const protectedKey = await fs.readFile(join(folder, KEY_PROTECTED_FILE)).catch(() => null);
  if (protectedKey) {
    if (!keystore)
      throw new IdentityError(
        'IDENTITY_LOCKED',
        `工作站私钥由系统密钥库保护，此处无法使用 The private key in ${folder} is protected by the operating system's keystore, which this program cannot reach (sign with the Attest app).`,
      );
    return createPrivateKey((await keystore.unprotect(protectedKey)).toString('utf8'));
  }
  const pem = await fs.readFile(join(folder, KEY_FILE), 'utf8').catch(() => null);
  if (pem === null) return null;
  const key = createPrivateKey(pem);
  if (keystore) {
    await writeKey(dir, folder, key);
    await fs.rm(join(folder, KEY_FILE), { force: true });
  }
  return key;
}

// Creating and replacing an identity are multi-step moves on disk; two at once in this
// process (a double-clicked import, two windows starting) would trip over each other's
// staging folder. The core runs in one process, so an in-process queue per folder suffices.
const queues = new Map<string, Promise<unknown>>();
function serialised<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(dir) ?? Promise.resolve();
  const run = previous.then(task, task);
  queues.set(
    dir,
    run.catch(() => undefined),
  );
  return run;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Write a complete identity into `<dir>/next`, identity.json last, so a directory with
 * identity.json is known to be whole. The caller then moves it into place.
 */
async function stage(
  dir: string,
  key: KeyObject,
  certificateDer: Buffer,
  chainDer: Buffer[],
  source: IdentitySource,
  now: Date,
): Promise<string> {
  const next = join(dir, NEXT);
  await fs.rm(next, { recursive: true, force: true }); // a half-written leftover from a crash
  await fs.mkdir(next, { recursive: true, mode: 0o700 });
  const info = describeCertificate(certificateDer);
  await writeKey(dir, next, key);
  await writeFileDurable(join(next, CERT_FILE), certificateToPem(certificateDer), 0o644);
  await writeFileDurable(
    join(next, CHAIN_FILE),
    chainDer.map((c) => certificateToPem(c)).join(''),
    0o644,
  );
  const meta: IdentityMeta = {
    version: 1,
    source,
    createdAt: now.toISOString(),
    fingerprintSha256: info.fingerprintSha256,
    subject: info.subject,
    notAfter: info.notAfter.toISOString(),
  };
  await writeFileDurable(join(next, META_FILE), `${JSON.stringify(meta, null, 2)}\n`, 0o644);
  return next;
}

/**
 * Puts a new identity in place: staged whole in `next`, the current one archived, `next`
 * renamed to `current` (a crash in between is finished by {@link recover}).
 */
async function putInPlace(
  dir: string,
  key: KeyObject,
  certificateDer: Buffer,
  chainDer: Buffer[],
  source: IdentitySource,
  at: Date,
): Promise<void> {
  await stage(dir, key, certificateDer, chainDer, source, at);
  await archiveCurrent(dir, at);
  await fs.rename(join(dir, NEXT), join(dir, CURRENT));
}

/** Move the current identity into archive/ (never deleted: R4.3 applies to keys as well). */
async function archiveCurrent(dir: string, now: Date): Promise<void> {
  const current = join(dir, CURRENT);
  if (!(await exists(current))) return;
  let label = 'unknown';
  try {
    const meta = JSON.parse(await fs.readFile(join(current, META_FILE), 'utf8')) as IdentityMeta;
    label = meta.fingerprintSha256.slice(0, 16);
  } catch {
    // A damaged identity is archived too, under a neutral label.
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  await fs.mkdir(join(dir, ARCHIVE), { recursive: true, mode: 0o700 });
  let target = join(dir, ARCHIVE, `${stamp}-${label}`);
  if (await exists(target)) target += `-${randomBytes(4).toString('hex')}`;
  await fs.rename(current, target);
  // A retired identity signs nothing again: its certificate stays (documents signed with it
  // remain attributable), its private key goes.
  await fs.rm(join(target, KEY_FILE), { force: true });
  await fs.rm(join(target, KEY_PROTECTED_FILE), { force: true });
}

async function readIdentity(dir: string, now: () => Date): Promise<WorkstationIdentity> {
  const current = join(dir, CURRENT);
  try {
    const meta = JSON.parse(await fs.readFile(join(current, META_FILE), 'utf8')) as IdentityMeta;
    const privateKey = await readKey(dir, current);
    if (!privateKey) throw new Error('no private key');
    const certificatePem = await fs.readFile(join(current, CERT_FILE), 'utf8');
    const [certificateDer] = pemToCertificates(certificatePem);
    const chainDer = pemToCertificates(await fs.readFile(join(current, CHAIN_FILE), 'utf8'));
    if (!certificateDer) throw new Error('no certificate in certificate.pem');
    if (!new X509Certificate(certificateDer).checkPrivateKey(privateKey)) {
      throw new Error('the private key does not belong to the certificate');
    }
    return toIdentity(privateKey, certificateDer, chainDer, meta.source, now);
  } catch (err) {
    if (err instanceof IdentityError) throw err;
    throw new IdentityError(
      'IDENTITY_CORRUPT',
      `工作站证书已损坏 The workstation identity in ${current} cannot be read: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function toIdentity(
  privateKey: KeyObject,
  certificateDer: Buffer,
  chainDer: Buffer[],
  source: IdentitySource,
  now: () => Date,
): WorkstationIdentity {
  const info = describeCertificate(certificateDer);
  return {
    certificatePem: certificateToPem(certificateDer),
    certificateDer,
    chainDer,
    fingerprintSha256: info.fingerprintSha256,
    subject: info.subject,
    notAfter: info.notAfter,
    source,
    signer: createKeySigner(privateKey, certificateDer, chainDer, now),
  };
}

/** Finish a move interrupted by a crash: a complete `next` without a `current` is promoted. */
async function recover(dir: string): Promise<void> {
  const current = join(dir, CURRENT);
  const next = join(dir, NEXT);
  if (!(await exists(current)) && (await exists(join(next, META_FILE)))) {
    await fs.rename(next, current);
  }
}

function newKeyPair(type: SelfIssuedKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  return type === 'rsa-3072'
    ? generateKeyPairSync('rsa', { modulusLength: 3072 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

async function createSelfIssued(
  dir: string,
  opts: IdentityOptions,
  now: () => Date,
): Promise<void> {
  const { privateKey, publicKey } = newKeyPair(opts.keyType ?? 'ec-p256');
  const start = now();
  // Back-date a little so a workstation whose clock is slightly behind another verifier's
  // does not produce a certificate that is "not yet valid" there.
  const notBefore = new Date(start.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(start);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const certificateDer = createSelfIssuedCertificate(privateKey, publicKey, {
    commonName: `Attest workstation ${opts.hostname ?? osHostname()}`,
    ...(opts.organization ? { organization: opts.organization } : {}),
    notBefore,
    notAfter,
  });
  await putInPlace(dir, privateKey, certificateDer, [], 'self-issued', start);
}

/**
 * Load the workstation identity from `dir`, creating a self-issued one on first run (and
 * replacing a self-issued one that has expired; the old one is archived). The private key
 * is stored unencrypted in `dir/current/key.pem` with mode 0600: the workstation must sign
 * unattended, so there is nobody to type a passphrase; the OS account protects it.
 */
export async function loadOrCreateIdentity(
  dir: string,
  opts: IdentityOptions = {},
): Promise<WorkstationIdentity> {
  const now = opts.now ?? (() => new Date());
  return serialised(dir, async () => {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await recover(dir);
    if (await exists(join(dir, CURRENT))) {
      const identity = await readIdentity(dir, now);
      if (identity.source !== 'self-issued' || identity.notAfter.getTime() > now().getTime()) {
        return identity;
      }
    }
    await createSelfIssued(dir, opts, now);
    return readIdentity(dir, now);
  });
}

/**
 * Replace the workstation identity with an agency certificate from a PKCS#12 file. The
 * file must hold a private key and its certificate (and may hold the chain), be valid now,
 * and allow signing. The previous identity is moved to `dir/archive/`, never deleted, so
 * documents signed with it can still be attributed. The password is not stored.
 */
export async function importPkcs12(
  dir: string,
  p12Bytes: Uint8Array,
  password: string,
  opts: ImportOptions = {},
): Promise<WorkstationIdentity> {
  const now = opts.now ?? (() => new Date());
  const { privateKey, certificateDer, chainDer } = parsePkcs12(p12Bytes, password);
  checkUsable(describeCertificate(certificateDer), now());
  await opts.accept?.(certificateDer, chainDer);
  if (privateKey.asymmetricKeyType !== 'rsa' && privateKey.asymmetricKeyType !== 'ec') {
    throw new IdentityError(
      'UNSUPPORTED_KEY',
      `不支持的密钥类型 Unsupported key type ${String(privateKey.asymmetricKeyType)} (RSA or ECDSA only).`,
    );
  }
  return serialised(dir, async () => {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await recover(dir);
    await putInPlace(dir, privateKey, certificateDer, chainDer, 'pkcs12', now());
    return readIdentity(dir, now);
  });
}

/** A certificate request made here and not yet answered by the agency's CA. */
export interface PendingRequest {
  requestPem: string;
  subject: RequestSubject;
  createdAt: string;
}

/**
 * Makes a new key and a certificate request for it, for the agency's CA to sign; an earlier
 * unanswered request is replaced. The current identity keeps signing until the issued
 * certificate is installed ({@link installIssuedCertificate}); the new key never leaves
 * this folder.
 */
export async function requestCertificate(
  dir: string,
  subject: RequestSubject,
  opts: { now?: () => Date; keyType?: SelfIssuedKeyType } = {},
): Promise<PendingRequest> {
  const now = opts.now ?? (() => new Date());
  return serialised(dir, async () => {
    const pending = join(dir, PENDING);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.rm(pending, { recursive: true, force: true });
    await fs.mkdir(pending, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = newKeyPair(opts.keyType ?? 'ec-p256');
    const requestPem = requestToPem(createCertificationRequest(privateKey, publicKey, subject));
    const meta: PendingRequest = { requestPem, subject, createdAt: now().toISOString() };
    await writeKey(dir, pending, privateKey);
    await writeFileDurable(join(pending, REQUEST_FILE), requestPem, 0o644);
    // Written last: a folder with request.json holds a whole request.
    await writeFileDurable(
      join(pending, REQUEST_META_FILE),
      `${JSON.stringify(meta, null, 2)}\n`,
      0o644,
    );
    return meta;
  });
}

/** The unanswered certificate request, or null when there is none. */
export async function pendingRequest(dir: string): Promise<PendingRequest | null> {
  try {
    return JSON.parse(
      await fs.readFile(join(dir, PENDING, REQUEST_META_FILE), 'utf8'),
    ) as PendingRequest;
  } catch {
    return null;
  }
}

/**
 * Installs the certificate the agency's CA issued for the pending request: `pem` holds it
 * and, optionally, the CAs above it. The certificate must be for the request's key, valid
 * now and allow signing, and `accept` (the agency register's check) must not throw. The
 * previous identity is archived, never deleted; the request is then done.
 */
export async function installIssuedCertificate(
  dir: string,
  pem: string,
  opts: {
    now?: () => Date;
    accept?: (leafDer: Buffer, chainDer: Buffer[]) => Promise<void> | void;
  } = {},
): Promise<WorkstationIdentity> {
  const now = opts.now ?? (() => new Date());
  const certificates = pemToCertificates(pem);
  if (!certificates.length) {
    throw new IdentityError(
      'NOT_A_CERTIFICATE',
      '没有找到证书 No certificate found: paste the PEM text the CA returned (-----BEGIN CERTIFICATE-----).',
    );
  }
  return serialised(dir, async () => {
    const pending = join(dir, PENDING);
    const key = (await pendingRequest(dir)) ? await readKey(dir, pending) : null;
    if (!key) {
      throw new IdentityError(
        'NO_PENDING_REQUEST',
        '没有待签发的证书申请 There is no certificate request waiting: make one first.',
      );
    }
    let leaf: Buffer | undefined;
    try {
      leaf = certificates.find((c) => new X509Certificate(c).checkPrivateKey(key));
    } catch (e) {
      throw new IdentityError(
        'NOT_A_CERTIFICATE',
        `证书无法读取 A certificate does not parse: ${(e as Error).message}`,
      );
    }
    if (!leaf) {
      throw new IdentityError(
        'CERT_KEY_MISMATCH',
        '证书与本工作站的证书申请不符 None of these certificates is for the key of this workstation’s request.',
      );
    }
    const chain = certificates.filter((c) => c !== leaf);
    checkUsable(describeCertificate(leaf), now());
    await opts.accept?.(leaf, chain);
    await putInPlace(dir, key, leaf, chain, 'agency-issued', now());
    await fs.rm(pending, { recursive: true, force: true });
    return readIdentity(dir, now);
  });
}

/** The identity in use, without making one (null before the first run made it). */
export async function currentIdentity(dir: string): Promise<WorkstationIdentity | null> {
  if (!(await exists(join(dir, CURRENT, META_FILE)))) return null;
  return readIdentity(dir, () => new Date());
}

function checkUsable(info: CertificateInfo, now: Date): void {
  if (now.getTime() < info.notBefore.getTime()) {
    throw new IdentityError(
      'CERT_NOT_YET_VALID',
      `证书尚未生效 The certificate is valid only from ${info.notBefore.toISOString()}.`,
    );
  }
  if (now.getTime() > info.notAfter.getTime()) {
    throw new IdentityError(
      'CERT_EXPIRED',
      `证书已过期 The certificate expired on ${info.notAfter.toISOString()}.`,
    );
  }
  if (!allowsSigning(info)) {
    throw new IdentityError(
      'CERT_KEY_USAGE',
      '证书用途不允许签名 The certificate’s key usage allows neither digitalSignature nor nonRepudiation.',
    );
  }
}

/**
 * SHA-256 fingerprints (lower-case hex) of every certificate this workstation has signed
 * with: the current identity and the archived ones (their certificates are kept).
 */
export async function knownFingerprints(dir: string): Promise<string[]> {
  const folders = [
    join(dir, CURRENT),
    ...(await listArchivedIdentities(dir)).map((a) => join(dir, ARCHIVE, a)),
  ];
  const out: string[] = [];
  for (const f of folders) {
    const pem = await fs.readFile(join(f, CERT_FILE), 'utf8').catch(() => null);
    const [der] = pem ? pemToCertificates(pem) : [];
    if (der) out.push(createHash('sha256').update(der).digest('hex'));
  }
  return out;
}

/** Where a data directory keeps the workstation identity (and the LAN tablet's TLS key). */
export function identityDirOf(dataDir: string): string {
  return join(dataDir, 'identity');
}

/** The archived identities' folder names, oldest first (for the admin screen and audits). */
export async function listArchivedIdentities(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(join(dir, ARCHIVE))).sort();
  } catch {
    return [];
  }
}
