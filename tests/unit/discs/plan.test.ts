import { describe, expect, it } from 'vitest';
import {
  IMAGE_OVERHEAD,
  MEDIA,
  SECTOR_BYTES,
  estimateSectors,
  mediumBytes,
  planDiscs,
  type PlanBundle,
} from '../../../electron/shared/rules/disc-plan';

const MB = 1024 * 1024;
const TAGS = [
  'bagit.txt',
  'bag-info.txt',
  'manifest-sha256.txt',
  'manifest-sha512.txt',
  'tagmanifest-sha512.txt',
  'seal/README.txt',
  'seal/tagmanifest-sha512.txt.p7s',
];

function bundle(name: string, start: number, data: number[]): PlanBundle {
  return {
    name,
    recordingStart: start,
    files: [
      ...TAGS.map((p) => ({ path: p, bytes: 2000 })),
      ...data.map((bytes, i) => ({
        path: `data/media/CAM-${String(i + 1).padStart(2, '0')}.mp4`,
        bytes,
      })),
    ],
  };
}

describe('media', () => {
  it('uses the exact writable block counts of the smallest disc of each kind', () => {
    expect(MEDIA.cd.sectors).toBe(359_847);
    expect(MEDIA.dvd.sectors).toBe(2_295_104);
    expect(MEDIA['dvd-dl'].sectors).toBe(4_171_712);
    expect(MEDIA.bd.sectors).toBe(12_219_392);
    expect(MEDIA['bd-dl'].sectors).toBe(24_438_784);
    expect(mediumBytes('dvd')).toBe(2_295_104 * SECTOR_BYTES);
  });
});

describe('planDiscs', () => {
  it('puts bundles whole on discs in time order, first fit, with copies', () => {
    const p = planDiscs(
      [
        bundle('B', 2, [300 * MB]),
        bundle('A', 1, [300 * MB]),
        bundle('C', 3, [300 * MB]),
        bundle('D', 4, [50 * MB]),
      ],
      'cd',
      2,
    );
    expect(p.refused).toBeNull();
    expect(p.discs.map((d) => d.bundles.map((b) => b.name))).toEqual([['A', 'B', 'D'], ['C']]);
    expect(p.physicalDiscs).toBe(4);
    expect(p.warnings).toEqual([]);
    for (const d of p.discs) {
      expect(d.sectors).toBeLessThanOrEqual(MEDIA.cd.sectors);
      expect(d.bundles.every((b) => b.part === null)).toBe(true);
    }
  });

  it('estimates at least the data blocks plus the fixed overhead', () => {
    const b = bundle('A', 1, [5000, 1]);
    const p = planDiscs([b], 'cd', 1);
    const dataBlocks = b.files.reduce((a, f) => a + Math.ceil(f.bytes / SECTOR_BYTES), 0);
    expect(p.discs[0]!.sectors).toBeGreaterThan(dataBlocks + IMAGE_OVERHEAD.fixedSectors);
    expect(estimateSectors(b.files)).toBeGreaterThan(dataBlocks);
  });

  it('splits a bundle too big for one disc by file, tag files on every part, and warns', () => {
    const big = bundle('BIG', 1, [400 * MB, 400 * MB, 400 * MB]);
    const p = planDiscs([big, bundle('SMALL', 2, [100 * MB])], 'cd', 1);
    expect(p.refused).toBeNull();
    const parts = p.discs.flatMap((d) => d.bundles.filter((b) => b.name === 'BIG'));
    expect(parts.map((b) => b.part)).toEqual([
      { number: 1, of: 3 },
      { number: 2, of: 3 },
      { number: 3, of: 3 },
    ]);
    for (const part of parts) expect(part.files).toEqual(expect.arrayContaining(TAGS));
    // Every data file on exactly one disc; none split.
    const data = parts.flatMap((b) => b.files.filter((f) => f.startsWith('data/')));
    expect(data.sort()).toEqual(
      big.files.filter((f) => f.path.startsWith('data/')).map((f) => f.path),
    );
    expect(p.warnings).toEqual([{ code: 'bundle-split', bundle: 'BIG', discs: [1, 2, 3] }]);
    // The small bundle fills space left on a part's disc.
    expect(p.discs.find((d) => d.bundles.some((b) => b.name === 'SMALL'))).toBeDefined();
    expect(p.discs).toHaveLength(3);
  });

  it('refuses a single file larger than the medium (a file is never split)', () => {
    const p = planDiscs([bundle('HUGE', 1, [800 * MB])], 'cd', 2);
    expect(p.refused).toMatchObject({
      code: 'file-too-large',
      bundle: 'HUGE',
      file: 'data/media/CAM-01.mp4',
    });
    expect(p.discs).toEqual([]);
    expect(p.physicalDiscs).toBe(0);
    expect(planDiscs([bundle('HUGE', 1, [800 * MB])], 'dvd', 2).refused).toBeNull();
  });

  it('refuses a bundle chosen twice and warns when nothing is chosen', () => {
    expect(planDiscs([bundle('A', 1, [1]), bundle('A', 1, [1])], 'dvd', 1).refused).toEqual({
      code: 'duplicate-bundle',
      bundle: 'A',
    });
    expect(planDiscs([], 'dvd', 1).warnings).toEqual([{ code: 'no-bundles' }]);
  });

  it('keeps a 4.5 GiB recording whole on a DVD DL, and refuses it on a single-layer DVD', () => {
    const b = bundle('LONG', 1, [4500 * MB]);
    expect(planDiscs([b], 'dvd', 1).refused?.code).toBe('file-too-large');
    const dl = planDiscs([b], 'dvd-dl', 1);
    expect(dl.discs).toHaveLength(1);
    expect(dl.discs[0]!.fill).toBeGreaterThan(0.5);
  });
});
