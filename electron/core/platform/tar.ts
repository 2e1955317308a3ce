/**
 * A serialized bag (RFC 8493 §4): one uncompressed POSIX tar (pax) archive whose single
 * top-level directory is the bag. Object stores have no rename, so the S3 target uploads
 * the whole bag as one object through a multipart upload, which stays invisible until it
 * is completed: the bag appears whole or not at all, and one Object Lock retention covers
 * it. Any tar (GNU tar, bsdtar, 7-Zip) unpacks it.
 *
 * The `tar-stream` package writes and reads the archive, streaming: a file is never held in
 * memory. Only what a bag needs is written: regular files, mode 0444, with a pax `path`
 * record for long or non-ASCII (Chinese) names (chosen here, so the size is known before
 * any file is read) and a base-256 size field above 8 GiB, as GNU tar writes it.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { extract, pack, type Extract, type Header, type Pack } from 'tar-stream';
import { CHUNK_BYTES, type WalkedFile } from './fs';

const BLOCK = 512;
/** A ustar name field holds 100 bytes; longer or non-ASCII names go in a pax `path` record. */
const USTAR_NAME_BYTES = 100;

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** A pax extended-header record, `<length> <key>=<value>\n`, whose length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len)
    len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function needsPaxPath(name: string): boolean {
  return Buffer.byteLength(name) > USTAR_NAME_BYTES || /[^\x20-\x7e]/.test(name);
}

/** The bytes before a member's data: its header, after a pax header and record when needed. */
function headerBytes(name: string): number {
  if (!needsPaxPath(name)) return BLOCK;
  const pax = Buffer.byteLength(paxRecord('path', name));
  return BLOCK + pax + padding(pax) + BLOCK;
}

/** Exact size of the archive {@link tarStream} produces, known before reading any file. */
export function tarSize(bagName: string, files: readonly WalkedFile[]): number {
  return (
    files.reduce((a, f) => a + headerBytes(`${bagName}/${f.rel}`) + f.size + padding(f.size), 0) +
    2 * BLOCK
  );
}

/** A member being written (tar-stream's streams are streamx streams, not Node streams). */
type EntrySink = ReturnType<Pack['entry']>;

/** Waits until a writable takes more; rejects when it is closed instead. */
function drained(w: EntrySink | Extract): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      w.off('drain', settle);
      w.off('close', settle);
      if (w.destroying) reject(new Error('the archive was closed'));
      else resolve();
    };
    if (w.destroying) return settle();
    w.on('drain', settle);
    w.on('close', settle);
  });
}

/** Streams the bag as a tar archive; `onFile` tells which file is being read. */
export function tarStream(
  bagName: string,
  files: readonly WalkedFile[],
  mtimeSeconds: number,
  onFile?: (rel: string) => void,
): Readable {
  const archive = pack();
  const mtime = new Date(mtimeSeconds * 1000);
  const write = async (): Promise<void> => {
    for (const f of files) {
      onFile?.(f.rel);
      const name = `${bagName}/${f.rel}`;
      // An empty `pax` object makes tar-stream write the path as a pax record (see tarSize).
      const header: Partial<Header> & Pick<Header, 'name'> = {
        name,
        size: f.size,
        mode: 0o444,
        mtime,
        type: 'file',
        ...(needsPaxPath(name) ? { pax: {} } : {}),
      };
      let entry!: EntrySink;
      const done = new Promise<void>((resolve, reject) => {
        entry = archive.entry(header, (err) => (err ? reject(err) : resolve()));
      });
      // A failure reaches the reader through the archive, which is destroyed with it.
      done.catch(() => {});
      entry.on('error', () => {});
      let n = 0;
      for await (const chunk of createReadStream(f.abs, { highWaterMark: CHUNK_BYTES })) {
        n += (chunk as Buffer).length;
        if (n > f.size) break;
        if (!entry.write(chunk)) await drained(entry);
      }
      if (n !== f.size) throw new Error(`${f.rel} changed size while being sent`);
      entry.end(null); // streamx's end takes an optional last chunk: none
      await done;
    }
    archive.finalize();
  };
  write().catch((e: unknown) => archive.destroy(e as Error));
  return Readable.from(archive, { objectMode: false });
}

/** One member found by {@link readTar}. */
export interface TarMember {
  path: string;
  size: number;
}

/**
 * The bytes read after the last member, to tell an archive that ends with its end-of-archive
 * block (512 zero bytes) from one cut off between two members, which tar-stream accepts.
 * Keeps the chunks from the end of the latest member on: the reader runs at most a few
 * chunks ahead of the parser, and past the last member only the first block counts.
 */
class AfterLastMember {
  private chunks: { at: number; bytes: Buffer }[] = [];
  private fed = 0;
  private end = 0;
  private static readonly KEEP = 8 * 1024 * 1024;

  /** Notes a chunk as it is handed to the parser. */
  feed(chunk: Buffer): void {
    if (this.fed < this.end + AfterLastMember.KEEP && this.fed + chunk.length > this.end)
      this.chunks.push({ at: this.fed, bytes: chunk });
    this.fed += chunk.length;
  }

  /** A member's data (and padding) ends at `end`. */
  memberEndsAt(end: number): void {
    this.end = end;
    this.chunks = this.chunks.filter((c) => c.at + c.bytes.length > end);
  }

  /** Whether the block after the last member is all zeros. */
  endMarked(): boolean {
    const block = Buffer.alloc(BLOCK, 1);
    for (const c of this.chunks) {
      const from = Math.max(this.end, c.at);
      const to = Math.min(this.end + BLOCK, c.at + c.bytes.length);
      if (to > from) c.bytes.copy(block, from - this.end, from - c.at, to - c.at);
    }
    return block.every((b) => b === 0);
  }
}

/**
 * Reads a tar stream, calling `onData` with each regular file's bytes as they arrive and
 * `onEnd` when a file is complete. Reads ustar, pax and GNU archives; members other than
 * regular files are skipped. Rejects an archive cut off in a member or before its end block.
 */
export async function readTar(
  source: AsyncIterable<Uint8Array>,
  handlers: { onStart(m: TarMember): void; onData(chunk: Buffer): void; onEnd(m: TarMember): void },
): Promise<void> {
  const parser = extract();
  const after = new AfterLastMember();
  let sourceError: unknown = null;
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        after.feed(buf);
        if (!parser.write(buf)) await drained(parser);
      }
      parser.end(null);
    } catch (e) {
      // Unless the parser was closed first (a handler threw): then that error is the one.
      if (!parser.destroying) {
        sourceError = e;
        parser.destroy(e as Error);
      }
    }
  })();
  try {
    for await (const entry of parser) {
      const h = entry.header;
      const size = h.size;
      if (h.type === 'file' || h.type === 'contiguous-file') {
        const m: TarMember = { path: h.name, size };
        handlers.onStart(m);
        for await (const chunk of entry) handlers.onData(chunk as Buffer);
        handlers.onEnd(m);
      } else entry.resume();
      // `offset` is where the member's own header block starts; its data follows it.
      after.memberEndsAt(entry.offset + BLOCK + size + padding(size));
    }
  } catch (e) {
    if (sourceError) throw sourceError;
    if (e instanceof Error && /unexpected end of data/i.test(e.message))
      throw new Error('the archive ends in the middle of a file', { cause: e });
    throw e;
  } finally {
    await feeding;
  }
  if (!after.endMarked()) throw new Error('the archive has no end-of-archive marker');
}
