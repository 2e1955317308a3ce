/**
 * File-system helpers for durable, atomic writes. Sealing and replication both follow the
 * same pattern (ARCHITECTURE §6, R4.3): write under a temporary name, fsync the data and
 * the directory entries, then rename, so a power cut leaves either nothing or the whole
 * thing under the final name.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  fsyncSync,
  openSync,
  renameSync,
  writeSync,
  promises as fsp,
  constants as fsc,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';

/** Read/write chunk size: large enough that hashing, not syscalls, dominates. */
export const CHUNK_BYTES = 1024 * 1024;

/** fsyncs a file or a directory. Directories need it too: a rename is durable only once the directory is synced. */
export async function fsyncPath(path: string): Promise<void> {
  const fh = await fsp.open(path, fsc.O_RDONLY);
  try {
    await fh.sync();
  } catch (e) {
    // Some file systems (and Windows for directories) refuse fsync on a directory; the data
    // itself was synced file by file, so this is the best the platform offers.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    await fh.close();
  }
}

/**
 * fsyncs a directory so that a new or renamed entry in it survives a power cut. Windows
 * cannot open a directory for it (EISDIR/EPERM); NTFS journals the entry itself.
 */
export function fsyncDirectorySync(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this platform: the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Writes a file so that it is either wholly there or not at all: a temporary name, fsync,
 * rename over `path`. The caller fsyncs the directory once after a batch of these.
 */
export function writeFileAtomicSync(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Hex digests of the algorithms used by bags. */
export interface Digests {
  sha512: string;
  sha256: string;
  bytes: number;
}

/** SHA-512 and SHA-256 fed together, with a byte count. */
export class DualHasher {
  private readonly h512: Hash = createHash('sha512');
  private readonly h256: Hash = createHash('sha256');
  bytes = 0;

  update(chunk: Buffer): void {
    this.h512.update(chunk);
    this.h256.update(chunk);
    this.bytes += chunk.length;
  }

  digests(): Digests {
    return { sha512: this.h512.digest('hex'), sha256: this.h256.digest('hex'), bytes: this.bytes };
  }
}

async function writeAll(out: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) off += (await out.write(buf, off, buf.length - off)).bytesWritten;
}

/**
 * Copies `from` to a new file `to` in one read pass, computing SHA-512 and SHA-256 of the
 * bytes as they go through, then fsyncs the copy. Fails if `to` exists (`wx`): a seal never
 * overwrites anything. The read stream reads ahead while a chunk is being written, so
 * reading, hashing and writing overlap.
 */
export async function copyHashed(
  from: string,
  to: string,
  onChunk?: (bytes: number) => void,
): Promise<Digests> {
  const hasher = new DualHasher();
  const out = await fsp.open(to, 'wx', 0o644);
  try {
    for await (const chunk of createReadStream(from, { highWaterMark: CHUNK_BYTES })) {
      const buf = chunk as Buffer;
      // The write runs on libuv's thread pool while this thread hashes the same bytes.
      const written = writeAll(out, buf);
      hasher.update(buf);
      await written;
      onChunk?.(buf.length);
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return hasher.digests();
}

/** SHA-512 and SHA-256 of a file, one read pass. */
export async function hashFile(path: string, onChunk?: (bytes: number) => void): Promise<Digests> {
  const hasher = new DualHasher();
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    hasher.update(chunk as Buffer);
    onChunk?.((chunk as Buffer).length);
  }
  return hasher.digests();
}

/** Digests of bytes in memory. */
export function hashBytes(data: Buffer | string): Digests {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return {
    sha512: createHash('sha512').update(buf).digest('hex'),
    sha256: createHash('sha256').update(buf).digest('hex'),
    bytes: buf.length,
  };
}

/**
 * Writes a new file (never overwriting) and fsyncs it. With `mode` (a key: 0o600), the mode
 * is also set after the umask, so it is never wider than asked (chmod is a no-op on Windows,
 * where the profile's ACL protects the data directory).
 */
export async function writeFileDurable(
  path: string,
  data: Buffer | string,
  mode?: number,
): Promise<void> {
  const fh = await fsp.open(path, 'wx', mode ?? 0o644);
  try {
    await fh.writeFile(data);
    if (mode !== undefined) await fh.chmod(mode);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A file found by {@link walkFiles}: its path relative to the root, '/'-separated. */
export interface WalkedFile {
  rel: string;
  abs: string;
  size: number;
}

/**
 * Every regular file under `root`, sorted by relative path. Anything that is not a regular
 * file or directory (a symlink, a socket) is reported through `onOther` rather than
 * followed: a symlink in a bag could point anywhere and make a check read the wrong bytes.
 */
export async function walkFiles(
  root: string,
  onOther?: (rel: string, kind: string) => void,
): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  async function walk(dir: string, relDir: string): Promise<void> {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const abs = join(dir, e.name);
      const rel = relDir ? posix.join(relDir, e.name) : e.name;
      if (e.isDirectory()) await walk(abs, rel);
      else if (e.isFile()) out.push({ rel, abs, size: (await fsp.lstat(abs)).size });
      else onOther?.(rel, e.isSymbolicLink() ? 'symlink' : 'special file');
    }
  }
  await walk(root, '');
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}

/** Every directory under `root` (deepest first), `root` included last. */
export async function walkDirs(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name));
    }
    out.push(dir);
  }
  await walk(root);
  return out;
}

/**
 * Makes a finished tree read-only (files 0444, directories 0555) and fsyncs every file and
 * directory. Read-only is not protection against an administrator, but it stops casual
 * edits and tools that "helpfully" rewrite files (R4.3); the signature catches the rest.
 */
export async function sealTreeReadOnly(
  root: string,
  readers: 'everyone' | 'owner' = 'everyone',
): Promise<void> {
  const [file, dir] = readers === 'owner' ? [0o400, 0o500] : [0o444, 0o555];
  for (const f of await walkFiles(root)) {
    await fsp.chmod(f.abs, file);
    await fsyncPath(f.abs);
  }
  for (const d of await walkDirs(root)) {
    await fsp.chmod(d, dir);
    await fsyncPath(d);
  }
}

/** Makes a tree writable again so it can be removed (only ever used on temporary trees). */
export async function removeTree(root: string): Promise<void> {
  try {
    for (const d of await walkDirs(root)) await fsp.chmod(d, 0o755);
  } catch {
    // already gone or never sealed: rm below decides
  }
  await fsp.rm(root, { recursive: true, force: true });
}

/** Whether a path exists (lstat: a dangling symlink counts). */
export async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Converts a '/'-separated relative path to the platform's separator. */
export function fromPosix(rel: string): string {
  return rel.split('/').join(sep);
}
