/**
 * Just enough ISO BMFF (MP4) parsing for the media sink: top-level box headers, the
 * grouping of boxes into whole write units of a fragmented MP4 (the init, then one unit per
 * fragment), and the timing fields of `moov` and `moof`. Pure functions over bytes, shared
 * by the live writer ({@link ./assembler}) and crash recovery ({@link ./recover}), so a
 * file is judged whole by the same rules whether it is being written or read back.
 */

/** A top-level box header: `size` covers the header; `header` is 8, or 16 with a largesize. */
export interface BoxHeader {
  type: string;
  size: number;
  header: 8 | 16;
}

export type HeaderResult =
  | { ok: true; box: BoxHeader }
  /** Not enough bytes yet to read the header. */
  | { ok: false; need: number }
  | { ok: false; error: string };

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads the box header at `at`. A size of 0 ("to the end of the file") is refused: in a
 * stream of fragments it would swallow everything after it, and a crash could never be
 * told from the end. A largesize beyond 2^53 is refused too (no such fragment exists).
 */
export function readBoxHeader(bytes: Uint8Array, at: number, end = bytes.length): HeaderResult {
  if (end - at < 8) return { ok: false, need: 8 };
  const v = view(bytes);
  const size32 = v.getUint32(at);
  const type = fourcc(bytes, at + 4);
  if (!/^[\x20-\x7e]{4}$/.test(type)) {
    return { ok: false, error: `no MP4 box at this position (type bytes ${JSON.stringify(type)})` };
  }
  if (size32 === 0) {
    return { ok: false, error: `the ${type} box has size 0 (to end of file), not allowed here` };
  }
  if (size32 === 1) {
    if (end - at < 16) return { ok: false, need: 16 };
    const large = v.getBigUint64(at + 8);
    if (large > BigInt(Number.MAX_SAFE_INTEGER)) {
      return { ok: false, error: `the ${type} box is impossibly large` };
    }
    const size = Number(large);
    if (size < 16) return { ok: false, error: `the ${type} box is shorter than its header` };
    return { ok: true, box: { type, size, header: 16 } };
  }
  if (size32 < 8) return { ok: false, error: `the ${type} box is shorter than its header` };
  return { ok: true, box: { type, size: size32, header: 8 } };
}

/** Iterates the child boxes of a container's payload `[start, end)`; stops at the first bad one. */
export function* childBoxes(
  bytes: Uint8Array,
  start: number,
  end: number,
): Generator<{ type: string; start: number; bodyStart: number; end: number }> {
  let at = start;
  while (at < end) {
    const h = readBoxHeader(bytes, at, end);
    if (!h.ok || at + h.box.size > end) return;
    yield { type: h.box.type, start: at, bodyStart: at + h.box.header, end: at + h.box.size };
    at += h.box.size;
  }
}

// ---------------------------------------------------------------------------------------
// Write units: which runs of top-level boxes are written together.

export type UnitKind = 'init' | 'fragment' | 'tail';

/** A whole run of top-level boxes, written to the file in one write. */
export interface Unit {
  kind: UnitKind;
  /** Offset in the segment file. */
  start: number;
  end: number;
  /** Top-level boxes of the unit, in order. */
  boxes: { type: string; start: number; size: number }[];
}

/** Boxes that may stand between fragments and belong to the fragment that follows them. */
const BETWEEN_FRAGMENTS = new Set(['styp', 'sidx', 'ssix', 'prft', 'emsg', 'free', 'skip', 'uuid']);
/** Boxes that may precede or follow `ftyp` in the init. */
const IN_INIT = new Set(['free', 'skip', 'uuid', 'pdin', 'wide', 'styp', 'sidx']);

/**
 * Groups top-level boxes into write units, one box at a time:
 * - the init is everything from `ftyp` (which must come first) to the end of `moov`;
 * - a fragment is everything after the previous unit up to the end of an `mdat` that
 *   follows a `moof` (styp, sidx, prft, emsg may come before the moof);
 * - `mfra` (the random-access index a muxer appends when it finishes) is a tail unit.
 * Anything else (media before the moov, a second moov, an mdat without a moof) is an error:
 * the stream is not a fragmented MP4 this sink can keep whole.
 */
export class UnitTracker {
  private phase: 'init' | 'fragments' = 'init';
  private current: Unit['boxes'] = [];
  private currentStart = 0;
  private hasMoof = false;

  /** Where the unit being collected starts (the end of the last whole unit). */
  get pendingStart(): number {
    return this.currentStart;
  }

  /** True once the init (ftyp..moov) is complete. */
  get initDone(): boolean {
    return this.phase === 'fragments';
  }

