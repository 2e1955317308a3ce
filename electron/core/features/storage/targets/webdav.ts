/**
 * WebDAV target (Apache mod_dav, Nextcloud, IIS, NAS appliances). The bag is PUT into a
 * collection `.tmp-<name>-<random>`, then MOVEd to its final name with `Overwrite: F` (the
 * server refuses if the name is taken), then every file is read back with GET and hashed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { Transform } from 'node:stream';
import { createClient, type FileStat, type WebDAVClient } from 'webdav';
import { CHUNK_BYTES, walkFiles } from '../../../platform/fs';
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

export interface WebDavTargetConfig {
  /** Base URL of the collection that holds the bags, e.g. `https://nas.agency.local/dav/attest`. */
  url: string;
  username?: string;
}

export interface WebDavTargetSecret {
  password?: string;
}

const TMP = '.tmp-';

export class WebDavTarget implements StorageTarget {
  readonly kind = 'webdav' as const;
  private readonly client: WebDAVClient;

  constructor(
    private readonly config: WebDavTargetConfig,
    secret: WebDavTargetSecret,
  ) {
    const u = new URL(config.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new TargetError(`a WebDAV URL must be http or https, not ${u.protocol}`, 'config');
    }
    this.client = createClient(config.url, {
      ...(config.username ? { username: config.username } : {}),
      ...(secret.password ? { password: secret.password } : {}),
    });
  }

  describe(): string {
    const u = new URL(this.config.url);
    u.password = '';
    return `webdav ${u.toString()}`;
  }

  async put(
    localPath: string,
    remoteName: string,
    onProgress?: (p: TransferProgress) => void,
    opts: PutOptions = {},
  ): Promise<PutResult> {
    const final = `/${remoteName}`;
    const notes: string[] = [];
    if ((await this.client.exists(final)) && !opts.replaceExisting)
      return { alreadyPresent: true, bytesSent: 0, notes };
    const listing = (await this.client.getDirectoryContents('/')) as FileStat[];
    for (const e of listing) {
      if (e.type === 'directory' && e.basename.startsWith(`${TMP}${remoteName}-`)) {
        await this.client.deleteFile(`/${e.basename}`).catch(() => {});
      }
    }
    const files = await walkFiles(localPath);
    const bytesTotal = files.reduce((a, f) => a + f.size, 0);
    const tmp = `/${TMP}${remoteName}-${randomBytes(6).toString('hex')}`;
    await this.client.createDirectory(tmp);
    const dirs = new Set<string>([tmp]);
    let done = 0;
    for (const f of files) {
      opts.signal?.throwIfAborted();
      const remote = posix.join(tmp, f.rel);
      const dir = posix.dirname(remote);
      if (!dirs.has(dir)) {
        await this.client.createDirectory(dir, { recursive: true });
        dirs.add(dir);
      }
      // Progress counts bytes handed to the HTTP client; the PUT's response confirms them.
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          done += chunk.length;
          onProgress?.({ bytesDone: done, bytesTotal, file: f.rel });
          cb(null, chunk);
        },
      });
      const source = createReadStream(f.abs, { highWaterMark: CHUNK_BYTES });
      source.on('error', (e) => counter.destroy(e));
      const ok = await this.client.putFileContents(remote, source.pipe(counter), {
        contentLength: f.size,
        overwrite: false,
      });
      if (!ok) throw new TargetError(`the server refused ${remote}`);
    }
    if (await this.client.exists(final)) {
      const aside = `/.replaced-${remoteName}-${Date.now()}`;
      await this.client.moveFile(final, aside, { overwrite: false });
      notes.push(`the previous copy failed verification and was moved to ${aside}`);
    }
    await this.client.moveFile(tmp, final, { overwrite: false });
    return { alreadyPresent: false, bytesSent: done, notes };
  }

  async verify(
    remoteName: string,
    expected: ExpectedManifest,
    onProgress?: (n: number) => void,
  ): Promise<RemoteVerification> {
    const final = `/${remoteName}`;
    const found = new Map<string, { size: number; sha256: string }>();
    let bytesRead = 0;
    if (await this.client.exists(final)) {
      for (const e of await this.walk(final)) {
        const rel = posix.relative(final, e.filename);
        const h = createHash('sha256');
        let size = 0;
        for await (const chunk of this.client.createReadStream(
          e.filename,
        ) as unknown as AsyncIterable<Buffer>) {
          h.update(chunk);
          size += chunk.length;
          bytesRead += chunk.length;
          onProgress?.(bytesRead);
        }
        found.set(rel, { size, sha256: h.digest('hex') });
      }
    }
    const problems = compareWithManifest(expected, found);
    return { ok: problems.length === 0, method: 'read-back', bytesRead, problems, notes: [] };
  }

  /**
   * Every file under a collection, listed one level at a time: many servers refuse
   * `Depth: infinity` (RFC 4918 §9.1 allows it), so no deep PROPFIND is relied on.
   */
  private async walk(dir: string): Promise<FileStat[]> {
    const out: FileStat[] = [];
    for (const e of (await this.client.getDirectoryContents(dir)) as FileStat[]) {
      if (e.type === 'directory') out.push(...(await this.walk(e.filename)));
      else out.push(e);
    }
    return out;
  }

  async removeProbe(
    remoteName: string,
  ): Promise<{ removed: true } | { removed: false; why: string }> {
    assertProbe(remoteName);
    try {
      await this.client.deleteFile(`/${remoteName}`);
      return { removed: true };
    } catch (e) {
      return { removed: false, why: (e as Error).message };
    }
  }

  async list(): Promise<string[]> {
    return ((await this.client.getDirectoryContents('/')) as FileStat[])
      .filter((e) => e.type === 'directory' && !e.basename.startsWith('.'))
      .map((e) => e.basename)
      .sort();
  }
}
