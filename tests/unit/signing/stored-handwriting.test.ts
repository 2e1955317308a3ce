import { describe, expect, it } from 'vitest';
import type { Handwriting } from '../../../electron/core/platform/pdf/model';
import {
  readHandwriting,
  storeHandwriting,
} from '../../../electron/core/platform/pdf/stored-handwriting';

/** A full-sampled signature: 20,000 points with fractional coordinates, times and pressures. */
function signature(points: number): Handwriting {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const strokes = Array.from({ length: 40 }, (_, s) =>
    Array.from({ length: points / 40 }, (_, i) => ({
      x: rnd() * 800 + 0.123456789,
      y: rnd() * 300 - 0.5,
      t: 3_600_000 + s * 1000 + i * 4.166666,
      pressure: Math.round(rnd() * 1000) / 1000,
      pointerType: s % 2 ? ('pen' as const) : ('touch' as const),
    })),
  );
  return {
    canvas: { width: 800, height: 300 },
    strokes,
    signedAt: '2026-12-06T10:00:00.000Z',
    atMs: 3_660_000,
  };
}

describe('handwriting as the case store keeps it', () => {
  it('gives back every point exactly, in far less room than an object per point', () => {
    const h = signature(20_000);
    const stored = storeHandwriting(h);
    expect(readHandwriting(stored)).toEqual(h);
    const perPoint = JSON.stringify(h).length;
    console.log(
      `20,000 points: ${stored.length} bytes stored, ${perPoint} as one object per point`,
    );
    expect(stored.length).toBeLessThan(perPoint * 0.6);
    expect(stored).not.toMatch(/\{"x":/);
  });

  it('still reads acts stored one object per point', () => {
    const h = signature(400);
    expect(readHandwriting(JSON.stringify(h))).toEqual(h);
  });

  it('refuses a stored act whose columns do not line up', () => {
    const stored = JSON.parse(storeHandwriting(signature(400))) as { strokes: { y: string }[] };
    stored.strokes[0]!.y = stored.strokes[0]!.y.slice(0, 12);
    expect(() => readHandwriting(JSON.stringify(stored))).toThrow(/wrong length/);
  });
});
