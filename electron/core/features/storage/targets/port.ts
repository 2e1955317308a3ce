/**
 * The storage-target port (ARCHITECTURE §1.4, §6). A target receives a sealed bag and can
 * prove it holds an exact copy. Every adapter keeps two promises:
 * - nothing partial is ever visible under the final name (temporary name + rename, or an
 *   S3 multipart upload that is invisible until completed);
 * - `verify` reads the copy back (or asks the server for checksums) and compares it with the
 *   bag's manifests; only a copy that passes counts as stored (R4.1).
 */

export type TargetKind = 'folder' | 'sftp' | 'webdav' | 's3';

/** Upload progress of one `put`. */
export interface TransferProgress {
  bytesDone: number;
  bytesTotal: number;
  /** The bag-relative path being sent. */
  file: string;
}

/** What a faithful copy of a bag must contain: every file, its size and SHA-256. */
export interface ExpectedManifest {
  bagName: string;
  files: { path: string; size: number; sha256: string }[];
  totalBytes: number;
}

export interface PutOptions {
  /**
   * Replace a copy already under the final name (after it failed verification). The old
   * copy is moved aside (folder, SFTP, WebDAV) or superseded (S3), never deleted.
   */
  replaceExisting?: boolean;
  /** Keep the copy at least until then (S3 Object Lock retention; R4.4). */
  retainUntil?: Date;
  signal?: AbortSignal;
}

export interface PutResult {
  /** True when a copy was already under the final name and nothing was sent. */
  alreadyPresent: boolean;
  bytesSent: number;
  /** Facts worth keeping in the job's record: retention set, fsync unsupported, etc. */
  notes: string[];
}

export interface RemoteProblem {
  path: string;
  reason: string;
}

export interface RemoteVerification {
  ok: boolean;
  /** How the copy was checked. */
  method: 'read-back' | 'server-checksum';
  bytesRead: number;
  problems: RemoteProblem[];
  notes: string[];
}

/** What a connection test's probe is called on a target: never the name of a bag. */
export const PROBE_PREFIX = 'attest-probe-';

/** Refuses any name but a probe's: the one thing on a target this software ever removes. */
export function assertProbe(remoteName: string): void {
  if (!remoteName.startsWith(PROBE_PREFIX) || /[\\/]|\.\./.test(remoteName))
    throw new Error(`only a connection test's probe is ever removed, not ${remoteName}`);
}

export interface StorageTarget {
  readonly kind: TargetKind;
  /** A description for logs and the UI; never contains a secret. */
  describe(): string;
  /** Sends the bag directory at `localPath` so that it appears whole as `remoteName`. */
  put(
    localPath: string,
    remoteName: string,
    onProgress?: (p: TransferProgress) => void,
    opts?: PutOptions,
  ): Promise<PutResult>;
  /** Reads the copy under `remoteName` back and compares it with `expected`. */
  verify(
    remoteName: string,
    expected: ExpectedManifest,
    onProgress?: (bytesRead: number) => void,
  ): Promise<RemoteVerification>;
  /** Names of the bags on the target (final names only). */
  list?(): Promise<string[]>;
  /**
   * Takes away a connection test's probe (a name starting with {@link PROBE_PREFIX}, nothing
   * else): a test leaves nothing behind where it can. Resolves with why the probe stays when
   * the target keeps it (a retention lock, a share that refuses deletion).
   */
  removeProbe(remoteName: string): Promise<{ removed: true } | { removed: false; why: string }>;
  /** Releases connections. */
  close?(): Promise<void>;
}

/** Compares read-back digests with the expected manifest; shared by every adapter. */
export function compareWithManifest(
  expected: ExpectedManifest,
  found: ReadonlyMap<string, { size: number; sha256: string }>,
): RemoteProblem[] {
  const problems: RemoteProblem[] = [];
  for (const f of expected.files) {
    const got = found.get(f.path);
    if (!got) problems.push({ path: f.path, reason: 'missing on the target' });
    else if (got.size !== f.size)
      problems.push({ path: f.path, reason: `size ${got.size}, expected ${f.size}` });
    else if (got.sha256 !== f.sha256)
      problems.push({ path: f.path, reason: `SHA-256 ${got.sha256}, expected ${f.sha256}` });
  }
  const known = new Set(expected.files.map((f) => f.path));
  for (const path of found.keys()) {
    if (!known.has(path)) problems.push({ path, reason: 'on the target but not in the bag' });
  }
  return problems;
}

/** A transfer or verification failed; `kind` tells the queue whether to replace the remote copy next time. */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly kind: 'transfer' | 'verify' | 'config' = 'transfer',
  ) {
    super(message);
  }
}
