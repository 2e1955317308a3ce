/**
 * SFTP target (OpenSSH or any SFTP v3 server). The bag is uploaded into
 * `.tmp-<name>-<random>` beside the final name, each file fsynced on the server
 * (fsync@openssh.com, when offered), then the directory is renamed into place (SSH_FXP_RENAME
 * refuses to overwrite) and the copy is read back over SFTP and hashed.
 *
 * The server's host key must be pinned (`hostKeySha256`, as `ssh-keygen -lf` prints it):
 * evidence is never sent to a server that merely claims the right name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { walkFiles } from '../../../platform/fs';
import {
  assertProbe,
  TargetError,
  compareWithManifest,
  type ExpectedManifest,
  type PutOptions,
  type PutResult,
  type RemoteVerification,
  type StorageTarget,
  type TransferProgress,
} from './port';

export interface SftpTargetConfig {
  host: string;
  port?: number;
  username: string;
  /** Remote directory that holds the bags (absolute). */
  path: string;
  /** `SHA256:…` fingerprint of the server's host key (`ssh-keygen -lf key.pub`). */
  hostKeySha256: string;
  /** Connection timeout; default 20 s. */
  timeoutMs?: number;
}

/** Either a private key (OpenSSH or PEM, optionally with a passphrase) or a password. */
export interface SftpTargetSecret {
  privateKey?: string;
  passphrase?: string;
  password?: string;
}

/** OpenSSH's fingerprint format: `SHA256:` + unpadded base64 of the key blob's SHA-256. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

const TMP = '.tmp-';
/**
 * Request sizes and how many requests are kept in flight. Larger requests than ssh2's
 * 32 KiB default cut the per-request overhead of its JavaScript packet handling; OpenSSH
 * accepts up to 255 KiB (limits@openssh.com), ssh2 splits what a server refuses. Writes keep
 * 128 of them in flight (32 MiB): on loopback that reached 91% of OpenSSH's own client, where
 * 128 KiB × 32 reached 58–80% (scripts/bench-seal.sh).
 */
const WRITE_CHUNK = 255 * 1024;
const WRITE_WINDOW = 128;
const READ_CHUNK = 128 * 1024;
const READ_WINDOW = 32;

/**
 * SHA-256 of a remote file, reading with many requests in flight. A plain SFTP read
 * stream waits for each 64 KiB answer before asking for the next and crawls (about
 * 1.5 MB/s here on loopback against 50+ MB/s pipelined), which would make the read-back of
 * a multi-GiB bag take hours.
 */
async function hashRemote(
  w: Wrapper,
  path: string,
  onBytes: (n: number) => void,
): Promise<{ size: number; sha256: string }> {
  const handle = await new Promise<Buffer>((ok, fail) =>
    w.open(path, 'r', (e, h) => (e ? fail(e) : ok(h))),
  );
  try {
    const size = await new Promise<number>((ok, fail) =>
      w.fstat(handle, (e, st) => (e ? fail(e) : ok(st.size))),
    );
    const readAt = (position: number, length: number): Promise<Buffer> =>
      new Promise((ok, fail) => {
        const parts: Buffer[] = [];
        let got = 0;
        const step = () =>
          w.read(
            handle,
            Buffer.alloc(length - got),
            0,
            length - got,
            position + got,
            (e, n, buf) => {
              if (e) return fail(e);
              if (n === 0) return ok(Buffer.concat(parts)); // end of file (it shrank)
              parts.push(Buffer.from(buf.subarray(0, n)));
              got += n;
              if (got < length) step();
              else ok(Buffer.concat(parts));
            },
          );
        step();
      });
    const h = createHash('sha256');
    const inFlight: Promise<Buffer>[] = [];
    let next = 0;
    let total = 0;
    const fill = () => {
      while (inFlight.length < READ_WINDOW && next < size) {
        const p = readAt(next, Math.min(READ_CHUNK, size - next));
        p.catch(() => {}); // a dropped connection fails them all; the one awaited reports it
        inFlight.push(p);
        next += READ_CHUNK;
      }
    };
    fill();
    while (inFlight.length > 0) {
      const chunk = await inFlight.shift()!;
      h.update(chunk);
      total += chunk.length;
      onBytes(chunk.length);
      fill();
    }
    // Bytes past the size we saw at open (the file grew) would be a mismatch too.
    return { size: total, sha256: h.digest('hex') };
  } finally {
    await new Promise<void>((ok) => w.close(handle, () => ok()));
  }
}

type Wrapper = Awaited<ReturnType<SftpClient['connect']>>;

export class SftpTarget implements StorageTarget {
  readonly kind = 'sftp' as const;

  constructor(
    private readonly config: SftpTargetConfig,
    private readonly secret: SftpTargetSecret,
  ) {}

  describe(): string {
    return `sftp://${this.config.username}@${this.config.host}:${this.config.port ?? 22}${this.config.path}`;
  }

  private async connect(): Promise<{ client: SftpClient; wrapper: Wrapper }> {
    const client = new SftpClient('attest');
    // Errors after an operation settled (a dropped connection) must not crash the core;
    // the operation in flight rejects on its own.
    client.on('error', () => {});
    let seen: string | null = null;
    try {
      const wrapper = await client.connect({
        host: this.config.host,
        port: this.config.port ?? 22,
        username: this.config.username,
        readyTimeout: this.config.timeoutMs ?? 20_000,
        ...(this.secret.privateKey ? { privateKey: this.secret.privateKey } : {}),
        ...(this.secret.passphrase ? { passphrase: this.secret.passphrase } : {}),
        ...(this.secret.password ? { password: this.secret.password } : {}),
        hostVerifier: (key: Buffer) => {
          seen = sshFingerprint(key);
          return seen === this.config.hostKeySha256;
        },
      });
      // Without TCP_NODELAY every small SFTP request (open, fsync, close) waits on delayed
      // ACKs: ~250 ms per file here instead of a few ms.
      (client as unknown as { client?: { setNoDelay?(v: boolean): void } }).client?.setNoDelay?.(
        true,
      );
      return { client, wrapper };
    } catch (e) {
      await this.end(client);
      if (seen !== null && seen !== this.config.hostKeySha256) {
        throw new TargetError(
          `the server's host key ${seen} is not the pinned ${this.config.hostKeySha256}; refusing to send evidence`,
          'config',
        );
      }
      throw e;
    }
  }

