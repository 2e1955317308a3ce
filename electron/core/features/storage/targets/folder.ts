/**
 * A folder target: a mounted SMB/NFS share, a UNC path on Windows, or a local disk. The
 * bag is copied to `.tmp-<name>-<random>` beside the final name, every file and directory
 * is fsynced, and the directory is renamed into place; then the copy is read back and
 * hashed.
 *
 * Limit worth knowing: on a network mount the read-back may be answered from the client's
 * page cache rather than the server (there is no portable way to bypass it from Node).
 * It still proves the bytes reached the file system intact; mounting with caching off
 * (`cache=none` for CIFS, `noac` for NFS) makes it a true server read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CHUNK_BYTES,
  exists,
  fromPosix,
  fsyncPath,
  removeTree,
  sealTreeReadOnly,
  walkFiles,
} from '../../../platform/fs';
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

export interface FolderTargetConfig {
  /** Absolute path of the share's directory for bags. */
  path: string;
}

const TMP = '.tmp-';

/** Copies one file with progress, then fsyncs it. */
async function copyFile(
  from: string,
  to: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const out = await fsp.open(to, 'wx', 0o644);
  try {
    for await (const chunk of createReadStream(from, { highWaterMark: CHUNK_BYTES, signal })) {
      const buf = chunk as Buffer;
      let off = 0;
      while (off < buf.length) off += (await out.write(buf, off, buf.length - off)).bytesWritten;
      onBytes(buf.length);
    }
    await out.sync();
  } finally {
    await out.close();
  }
}

export class FolderTarget implements StorageTarget {
  readonly kind = 'folder' as const;

  constructor(private readonly config: FolderTargetConfig) {}

  describe(): string {
    return `folder ${this.config.path}`;
  }

  async put(
    localPath: string,
    remoteName: string,
    onProgress?: (p: TransferProgress) => void,
    opts: PutOptions = {},
  ): Promise<PutResult> {
    const root = this.config.path;
    const final = join(root, remoteName);
    if (!(await exists(root)))
      throw new TargetError(`the folder ${root} is not there (is the share mounted?)`);
    if ((await exists(final)) && !opts.replaceExisting)
      return { alreadyPresent: true, bytesSent: 0, notes: [] };
    await this.cleanStale(remoteName);
    const files = await walkFiles(localPath);
    const bytesTotal = files.reduce((a, f) => a + f.size, 0);
    const tmp = join(root, `${TMP}${remoteName}-${randomBytes(6).toString('hex')}`);
    let bytesDone = 0;
    const dirs = new Set<string>();
    try {
      await fsp.mkdir(tmp);
      for (const f of files) {
        opts.signal?.throwIfAborted();
        const to = join(tmp, fromPosix(f.rel));
        const dir = dirname(to);
        if (!dirs.has(dir)) {
          await fsp.mkdir(dir, { recursive: true });
          dirs.add(dir);
        }
        await copyFile(
          f.abs,
          to,
          (n) => {
            bytesDone += n;
            onProgress?.({ bytesDone, bytesTotal, file: f.rel });
          },
          opts.signal,
        );
      }
    } catch (e) {
      await removeTree(tmp).catch(() => {});
      throw e;
    }
    const notes: string[] = [];
    try {
      // Read-only like the local archive (R4.3); this also fsyncs every file and directory.
      await sealTreeReadOnly(tmp);
    } catch {
      // Some shares refuse chmod (SMB without unix extensions): fsync the directories anyway.
      for (const d of [...dirs].sort((a, b) => b.length - a.length)) await fsyncPath(d);
      await fsyncPath(tmp);
      notes.push('the share does not support read-only permissions');
    }
    if (await exists(final)) {
      // Only reached with replaceExisting: the old copy failed verification. Keep it aside.
      const aside = join(root, `.replaced-${remoteName}-${Date.now()}`);
      await fsp.rename(final, aside);
      notes.push(`the previous copy failed verification and was moved to ${aside}`);
    }
    await fsp.rename(tmp, final);
    await fsyncPath(root);
    return { alreadyPresent: false, bytesSent: bytesDone, notes };
  }

  async verify(
    remoteName: string,
    expected: ExpectedManifest,
    onProgress?: (n: number) => void,
  ): Promise<RemoteVerification> {
    const final = join(this.config.path, remoteName);
    const found = new Map<string, { size: number; sha256: string }>();
    let bytesRead = 0;
    if (await exists(final)) {
      for (const f of await walkFiles(final, (rel) =>
        found.set(rel, { size: -1, sha256: 'not a regular file' }),
      )) {
        const h = createHash('sha256');
        for await (const chunk of createReadStream(f.abs, { highWaterMark: CHUNK_BYTES })) {
          h.update(chunk as Buffer);
          bytesRead += (chunk as Buffer).length;
          onProgress?.(bytesRead);
        }
        found.set(f.rel, { size: f.size, sha256: h.digest('hex') });
      }
    }
    const problems = compareWithManifest(expected, found);
    return { ok: problems.length === 0, method: 'read-back', bytesRead, problems, notes: [] };
  }

  async list(): Promise<string[]> {
    return (await fsp.readdir(this.config.path, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  async removeProbe(
    remoteName: string,
  ): Promise<{ removed: true } | { removed: false; why: string }> {
    assertProbe(remoteName);
    try {
      await removeTree(join(this.config.path, remoteName));
      await fsyncPath(this.config.path);
      return { removed: true };
    } catch (e) {
      return { removed: false, why: (e as Error).message };
    }
  }

  /** Removes our own temporary copies of this bag left by an interrupted attempt. */
  private async cleanStale(remoteName: string): Promise<void> {
    for (const e of await fsp.readdir(this.config.path)) {
      if (e.startsWith(`${TMP}${remoteName}-`))
        await removeTree(join(this.config.path, e)).catch(() => {});
    }
  }
}