  /** The boxes collected since the last whole unit. */
  get pendingBoxes(): readonly Unit['boxes'][number][] {
    return this.current;
  }

  snapshot(): () => void {
    const saved = {
      phase: this.phase,
      current: [...this.current],
      currentStart: this.currentStart,
      hasMoof: this.hasMoof,
    };
    return () => {
      this.phase = saved.phase;
      this.current = saved.current;
      this.currentStart = saved.currentStart;
      this.hasMoof = saved.hasMoof;
    };
  }

  /** Feeds one complete top-level box; returns a unit when it completes one. */
  push(type: string, start: number, size: number): { unit?: Unit; error?: string } {
    const box = { type, start, size };
    const end = start + size;
    if (this.phase === 'init') {
      if (this.current.length === 0 && start === 0 && type !== 'ftyp') {
        return { error: `a fragmented MP4 starts with ftyp, not ${type}` };
      }
      if (type === 'ftyp') {
        if (this.current.some((b) => b.type === 'ftyp')) return { error: 'a second ftyp box' };
        this.current.push(box);
        return {};
      }
      if (type === 'moov') {
        const unit: Unit = {
          kind: 'init',
          start: this.currentStart,
          end,
          boxes: [...this.current, box],
        };
        this.phase = 'fragments';
        this.reset(end);
        return { unit };
      }
      if (IN_INIT.has(type)) {
        this.current.push(box);
        return {};
      }
      return { error: `${type} before the moov box: the init segment is missing` };
    }
    switch (type) {
      case 'moof':
        if (this.hasMoof) return { error: 'two moof boxes without an mdat between them' };
        this.hasMoof = true;
        this.current.push(box);
        return {};
      case 'mdat': {
        if (!this.hasMoof) return { error: 'an mdat box without a moof before it' };
        const unit: Unit = {
          kind: 'fragment',
          start: this.currentStart,
          end,
          boxes: [...this.current, box],
        };
        this.reset(end);
        return { unit };
      }
      case 'mfra': {
        if (this.hasMoof) return { error: 'an mfra box inside a fragment' };
        const unit: Unit = {
          kind: 'tail',
          start: this.currentStart,
          end,
          boxes: [...this.current, box],
        };
        this.reset(end);
        return { unit };
      }
      case 'ftyp':
      case 'moov':
        return { error: `a second ${type} box after the init segment` };
      default:
        if (!BETWEEN_FRAGMENTS.has(type) && this.hasMoof) {
          return { error: `an unexpected ${type} box between moof and mdat` };
        }
        this.current.push(box);
        return {};
    }
  }

  /**
   * Closes the stream: complete boxes left after the last unit that hold no media (free,
   * emsg without a moof) become a tail unit; a started fragment without its mdat does not.
   */
  finish(): Unit | null {
    if (this.phase !== 'fragments' || this.hasMoof || this.current.length === 0) return null;
    const last = this.current[this.current.length - 1]!;
    const unit: Unit = {
      kind: 'tail',
      start: this.currentStart,
      end: last.start + last.size,
      boxes: [...this.current],
    };
    this.reset(unit.end);
    return unit;
  }

  private reset(at: number) {
    this.current = [];
    this.currentStart = at;
    this.hasMoof = false;
  }
}

// ---------------------------------------------------------------------------------------
// Timing: track timescales from moov, decode times and durations from each moof.

export interface TrackInfo {
  trackId: number;
  timescale: number;
  /** `vide`, `soun`, … from the hdlr box. */
  handler: string;
  /** trex default_sample_duration (used when a fragment gives none). */
  defaultSampleDuration: number;
}

function fullBoxVersion(bytes: Uint8Array, bodyStart: number): { version: number; flags: number } {
  const v = view(bytes);
  const word = v.getUint32(bodyStart);
  return { version: word >>> 24, flags: word & 0xffffff };
}