  /** Ends a session without waiting forever on a dead server. */
  private async end(client: SftpClient): Promise<void> {
    await Promise.race([
      client.end().catch(() => {}),
      new Promise((r) => setTimeout(r, 2000).unref()),
    ]);
  }

  private async fsync(wrapper: Wrapper, path: string): Promise<boolean> {
    return new Promise((resolve) => {
      wrapper.open(path, 'r+', (err, handle) => {
        if (err) return resolve(false);
        wrapper.ext_openssh_fsync(handle, (e) => {
          wrapper.close(handle, () => resolve(!e));
        });
      });
    });
  }

  async put(
    localPath: string,
    remoteName: string,
    onProgress?: (p: TransferProgress) => void,
    opts: PutOptions = {},
  ): Promise<PutResult> {
    const root = this.config.path;
    const final = posix.join(root, remoteName);
    const { client, wrapper } = await this.connect();
    const notes: string[] = [];
    try {
      if ((await client.exists(final)) && !opts.replaceExisting)
        return { alreadyPresent: true, bytesSent: 0, notes };
      for (const e of await client.list(root)) {
        // Our own leftovers from an interrupted attempt at this bag: never evidence.
        if (e.type === 'd' && e.name.startsWith(`${TMP}${remoteName}-`)) {
          await client.rmdir(posix.join(root, e.name), true).catch(() => {});
        }
      }
      const files = await walkFiles(localPath);
      const bytesTotal = files.reduce((a, f) => a + f.size, 0);
      const tmp = posix.join(root, `${TMP}${remoteName}-${randomBytes(6).toString('hex')}`);
      await client.mkdir(tmp, false);
      const dirs = new Set<string>([tmp]);
      let done = 0;
      let fsyncOk = true;
      for (const f of files) {
        opts.signal?.throwIfAborted();
        const remote = posix.join(tmp, f.rel);
        const dir = posix.dirname(remote);
        if (!dirs.has(dir)) {
          await client.mkdir(dir, true);
          dirs.add(dir);
        }
        const before = done;
        await client.fastPut(f.abs, remote, {
          chunkSize: WRITE_CHUNK,
          concurrency: WRITE_WINDOW,
          step: (transferred: number) =>
            onProgress?.({ bytesDone: before + transferred, bytesTotal, file: f.rel }),
        });
        done = before + f.size;
        onProgress?.({ bytesDone: done, bytesTotal, file: f.rel });
        if (fsyncOk) fsyncOk = await this.fsync(wrapper, remote);
      }
      if (!fsyncOk)
        notes.push('the server does not offer fsync@openssh.com; files were not fsynced remotely');
      if (await client.exists(final)) {
        const aside = posix.join(root, `.replaced-${remoteName}-${Date.now()}`);
        await client.rename(final, aside);
        notes.push(`the previous copy failed verification and was moved to ${aside}`);
      }
      await client.rename(tmp, final);
      return { alreadyPresent: false, bytesSent: done, notes };
    } finally {
      await this.end(client);
    }
  }

  async verify(
    remoteName: string,
    expected: ExpectedManifest,
    onProgress?: (n: number) => void,
  ): Promise<RemoteVerification> {
    const final = posix.join(this.config.path, remoteName);
    const { client, wrapper } = await this.connect();
    const found = new Map<string, { size: number; sha256: string }>();
    let bytesRead = 0;
    try {
      if (await client.exists(final)) {
        const walk = async (dir: string, rel: string): Promise<void> => {
          for (const e of await client.list(dir)) {
            const r = rel ? `${rel}/${e.name}` : e.name;
            if (e.type === 'd') await walk(posix.join(dir, e.name), r);
            else if (e.type !== '-')
              found.set(r, { size: -1, sha256: `not a regular file (${e.type})` });
            else {
              const { size, sha256 } = await hashRemote(wrapper, posix.join(dir, e.name), (n) => {
                bytesRead += n;
                onProgress?.(bytesRead);
              });
              found.set(r, { size, sha256 });
            }
          }
        };
        await walk(final, '');
      }
    } finally {
      await this.end(client);
    }
    const problems = compareWithManifest(expected, found);
    return { ok: problems.length === 0, method: 'read-back', bytesRead, problems, notes: [] };
  }

  async removeProbe(
    remoteName: string,
  ): Promise<{ removed: true } | { removed: false; why: string }> {
    assertProbe(remoteName);
    const dir = posix.join(this.config.path, remoteName);
    let client: SftpClient | null = null;
    try {
      ({ client } = await this.connect());
      // The probe was made read-only as a bag is: writable again before it can go.
      await client.chmod(dir, 0o755).catch(() => undefined);
      await client.rmdir(dir, true);
      return { removed: true };
    } catch (e) {
      return { removed: false, why: (e as Error).message };
    } finally {
      if (client) await this.end(client);
    }
  }

  async list(): Promise<string[]> {
    const { client } = await this.connect();
    try {
      return (await client.list(this.config.path))
        .filter((e) => e.type === 'd' && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    } finally {
      await this.end(client);
    }
  }
}
