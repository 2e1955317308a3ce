/**
 * Crash recovery of one segment file. The file is judged by scanning its boxes from the
 * start, never by trusting the journal alone: the journal lags the file by up to one fsync
 * interval, and after a power cut the file may end anywhere, even inside a moof header, which
 * makes the whole file unreadable to ffmpeg and Chromium until it is cut back (FINDINGS).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  readdirSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  parseMoofTiming,
  parseMoov,
  readBoxHeader,
  UnitTracker,
  type TrackInfo,
  type UnitKind,
} from '../../../platform/media/boxes';

export interface ScannedUnit {
  kind: UnitKind;
  offset: number;
  size: number;
  decodeTimeUs: number | null;
  durationUs: number | null;
}

export interface ScanResult {
  fileBytes: number;
  /** The whole units, in file order. */
  units: ScannedUnit[];
  /** End of the last whole unit: what the file is cut back to. */
  wholeBytes: number;
  /** Why the file does not end on a unit boundary (null when it does). */
  problem: string | null;
  fragments: number;
  durationUs: number | null;
}

/** Largest moov/moof read into memory for timing (they are a few KB in practice). */
const MAX_HEADER_BOX = 16 * 1024 * 1024;

function readAt(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

/** Scans an open file's top-level boxes and groups them into whole units. */
export function scanSegment(fd: number): ScanResult {
  const fileBytes = fstatSync(fd).size;
  const tracker = new UnitTracker();
  const units: ScannedUnit[] = [];
  let tracks: TrackInfo[] = [];
  let problem: string | null = null;
  let pos = 0;
  while (pos < fileBytes) {
    const head = readAt(fd, pos, Math.min(16, fileBytes - pos));
    const h = readBoxHeader(head, 0);
    if (!h.ok) {
      problem =
        'error' in h
          ? `${h.error} at offset ${pos}`
          : `the file ends inside a box header at offset ${pos} (${fileBytes - pos} bytes)`;
      break;
    }
    const { type, size } = h.box;
    if (pos + size > fileBytes) {
      problem = `the ${type} box at offset ${pos} is cut off (${fileBytes - pos} of ${size} bytes)`;
      break;
    }
    const r = tracker.push(type, pos, size);
    if (r.error) {
      problem = `${r.error} at offset ${pos}`;
      break;
    }
    if ((type === 'moov' || type === 'moof') && size <= MAX_HEADER_BOX) {
      const box = readAt(fd, pos, size);
      if (type === 'moov') tracks = parseMoov(box);
    }
    if (r.unit) {
      let timing: { startUs: number; endUs: number } | null = null;
      const moof = r.unit.boxes.find((b) => b.type === 'moof');
      if (r.unit.kind === 'fragment' && moof && moof.size <= MAX_HEADER_BOX) {
        timing = parseMoofTiming(readAt(fd, moof.start, moof.size), tracks);
      }
      units.push({
        kind: r.unit.kind,
        offset: r.unit.start,
        size: r.unit.end - r.unit.start,
        decodeTimeUs: timing?.startUs ?? null,
        durationUs: timing ? timing.endUs - timing.startUs : null,
      });
    }
    pos += size;
  }
  const last = units[units.length - 1];
  const wholeBytes = last ? last.offset + last.size : 0;
  if (problem === null && wholeBytes < fileBytes) {
    problem = `${fileBytes - wholeBytes} bytes after the last whole fragment belong to an unfinished one`;
  }
  const timed = units.filter((u) => u.decodeTimeUs !== null);
  const first = timed.length ? Math.min(...timed.map((u) => u.decodeTimeUs!)) : null;
  const end = timed.length ? Math.max(...timed.map((u) => u.decodeTimeUs! + u.durationUs!)) : null;
  return {
    fileBytes,
    units,
    wholeBytes,
    problem,
    fragments: units.filter((u) => u.kind === 'fragment').length,
    durationUs: first === null || end === null ? null : end - first,
  };
}

export interface RecoveredFile extends ScanResult {
  /** Bytes removed from the end of the file. */
  bytesCut: number;
  sha256: string;
  /**
   * The bytes cut from this file, kept beside it (`<file>.cut-N`): nothing recorded is
   * destroyed, even what no player can read. Also lists cut files of earlier recoveries.
   */
  cutFiles: string[];
}

/** Copies `[from, to)` of an open file into a new `<path>.cut-N`, fsynced, and returns its path. */
function keepCut(fd: number, path: string, from: number, to: number): string {
  let n = 1;
  while (existsSync(`${path}.cut-${n}`)) n++;
  const cutPath = `${path}.cut-${n}`;
  const out = openSync(cutPath, 'wx', 0o600);
  try {
    const chunk = new Uint8Array(4 * 1024 * 1024);
    for (let at = from; at < to;) {
      const got = readSync(fd, chunk, 0, Math.min(chunk.length, to - at), at);
      if (got === 0) break;
      writeSync(out, chunk, 0, got);
      at += got;
    }
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
  // The directory entry must survive a power cut too.
  const dir = openSync(dirname(cutPath), 'r');
  try {
    fsyncSync(dir);
  } catch {
    // directories cannot be fsynced on every platform (Windows)
  } finally {
    closeSync(dir);
  }
  return cutPath;
}

function cutFilesOf(path: string): string[] {
  const prefix = `${basename(path)}.cut-`;
  return readdirSync(dirname(path))
    .filter((f) => f.startsWith(prefix))
    .sort()
    .map((f) => join(dirname(path), f));
}

/**
 * Cuts a segment file back to its last whole unit (fsynced), then hashes what is kept. A
 * file that already ends on a unit boundary is left exactly as it is.
 */
export function recoverSegmentFile(path: string): RecoveredFile {
  const fd = openSync(path, 'r+');
  try {
    const scan = scanSegment(fd);
    const bytesCut = scan.fileBytes - scan.wholeBytes;
    if (bytesCut > 0) {
      // Keep what is cut before cutting it: a crash in between leaves both copies.
      keepCut(fd, path, scan.wholeBytes, scan.fileBytes);
      ftruncateSync(fd, scan.wholeBytes);
      fsyncSync(fd);
    }
    const hash = createHash('sha256');
    const chunk = new Uint8Array(4 * 1024 * 1024);
    for (let at = 0; at < scan.wholeBytes;) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, scan.wholeBytes - at), at);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      at += n;
    }
    return { ...scan, bytesCut, sha256: hash.digest('hex'), cutFiles: cutFilesOf(path) };
  } finally {
    closeSync(fd);
  }
}
