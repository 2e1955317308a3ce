/**
 * Frame and bit rates of each source for the live grid, across its files. A source's
 * counters come from the worker recording it; they start again at 0 whenever that worker is
 * restarted (after an encoder error, or when a lost device comes back), and a restarted
 * worker's first report can arrive before the old one's last. A rate taken from the
 * difference of two consecutive reports would then go negative or jump. Here every run of
 * counters (one worker) adds only its own growth to a per-source total that never goes
 * down, and the rates are that total's growth over a sliding window of wall time.
 */

/** One report of a source's counters. */
export interface CounterSample {
  /** Wall time of the report (ms, any monotonic clock). */
  atMs: number;
  /**
   * Which run of counters this is (one per worker and file); a report with a run not seen
   * before starts from 0. Counters that go down within a run are taken as a new run too.
   */
  run: string;
  frames: number;
  bytes: number;
}

export interface SourceRate {
  /** Frames per second over the window; 0 until two reports lie in it. */
  fps: number;
  /** Bits per second over the window. */
  bitsPerSecond: number;
  /** Frames and bytes of the source over all its files (as reported). */
  totalFrames: number;
  totalBytes: number;
}

/** How far back the rates look: long enough to smooth the one-second reports. */
export const RATE_WINDOW_MS = 5000;
/** Runs remembered per source: the current file, the one handing over, a spare. */
const RUNS_KEPT = 4;

interface Point {
  atMs: number;
  frames: number;
  bytes: number;
}

interface SourceCounters {
  runs: Map<string, { frames: number; bytes: number }>;
  totalFrames: number;
  totalBytes: number;
  points: Point[];
}

export class RateMeter {
  private readonly sources = new Map<string, SourceCounters>();

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** Takes one report of a source's counters. */
  note(sourceId: string, s: CounterSample): void {
    let c = this.sources.get(sourceId);
    if (!c) {
      c = { runs: new Map(), totalFrames: 0, totalBytes: 0, points: [] };
      this.sources.set(sourceId, c);
    }
    const frames = Math.max(0, s.frames);
    const bytes = Math.max(0, s.bytes);
    const prev = c.runs.get(s.run);
    const restarted = !prev || frames < prev.frames || bytes < prev.bytes;
    c.totalFrames += restarted ? frames : frames - prev.frames;
    c.totalBytes += restarted ? bytes : bytes - prev.bytes;
    c.runs.delete(s.run);
    c.runs.set(s.run, { frames, bytes });
    if (c.runs.size > RUNS_KEPT) c.runs.delete(c.runs.keys().next().value!);
    // Reports come in order of arrival; one from an earlier time (a clock step) starts the
    // window again rather than giving a negative interval.
    const last = c.points[c.points.length - 1];
    if (last && s.atMs < last.atMs) c.points = [];
    c.points.push({ atMs: s.atMs, frames: c.totalFrames, bytes: c.totalBytes });
    // Keep one point at or before the window's start, so the window spans all of it.
    const from = s.atMs - this.windowMs;
    while (c.points.length > 2 && c.points[1]!.atMs <= from) c.points.shift();
  }

  /** The source's rates as of its last report. */
  rate(sourceId: string): SourceRate {
    const c = this.sources.get(sourceId);
    if (!c) return { fps: 0, bitsPerSecond: 0, totalFrames: 0, totalBytes: 0 };
    const first = c.points[0];
    const last = c.points[c.points.length - 1];
    const dt = first && last ? (last.atMs - first.atMs) / 1000 : 0;
    return {
      fps: dt > 0 ? (last!.frames - first!.frames) / dt : 0,
      bitsPerSecond: dt > 0 ? ((last!.bytes - first!.bytes) * 8) / dt : 0,
      totalFrames: c.totalFrames,
      totalBytes: c.totalBytes,
    };
  }

  /** Forgets every source (a new recording). */
  clear(): void {
    this.sources.clear();
  }
}
