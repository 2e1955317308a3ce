/**
 * How sealed bundles fall onto evidence discs (R5.1, R5.2, R4.4): the media and the planning.
 * Planning is a pure function so the clerk's view shows the split as the choice is made, and
 * the core plans with the very same code before it builds an image.
 */
/** Bytes per logical block on CD, DVD and BD data discs (ISO 9660 logical block). */
export const SECTOR_BYTES = 2048;

export const MEDIUM_IDS = ['cd', 'dvd', 'dvd-dl', 'bd', 'bd-dl'] as const;
export type MediumId = (typeof MEDIUM_IDS)[number];

export interface Medium {
  id: MediumId;
  /** Shown to people, e.g. "DVD±R 4.7 GB". */
  label: string;
  /**
   * Writable 2048-byte blocks of the smallest common disc of the kind (the -R and +R
   * variants differ; a plan must fit both):
   * - CD-R 80 min / 700 MB: 359,847 (ATIP lead-out 79:59:74 less the run-out of a TAO track);
   * - DVD+R 4.7 GB: 2,295,104 (DVD-R: 2,298,496);
   * - DVD-R DL 8.5 GB: 4,171,712 (DVD+R DL: 4,173,824);
   * - BD-R 25 GB: 12,219,392; BD-R DL 50 GB: 24,438,784 (unformatted, as xorriso writes
   *   BD-R by default: no spare area is reserved).
   */
  sectors: number;
}

export const MEDIA: Readonly<Record<MediumId, Medium>> = {
  cd: { id: 'cd', label: 'CD-R 700 MB', sectors: 359_847 },
  dvd: { id: 'dvd', label: 'DVD±R 4.7 GB', sectors: 2_295_104 },
  'dvd-dl': { id: 'dvd-dl', label: 'DVD±R DL 8.5 GB', sectors: 4_171_712 },
  bd: { id: 'bd', label: 'BD-R 25 GB', sectors: 12_219_392 },
  'bd-dl': { id: 'bd-dl', label: 'BD-R DL 50 GB', sectors: 24_438_784 },
};

/** Capacity in bytes. */
export function mediumBytes(m: MediumId): number {
  return MEDIA[m].sectors * SECTOR_BYTES;
}

/**
 * What an image costs besides the file data, estimated high on purpose (the exact figure
 * comes from `xorriso -print_size` before anything is written):
 * - fixed: 16 system-area blocks, the volume descriptors, path tables, 150 blocks (300 KiB)
 *   of padding, and the disc's own README, verifier page and index (reserved generously);
 * - per directory, one block in each of the two trees (ISO 9660 with Rock Ridge, Joliet);
 * - per file, a quarter block for its records in both trees and its index line.
 */
export const IMAGE_OVERHEAD = {
  fixedSectors: 16 + 8 + 150 + 160,
  perDirectorySectors: 2,
  perFileSectors: 0.25,
} as const;

/** One file of a sealed bundle, as the planner sees it. */
export interface PlanFile {
  /** Bag-relative, '/'-separated: `data/media/CAM-01.mp4`, `bag-info.txt`. */
  path: string;
  bytes: number;
}

/** One sealed bundle (a BagIt bag) offered for a disc. */
export interface PlanBundle {
  /** The bag's directory name, unique within a case. */
  name: string;
  files: readonly PlanFile[];
  /** Start of the recording (UTC ms), for time order; null if unknown. */
  recordingStart: number | null;
}

export function blocksOf(bytes: number): number {
  return Math.ceil(bytes / SECTOR_BYTES);
}

function dirsOf(paths: readonly string[]): number {
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs.size;
}

/** Estimated blocks of a set of files of one bag under `bundles/<bag>/` (data + records). */
export function estimateSectors(files: readonly PlanFile[]): number {
  let s = 0;
  for (const f of files) s += blocksOf(f.bytes) + IMAGE_OVERHEAD.perFileSectors;
  // +1 for the bag's own directory.
  s += (dirsOf(files.map((f) => f.path)) + 1) * IMAGE_OVERHEAD.perDirectorySectors;
  return Math.ceil(s);
}

/** A bag's tag files (everything outside data/): copied whole onto every part of a split bag. */
export function isTagFile(path: string): boolean {
  return !path.startsWith('data/');
}

export interface PlannedBundle {
  name: string;
  /** Present when the bag is split by file across discs: this disc's part. */
  part: { number: number; of: number } | null;
  /** Bag-relative paths on this disc (all of them unless split). */
  files: string[];
  bytes: number;
}

export interface PlannedDisc {
  /** 1-based disc number in the set. */
  number: number;
  bundles: PlannedBundle[];
  /** Estimated blocks used, overhead included. */
  sectors: number;
  bytes: number;
  /** sectors / medium sectors. */
  fill: number;
}

export type PlanWarning =
  { code: 'bundle-split'; bundle: string; discs: number[] } | { code: 'no-bundles' };

export type PlanRefusal =
  | { code: 'file-too-large'; bundle: string; file: string; bytes: number; capacity: number }
  | { code: 'duplicate-bundle'; bundle: string };