/** Reads the tracks of a `moov` box (`bytes` holds the whole box at `start`). */
export function parseMoov(bytes: Uint8Array, start = 0): TrackInfo[] {
  const h = readBoxHeader(bytes, start);
  if (!h.ok || h.box.type !== 'moov' || start + h.box.size > bytes.length) return [];
  const v = view(bytes);
  const tracks: TrackInfo[] = [];
  const trexDefaults = new Map<number, number>();
  for (const child of childBoxes(bytes, start + h.box.header, start + h.box.size)) {
    if (child.type === 'mvex') {
      for (const m of childBoxes(bytes, child.bodyStart, child.end)) {
        if (m.type === 'trex' && m.end - m.bodyStart >= 16) {
          trexDefaults.set(v.getUint32(m.bodyStart + 4), v.getUint32(m.bodyStart + 12));
        }
      }
    }
    if (child.type !== 'trak') continue;
    let trackId = 0;
    let timescale = 0;
    let handler = '';
    for (const t of childBoxes(bytes, child.bodyStart, child.end)) {
      if (t.type === 'tkhd' && t.end - t.bodyStart >= 24) {
        const { version } = fullBoxVersion(bytes, t.bodyStart);
        trackId = v.getUint32(t.bodyStart + (version === 1 ? 20 : 12));
      }
      if (t.type !== 'mdia') continue;
      for (const m of childBoxes(bytes, t.bodyStart, t.end)) {
        if (m.type === 'mdhd' && m.end - m.bodyStart >= 24) {
          const { version } = fullBoxVersion(bytes, m.bodyStart);
          timescale = v.getUint32(m.bodyStart + (version === 1 ? 20 : 12));
        }
        if (m.type === 'hdlr' && m.end - m.bodyStart >= 12)
          handler = fourcc(bytes, m.bodyStart + 8);
      }
    }
    if (trackId > 0 && timescale > 0) {
      tracks.push({ trackId, timescale, handler, defaultSampleDuration: 0 });
    }
  }
  for (const t of tracks) t.defaultSampleDuration = trexDefaults.get(t.trackId) ?? 0;
  return tracks;
}

/** Decode-time span of one fragment, in microseconds of media time, over all its tracks. */
export interface FragmentTiming {
  startUs: number;
  endUs: number;
}

function toUs(ticks: bigint, timescale: number): number {
  return Number((ticks * 1_000_000n) / BigInt(timescale));
}

/**
 * Reads the decode time (tfdt) and the summed sample durations (trun, else tfhd, else trex
 * defaults) of each track fragment of a `moof` (`bytes` holds the whole box at `start`).
 * Null when no track fragment carries a tfdt of a known track.
 */
export function parseMoofTiming(
  bytes: Uint8Array,
  tracks: readonly TrackInfo[],
  start = 0,
): FragmentTiming | null {
  const h = readBoxHeader(bytes, start);
  if (!h.ok || h.box.type !== 'moof' || start + h.box.size > bytes.length) return null;
  const v = view(bytes);
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const traf of childBoxes(bytes, start + h.box.header, start + h.box.size)) {
    if (traf.type !== 'traf') continue;
    let track: TrackInfo | undefined;
    let defaultDuration = 0;
    let baseTime: bigint | null = null;
    let total = 0n;
    for (const c of childBoxes(bytes, traf.bodyStart, traf.end)) {
      const size = c.end - c.bodyStart;
      if (c.type === 'tfhd' && size >= 8) {
        const { flags } = fullBoxVersion(bytes, c.bodyStart);
        const trackId = v.getUint32(c.bodyStart + 4);
        track = tracks.find((t) => t.trackId === trackId);
        defaultDuration = track?.defaultSampleDuration ?? 0;
        let at = c.bodyStart + 8;
        if (flags & 0x01) at += 8; // base-data-offset
        if (flags & 0x02) at += 4; // sample-description-index
        if (flags & 0x08 && at + 4 <= c.end) defaultDuration = v.getUint32(at);
      } else if (c.type === 'tfdt' && size >= 8) {
        const { version } = fullBoxVersion(bytes, c.bodyStart);
        baseTime =
          version === 1 && size >= 12
            ? v.getBigUint64(c.bodyStart + 4)
            : BigInt(v.getUint32(c.bodyStart + 4));
      } else if (c.type === 'trun' && size >= 8) {
        const { flags } = fullBoxVersion(bytes, c.bodyStart);
        const count = v.getUint32(c.bodyStart + 4);
        let at = c.bodyStart + 8;
        if (flags & 0x001) at += 4; // data-offset
        if (flags & 0x004) at += 4; // first-sample-flags
        const perSample =
          (flags & 0x100 ? 4 : 0) +
          (flags & 0x200 ? 4 : 0) +
          (flags & 0x400 ? 4 : 0) +
          (flags & 0x800 ? 4 : 0);
        if (flags & 0x100) {
          for (let i = 0; i < count && at + 4 <= c.end; i++, at += perSample) {
            total += BigInt(v.getUint32(at));
          }
        } else total += BigInt(count) * BigInt(defaultDuration);
      }
    }
    if (!track || baseTime === null) continue;
    const s = toUs(baseTime, track.timescale);
    const e = toUs(baseTime + total, track.timescale);
    startUs = Math.min(startUs, s);
    endUs = Math.max(endUs, e);
  }
  return Number.isFinite(startUs) ? { startUs, endUs } : null;
}
