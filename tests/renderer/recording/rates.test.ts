/**
 * The live grid's rates across a file change: the counters of a source start again at 0 in
 * each new file, and the old file's worker still reports while the new one has begun.
 */
import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../renderer/src/features/recording/rates';

/** 30 frames and 312.5 kB (2.5 Mb/s) a second. */
const FPS = 30;
const BYTES_PER_S = 312_500;

describe('RateMeter', () => {
  it('reports frames and bits per second from one run of counters', () => {
    const m = new RateMeter(5000);
    for (let s = 1; s <= 10; s++)
      m.note('cam1', { atMs: s * 1000, run: 'a', frames: FPS * s, bytes: BYTES_PER_S * s });
    const r = m.rate('cam1');
    expect(r.fps).toBeCloseTo(30, 6);
    expect(r.bitsPerSecond).toBeCloseTo(2_500_000, 3);
    expect(r.totalFrames).toBe(300);
  });

  it('stays non-negative and continuous when a new file starts its counters at 0', () => {
    const m = new RateMeter(5000);
    const seen: { fps: number; bps: number }[] = [];
    const look = () => {
      const r = m.rate('cam1');
      seen.push({ fps: r.fps, bps: r.bitsPerSecond });
    };
    // File 1 for 900 s (the 15-minute change), reported each second.
    for (let s = 1; s <= 900; s++) {
      m.note('cam1', { atMs: s * 1000, run: 'file1', frames: FPS * s, bytes: BYTES_PER_S * s });
      look();
    }
    // File 2 begins at 900 s with counters from 0; the old worker's last report (its end)
    // arrives after the new one's first, as a handover does.
    m.note('cam1', { atMs: 900_500, run: 'file2', frames: 15, bytes: BYTES_PER_S / 2 });
    look();
    m.note('cam1', { atMs: 900_600, run: 'file1', frames: FPS * 900, bytes: BYTES_PER_S * 900 });
    look();
    for (let s = 1; s <= 60; s++) {
      m.note('cam1', {
        atMs: 900_500 + s * 1000,
        run: 'file2',
        frames: 15 + FPS * s,
        bytes: BYTES_PER_S / 2 + BYTES_PER_S * s,
      });
      look();
    }
    const steady = seen.slice(10);
    for (const r of steady) {
      expect(r.fps).toBeGreaterThanOrEqual(0);
      expect(r.bps).toBeGreaterThanOrEqual(0);
      // Continuous: within 10% of the true rates all through the change.
      expect(Math.abs(r.fps - FPS)).toBeLessThan(FPS * 0.1);
      expect(Math.abs(r.bps - BYTES_PER_S * 8)).toBeLessThan(BYTES_PER_S * 8 * 0.1);
    }
    expect(m.rate('cam1').totalFrames).toBe(FPS * 900 + 15 + FPS * 60);
  });

  it('takes counters that go down within one run as a new run, never as negative growth', () => {
    const m = new RateMeter(5000);
    for (let s = 1; s <= 5; s++)
      m.note('mic1', { atMs: s * 1000, run: 'x', frames: 50 * s, bytes: 8000 * s });
    // The same run's counters restart (a reused worker beginning a new file).
    for (let s = 1; s <= 5; s++) {
      m.note('mic1', { atMs: 5000 + s * 1000, run: 'x', frames: 50 * s, bytes: 8000 * s });
      const r = m.rate('mic1');
      expect(r.fps).toBeCloseTo(50, 6);
      expect(r.bitsPerSecond).toBeCloseTo(64_000, 3);
    }
  });

  it('keeps sources apart and reports 0 before two reports', () => {
    const m = new RateMeter(5000);
    m.note('cam1', { atMs: 1000, run: 'a', frames: 30, bytes: 1000 });
    expect(m.rate('cam1')).toMatchObject({ fps: 0, bitsPerSecond: 0 });
    expect(m.rate('cam2')).toEqual({ fps: 0, bitsPerSecond: 0, totalFrames: 0, totalBytes: 0 });
    m.note('cam2', { atMs: 1000, run: 'a', frames: 0, bytes: 0 });
    m.note('cam2', { atMs: 2000, run: 'a', frames: 10, bytes: 100 });
    expect(m.rate('cam2').fps).toBeCloseTo(10, 6);
    expect(m.rate('cam1').totalFrames).toBe(30);
  });

  it('forgets runs beyond the last few without counting a known one twice', () => {
    const m = new RateMeter(5000);
    m.note('cam1', { atMs: 1000, run: 'a', frames: 30, bytes: 10 });
    m.note('cam1', { atMs: 2000, run: 'b', frames: 30, bytes: 10 });
    m.note('cam1', { atMs: 3000, run: 'a', frames: 30, bytes: 10 });
    expect(m.rate('cam1').totalFrames).toBe(60);
  });
});
