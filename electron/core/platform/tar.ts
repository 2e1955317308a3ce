/**
 * A serialized bag (RFC 8493 §4): one uncompressed POSIX tar (pax) archive whose single
 * top-level directory is the bag. Object stores have no rename, so the S3 target uploads
 * the whole bag as one object through a multipart upload, which stays invisible until it
 * is completed: the bag appears whole or not at all, and one Object Lock retention covers
 * it. Any tar (GNU tar, bsdtar, 7-Zip) unpacks it.
 *
 * Only what a bag needs is written: regular files, mode 0444, with a pax `path` record
 * for long or non-ASCII (Chinese) names and a pax `size` record above 8 GiB.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CHUNK_BYTES, type WalkedFile } from './fs';

const BLOCK = 512;
const USTAR_MAX_SIZE = 0o77777777777; // 8 GiB - 1 in 11 octal digits

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: number, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(type === 'x' ? 0o644 : 0o444, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(Math.min(size, USTAR_MAX_SIZE), 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  // The length prefix counts itself: iterate until it is stable.
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len)
    len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

interface Planned {
  headers: Buffer;
  file: WalkedFile;
}

function plan(bagName: string, files: readonly WalkedFile[], mtime: number): Planned[] {
  return files.map((f) => {
    const name = `${bagName}/${f.rel}`;
    const needsPath = Buffer.byteLength(name) > 99 || /[^\x20-\x7e]/.test(name);
    const needsSize = f.size > USTAR_MAX_SIZE;
    const parts: Buffer[] = [];
    if (needsPath || needsSize) {
      const pax = Buffer.from(
        (needsPath ? paxRecord('path', name) : '') +
          (needsSize ? paxRecord('size', String(f.size)) : ''),
        'utf8',
      );
      parts.push(
        header('PaxHeader', pax.length, mtime, 'x'),
        pax,
        Buffer.alloc(padding(pax.length)),
      );
    }
    const shortName = needsPath
      ? `${bagName.replace(/[^\x20-\x7e]/g, '_').slice(0, 40)}/${f.rel.replace(/[^\x20-\x7e]/g, '_').slice(-50)}`
      : name;
    parts.push(header(shortName, f.size, mtime, '0'));
    return { headers: Buffer.concat(parts), file: f };
  });
}

/** Exact size of the archive {@link tarStream} produces, known before reading any file. */
export function tarSize(bagName: string, files: readonly WalkedFile[]): number {
  return (
    plan(bagName, files, 0).reduce(
      (a, p) => a + p.headers.length + p.file.size + padding(p.file.size),
      0,
    ) +
    2 * BLOCK
  );
}

/** Streams the bag as a tar archive; `onFile` tells which file is being read. */
export function tarStream(
  bagName: string,
  files: readonly WalkedFile[],
  mtimeSeconds: number,
  onFile?: (rel: string) => void,
): Readable {
  const planned = plan(bagName, files, mtimeSeconds);
  async function* gen(): AsyncGenerator<Buffer> {
    for (const p of planned) {
      onFile?.(p.file.rel);
      yield p.headers;
      let n = 0;
      for await (const chunk of createReadStream(p.file.abs, { highWaterMark: CHUNK_BYTES })) {
        n += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (n !== p.file.size) throw new Error(`${p.file.rel} changed size while being sent`);
      const pad = padding(p.file.size);
      if (pad) yield Buffer.alloc(pad);
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  return Readable.from(gen(), { objectMode: false });
}

/** One member found by {@link readTar}. */
export interface TarMember {
  path: string;
  size: number;
}

function parseOctal(buf: Buffer): number {
  const s = buf.toString('ascii').replace(/\0.*$/s, '').trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/**
 * Reads a tar stream, calling `onData` with each regular file's bytes as they arrive and
 * `onMember` when a file is complete. Understands what {@link tarStream} writes plus plain
 * ustar/GNU directories and pax headers; anything else is skipped.
 */
export async function readTar(
  source: AsyncIterable<Uint8Array>,
  handlers: { onStart(m: TarMember): void; onData(chunk: Buffer): void; onEnd(m: TarMember): void },
): Promise<void> {
  let buf = Buffer.alloc(0);
  let state: 'header' | 'data' | 'pad' | 'pax' | 'skip' = 'header';
  let remaining = 0;
  let current: TarMember | null = null;
  let paxBuf: Buffer[] = [];
  let pax: Record<string, string> = {};
  let ended = false;
  const take = (n: number): Buffer => {
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
  for await (const chunk of source) {
    buf = buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([buf, chunk]);
    for (;;) {
      if (ended) break;
      if (state === 'header') {
        if (buf.length < BLOCK) break;
        const h = take(BLOCK);
        if (h.every((b) => b === 0)) {
          ended = true;
          break;
        }
        const type = String.fromCharCode(h[156]!);
        const size = pax.size !== undefined ? Number(pax.size) : parseOctal(h.subarray(124, 136));
        const prefix = h.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
        const base = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
        const name = pax.path ?? (prefix ? `${prefix}/${base}` : base);
        if (type === 'x') {
          state = 'pax';
          remaining = size;
          paxBuf = [];
        } else if (type === '0' || type === '\0') {
          current = { path: name, size };
          pax = {};
          handlers.onStart(current);
          state = 'data';
          remaining = size;
        } else {
          pax = {};
          state = 'skip';
          remaining = size + padding(size);
        }
        continue;
      }
      if (state === 'data' || state === 'pax' || state === 'skip') {
        if (remaining > 0) {
          if (buf.length === 0) break;
          const part = take(Math.min(remaining, buf.length));
          remaining -= part.length;
          if (state === 'data') handlers.onData(part);
          else if (state === 'pax') paxBuf.push(Buffer.from(part));
          if (remaining > 0) break;
        }
        if (state === 'skip') {
          state = 'header';
          continue;
        }
        const size = state === 'data' ? current!.size : paxBuf.reduce((a, b) => a + b.length, 0);
        if (state === 'data') handlers.onEnd(current!);
        else {
          const text = Buffer.concat(paxBuf).toString('utf8');
          for (const m of text.matchAll(/\d+ ([^=]+)=([^\n]*)\n/g)) pax[m[1]!] = m[2]!;
        }
        remaining = padding(size);
        state = 'pad';
      }
      if (state === 'pad') {
        if (buf.length < remaining) {
          remaining -= buf.length;
          buf = Buffer.alloc(0);
          break;
        }
        take(remaining);
        remaining = 0;
        state = 'header';
      }
    }
    if (ended) break;
  }
  if (!ended && (state !== 'header' || buf.length > 0))
    throw new Error('the archive ends in the middle of a file');
  if (!ended) throw new Error('the archive has no end-of-archive marker');
}
