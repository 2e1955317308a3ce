/**
 * Reassembles whole write units (init, fragments) of a fragmented MP4 from payload chunks
 * cut at arbitrary places. The assembler holds only the bytes of the unit in progress; the
 * caller writes each unit it returns in one write. It never touches a file, so it is tested
 * by itself and shared by every writer.
 */
import { readBoxHeader, UnitTracker, type Unit } from './boxes';

export type AppendResult =
  | {
      ok: true;
      /** Units completed by this payload, in order; `bytes` of each is the exact file content. */
      units: { unit: Unit; bytes: Uint8Array }[];
    }
  | {
      ok: false;
      /** `gap` / `overlap`: the offset is wrong; `format`: the bytes are not a fragmented MP4; `too_large`: a unit over the limit. */
      reason: 'gap' | 'overlap' | 'format' | 'too_large';
      message: string;
    };

export interface AssemblerOptions {
  /** The largest unit (and so the most bytes held in memory) accepted; default 64 MiB. */
  maxUnitBytes?: number;
}

export const DEFAULT_MAX_UNIT_BYTES = 64 * 1024 * 1024;
const INITIAL_BUFFER = 1024 * 1024;
const SHRINK_ABOVE = 8 * 1024 * 1024;

export class FragmentAssembler {
  private readonly tracker = new UnitTracker();
  private readonly maxUnitBytes: number;
  /** Bytes of the unit in progress: file offsets [tracker.pendingStart, received). */
  private buf: Uint8Array = new Uint8Array(INITIAL_BUFFER);
  private len = 0;
  /** Offset (in the file) of the next box header not yet read. */
  private nextBox = 0;

  constructor(options: AssemblerOptions = {}) {
    this.maxUnitBytes = options.maxUnitBytes ?? DEFAULT_MAX_UNIT_BYTES;
  }

  /** The file offset the next payload must start at. */
  get expectedOffset(): number {
    return this.tracker.pendingStart + this.len;
  }

  /** Bytes received but not yet part of a whole unit. */
  get pendingBytes(): number {
    return this.len;
  }

  /** True once the init segment has been returned. */
  get initDone(): boolean {
    return this.tracker.initDone;
  }

  /**
   * Takes `payload` at file offset `offset`. A payload that does not start exactly where
   * the previous one ended is refused whole; so is one whose boxes are not a fragmented MP4
   * (nothing of it is kept, and the assembler stays as it was, so a corrected resend works).
   */
  append(offset: number, payload: Uint8Array): AppendResult {
    const expected = this.expectedOffset;
    if (offset > expected) {
      return {
        ok: false,
        reason: 'gap',
        message: `expected offset ${expected}, got ${offset}: ${offset - expected} bytes are missing`,
      };
    }
    if (offset < expected) {
      return {
        ok: false,
        reason: 'overlap',
        message: `expected offset ${expected}, got ${offset}: ${expected - offset} bytes were already received`,
      };
    }
    if (payload.length === 0) return { ok: true, units: [] };

    const restoreTracker = this.tracker.snapshot();
    const savedLen = this.len;
    const savedNext = this.nextBox;
    this.put(payload);

    const base = this.tracker.pendingStart;
    const completed: Unit[] = [];
    const fail = (reason: 'format' | 'too_large', message: string): AppendResult => {
      restoreTracker();
      this.len = savedLen;
      this.nextBox = savedNext;
      return { ok: false, reason, message };
    };
    const end = base + this.len;
    for (;;) {
      const at = this.nextBox - base;
      const h = readBoxHeader(this.buf, at, this.len);
      if (!h.ok) {
        if ('error' in h) return fail('format', `${h.error} (at offset ${this.nextBox})`);
        break;
      }
      const unitSoFar = this.nextBox + h.box.size - this.unitStart(completed);
      if (unitSoFar > this.maxUnitBytes) {
        return fail(
          'too_large',
          `the ${h.box.type} box at offset ${this.nextBox} would make a unit of ${unitSoFar} bytes, over the ${this.maxUnitBytes}-byte limit`,
        );
      }
      if (this.nextBox + h.box.size > end) break; // the box is not complete yet
      const r = this.tracker.push(h.box.type, this.nextBox, h.box.size);
      if (r.error) return fail('format', `${r.error} (at offset ${this.nextBox})`);
      this.nextBox += h.box.size;
      if (r.unit) completed.push(r.unit);
    }
    return { ok: true, units: this.take(base, completed) };
  }

  /**
   * Ends the stream: returns a trailing unit of whole non-media boxes if there is one, and
   * how many received bytes could not be made whole (an unfinished fragment).
   */
  finish(): { unit: { unit: Unit; bytes: Uint8Array } | null; discardedBytes: number } {
    const base = this.tracker.pendingStart;
    const tail = this.tracker.finish();
    const [taken] = tail ? this.take(base, [tail]) : [];
    const discardedBytes = this.len;
    this.len = 0;
    return { unit: taken ?? null, discardedBytes };
  }

  private unitStart(completed: Unit[]): number {
    return completed.length > 0 ? completed[completed.length - 1]!.end : this.tracker.pendingStart;
  }

  /** Copies the completed units out and drops their bytes from the buffer. */
  private take(base: number, units: Unit[]): { unit: Unit; bytes: Uint8Array }[] {
    if (units.length === 0) return [];
    const out = units.map((unit) => ({
      unit,
      // A copy: the buffer is reused, the caller may hold the bytes until they are written.
      bytes: this.buf.slice(unit.start - base, unit.end - base),
    }));
    const consumed = units[units.length - 1]!.end - base;
    this.buf.copyWithin(0, consumed, this.len);
    this.len -= consumed;
    // One oversized fragment should not pin its buffer for the rest of the segment.
    if (this.buf.length > SHRINK_ABOVE && this.len < INITIAL_BUFFER) {
      this.buf = this.buf.slice(0, INITIAL_BUFFER);
    }
    return out;
  }

  private put(payload: Uint8Array) {
    const need = this.len + payload.length;
    if (need > this.buf.length) {
      let size = this.buf.length;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(payload, this.len);
    this.len = need;
  }
}