export interface DiscPlan {
  medium: MediumId;
  copies: number;
  /** Capacity of one disc, blocks. */
  capacitySectors: number;
  discs: PlannedDisc[];
  /** Sum of the bundles' file sizes. */
  totalBytes: number;
  /** Physical discs to burn: discs × copies. */
  physicalDiscs: number;
  warnings: PlanWarning[];
  /** When set the plan cannot be burned; `discs` is empty. */
  refused: PlanRefusal | null;
}

/**
 * Plans bundles onto discs of one medium.
 *
 * Bundles are taken in time order (recording start, then name) and each goes whole onto
 * the first disc with room (first fit): discs stay close to chronological and few.
 *
 * A bundle too large for an empty disc is split **by file**, never inside a file: its data
 * files, in path order, fill as many fresh discs as needed, and every part carries the
 * bag's tag files (bagit.txt, bag-info.txt, the manifests, the tag manifest and the seal's
 * signature), so each disc's part is checked against the signed manifests on its own and
 * the disc index says on which disc each other file is. The plan warns (`bundle-split`).
 * A single file larger than a disc cannot be split and refuses the plan (`file-too-large`):
 * choose a larger medium.
 */
export function planDiscs(
  bundles: readonly PlanBundle[],
  medium: MediumId,
  copies: number,
): DiscPlan {
  const capacity = MEDIA[medium].sectors;
  const usable = capacity - IMAGE_OVERHEAD.fixedSectors;
  const totalBytes = bundles.reduce((a, b) => a + b.files.reduce((x, f) => x + f.bytes, 0), 0);
  const base = {
    medium,
    copies,
    capacitySectors: capacity,
    totalBytes,
  };
  const seen = new Set<string>();
  for (const b of bundles) {
    if (seen.has(b.name)) return refused(base, { code: 'duplicate-bundle', bundle: b.name });
    seen.add(b.name);
  }
  const ordered = [...bundles].sort(
    (a, b) =>
      (a.recordingStart ?? Number.MAX_SAFE_INTEGER) -
        (b.recordingStart ?? Number.MAX_SAFE_INTEGER) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  interface Draft {
    used: number;
    bundles: PlannedBundle[];
  }
  const discs: Draft[] = [];
  const warnings: PlanWarning[] = [];
  if (bundles.length === 0) warnings.push({ code: 'no-bundles' });

  for (const b of ordered) {
    const need = estimateSectors(b.files);
    const bytes = b.files.reduce((a, f) => a + f.bytes, 0);
    const whole: PlannedBundle = {
      name: b.name,
      part: null,
      files: b.files.map((f) => f.path).sort(),
      bytes,
    };
    if (need <= usable) {
      let disc = discs.find((d) => d.used + need <= usable);
      if (!disc) {
        disc = { used: 0, bundles: [] };
        discs.push(disc);
      }
      disc.bundles.push(whole);
      disc.used += need;
      continue;
    }
    // Split by file: tag files on every part, data files in path order.
    const tags = b.files.filter((f) => isTagFile(f.path));
    const data = b.files
      .filter((f) => !isTagFile(f.path))
      .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    const tagCost = estimateSectors(tags);
    const parts: PlanFile[][] = [];
    let current: PlanFile[] = [];
    for (const f of data) {
      const alone = estimateSectors([...tags, f]);
      if (alone > usable) {
        return refused(base, {
          code: 'file-too-large',
          bundle: b.name,
          file: f.path,
          bytes: f.bytes,
          capacity: (usable - tagCost) * SECTOR_BYTES,
        });
      }
      if (current.length > 0 && estimateSectors([...tags, ...current, f]) > usable) {
        parts.push(current);
        current = [];
      }
      current.push(f);
    }
    if (current.length > 0) parts.push(current);
    const numbers: number[] = [];
    parts.forEach((files, i) => {
      const all = [...tags, ...files];
      const d: Draft = { used: estimateSectors(all), bundles: [] };
      d.bundles.push({
        name: b.name,
        part: { number: i + 1, of: parts.length },
        files: all.map((f) => f.path).sort(),
        bytes: all.reduce((a, f) => a + f.bytes, 0),
      });
      discs.push(d);
      numbers.push(discs.length);
    });
    warnings.push({ code: 'bundle-split', bundle: b.name, discs: numbers });
  }

  const planned: PlannedDisc[] = discs.map((d, i) => {
    const sectors = d.used + IMAGE_OVERHEAD.fixedSectors;
    return {
      number: i + 1,
      bundles: d.bundles,
      sectors,
      bytes: d.bundles.reduce((a, b) => a + b.bytes, 0),
      fill: sectors / capacity,
    };
  });
  return {
    ...base,
    discs: planned,
    physicalDiscs: planned.length * copies,
    warnings,
    refused: null,
  };
}

function refused(
  base: Pick<DiscPlan, 'medium' | 'copies' | 'capacitySectors' | 'totalBytes'>,
  refusal: PlanRefusal,
): DiscPlan {
  return { ...base, discs: [], physicalDiscs: 0, warnings: [], refused: refusal };
}
