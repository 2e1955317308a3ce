/**
 * One segment file on disk: created exclusively (evidence is never overwritten), appended
 * one whole unit per `writeSync`, hashed as written, fsynced on demand. The file is whole
 * after every write: a failed or short write is cut back to the previous unit's end before
 * the error goes up, so a full disk never leaves half a fragment behind.
 */
import { fsyncDirectorySync } from '../../../platform/fs';
import { createHash, type Hash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  parseMoofTiming,
  parseMoov,
  type TrackInfo,
  type Unit,
  type UnitKind,
} from '../../../platform/media/boxes';

/** A unit as journaled: where it sits in the file and what media time it covers. */
export interface WrittenUnit {
  kind: UnitKind;
  /** 0 for the init, then 1, 2, … in file order. */
  seq: number;
  offset: number;
  size: number;
  /** Decode time of the fragment's first sample on the file's own media timeline. */
  decodeTimeUs: number | null;
  durationUs: number | null;
}

/** Latency figures of one file, for the status and the README's measurements. */
export interface WriteStats {
  writes: number;
  writeMsTotal: number;
  writeMsMax: number;
  fsyncs: number;
  fsyncMsTotal: number;
  fsyncMsMax: number;
  /** The SQLite transactions journaling what each fsync made durable (kept by the service). */
  journalMsTotal: number;
  journalMsMax: number;
}

export class SegmentFile {
  private fd: number | null;
  private readonly hash: Hash = createHash('sha256');
  /** SHA-512 too, as written: the bag's manifest takes it, so the seal hashes each file once. */
  private readonly hash512: Hash = createHash('sha512');
  private tracks: TrackInfo[] = [];
  private seq = 0;
  private unflushed: WrittenUnit[] = [];
  private firstUs: number | null = null;
  private lastUs: number | null = null;
  bytes = 0;
  fragments = 0;
  /** UTC ms of the last fsync (null before the first). */
  lastFsyncAt: number | null = null;
  /** performance.now() of the last fsync, for the once-a-second rule. */
  lastFsyncMono = performance.now();
  readonly stats: WriteStats = {
    writes: 0,
    writeMsTotal: 0,
    writeMsMax: 0,
    fsyncs: 0,
    fsyncMsTotal: 0,
    fsyncMsMax: 0,
    journalMsTotal: 0,
    journalMsMax: 0,
  };

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Creates the file; fails with EEXIST if it is already there (`wx`): a new segment never
   * replaces an old one. The directory entry is fsynced so the file survives a power cut.
   */
  static create(path: string): SegmentFile {
    mkdirSync(dirname(path), { recursive: true });
    // Recorded evidence is this account's alone (inside the 0700 data directory, and itself).
    const fd = openSync(path, 'wx', 0o600);
    fsyncDirectorySync(dirname(path));
    return new SegmentFile(path, fd);
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Units written since the last fsync (not yet durable, not yet journaled). */
  get unflushedCount(): number {
    return this.unflushed.length;
  }

  /** Media time covered so far (last fragment end − first fragment start). */
  get durationUs(): number | null {
    return this.firstUs === null || this.lastUs === null ? null : this.lastUs - this.firstUs;
  }

  /** SHA-256 of everything written so far (the hash goes on; this digests a copy). */
  sha256SoFar(): string {
    return this.hash.copy().digest('hex');
  }

  /**
   * Appends one whole unit in one write at the end of the file. On any failure the file is
   * cut back to where it was, and the error is rethrown.
   */
  write(unit: Unit, bytes: Uint8Array): WrittenUnit {
    if (this.fd === null) throw new Error('the segment file is closed');
    const fd = this.fd;
    const at = this.bytes;
    const t0 = performance.now();
    try {
      let done = writeSync(fd, bytes, 0, bytes.length, at);
      // A regular file takes the whole buffer unless the disk fills up; finish or fail.
      while (done < bytes.length) {
        const n = writeSync(fd, bytes, done, bytes.length - done, at + done);
        if (n === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        done += n;
      }
    } catch (e) {
      try {
        ftruncateSync(fd, at);
      } catch {
        // Recovery will cut it back from the journal's view of the boxes.
      }
      throw e;
    }
    const ms = performance.now() - t0;
    this.stats.writes++;
    this.stats.writeMsTotal += ms;
    this.stats.writeMsMax = Math.max(this.stats.writeMsMax, ms);
    this.hash.update(bytes);
    this.hash512.update(bytes);
    this.bytes += bytes.length;

    let timing: { startUs: number; endUs: number } | null = null;
    if (unit.kind === 'init') {
      const moov = unit.boxes.find((b) => b.type === 'moov');
      if (moov) this.tracks = parseMoov(bytes, moov.start - unit.start);
    } else if (unit.kind === 'fragment') {
      this.fragments++;
      const moof = unit.boxes.find((b) => b.type === 'moof');
      if (moof) timing = parseMoofTiming(bytes, this.tracks, moof.start - unit.start);
      if (timing) {
        this.firstUs =
          this.firstUs === null ? timing.startUs : Math.min(this.firstUs, timing.startUs);
        this.lastUs = this.lastUs === null ? timing.endUs : Math.max(this.lastUs, timing.endUs);
      }
    }
    const written: WrittenUnit = {
      kind: unit.kind,
      seq: this.seq++,
      offset: at,
      size: bytes.length,
      decodeTimeUs: timing?.startUs ?? null,
      durationUs: timing ? timing.endUs - timing.startUs : null,
    };
    this.unflushed.push(written);
    return written;
  }

  /** Makes everything written durable; returns the units that just became durable. */
  fsync(nowUtc: number): WrittenUnit[] {
    if (this.fd === null) return [];
    const t0 = performance.now();
    fsyncSync(this.fd);
    const t1 = performance.now();
    const ms = t1 - t0;
    this.stats.fsyncs++;
    this.stats.fsyncMsTotal += ms;
    this.stats.fsyncMsMax = Math.max(this.stats.fsyncMsMax, ms);
    this.lastFsyncAt = nowUtc;
    this.lastFsyncMono = t1;
    return this.unflushed.splice(0);
  }

  /**
   * fsyncs and closes; returns the units that became durable and the final hashes. The closed
   * file is made read-only: nothing writes to it again, and the bag may take it by a link.
   */
  close(nowUtc: number): { durable: WrittenUnit[]; sha256: string; sha512: string } {
    const durable = this.fsync(nowUtc);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    try {
      chmodSync(this.path, 0o400);
    } catch {
      // A file that cannot be made read-only is still whole; the seal checks it either way.
    }
    return {
      durable,
      sha256: this.hash.copy().digest('hex'),
      sha512: this.hash512.copy().digest('hex'),
    };
  }

  /** Closes without fsync, for a file that could not be opened as a segment after all. */
  abandon(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
