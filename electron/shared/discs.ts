/**
 * Evidence discs (issue 5; R5.1, R5.2, R4.4): the media, the planning of sealed bundles
 * onto discs, and the DTOs and input schemas of the `discs.*`, `drives.*` and `caseFile.*`
 * methods. Planning is a pure function here so the clerk's view shows the split as the
 * choice is made, and the core plans with the very same code before it builds an image.
 */
import { z } from 'zod';
import type { AuthRequirement, MethodSpec } from './contract';
import { idSchema, type UserRole } from './domain';

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

// ---------------------------------------------------------------------------------------
// DTOs of the contract.

/** A sealed bundle of the case that can go on a disc. */
export interface DiscBundleDto {
  name: string;
  /** Where the bag is on this workstation. */
  path: string;
  sessionIdentifier: string | null;
  recordingStart: number | null;
  recordingEnd: number | null;
  bytes: number;
  files: PlanFile[];
  /** SHA-512 of the bag's tagmanifest-sha512.txt: the value its signature vouches for. */
  tagManifestSha512: string;
}

/** An optical drive the burner found. */
export interface DriveDto {
  /** What the burner addresses: `/dev/sr0` on Linux, the IMAPI2 unique id on Windows. */
  id: string;
  /** Drive letter or device path people recognise (`E:`, `/dev/sr0`). */
  path: string;
  vendor: string;
  product: string;
  /** Whether it can write (the burner found write profiles). */
  writer: boolean;
}

export interface MediaInfoDto {
  drive: string;
  /** Profile name as the drive reports it, e.g. "DVD-R sequential recording", or null (no disc). */
  profile: string | null;
  /** The medium kind this maps to, when known. */
  medium: MediumId | null;
  blank: boolean;
  appendable: boolean;
  /** Writable 2048-byte blocks left; null when unknown. */
  freeSectors: number | null;
}

export type DiscStep = 'image' | 'burn' | 'verify';

/** Progress of a long step (pushed as the `disc.progress` event). */
export interface DiscProgressEvent {
  /** 0 while the images of a new set are being built (the set is recorded when they are done). */
  setId: number;
  /** The physical disc, for burn and verify; null while building an image. */
  discId: number | null;
  discNumber: number;
  step: DiscStep;
  /** 0..1, or null while the step cannot tell (e.g. a drive that reports no progress). */
  fraction: number | null;
  message: string | null;
}

export type DiscResult = 'pending' | 'verified' | 'failed';

export interface DiscProblemDto {
  code: string;
  /** Path on the disc (`bundles/<bag>/data/...`), or null for the disc as a whole. */
  file: string | null;
  detail: string;
}

/** One physical disc (or one saved image standing in for it). */
export interface DiscDto {
  id: number;
  setId: number;
  /** e.g. `20261123-001-D1-C2`: set, disc number, copy number. */
  serial: string;
  discNumber: number;
  copyNumber: number;
  medium: MediumId;
  /** `burned` on a drive, or `image` saved to a file where no drive is available. */
  kind: 'burned' | 'image';
  drive: string | null;
  imagePath: string | null;
  madeBy: string;
  madeAt: number;
  result: DiscResult;
  verifiedAt: number | null;
  problems: DiscProblemDto[];
}

export interface DiscImageDto {
  discNumber: number;
  path: string;
  volumeId: string;
  bytes: number;
  sectors: number;
  /** SHA-256 of the disc's ATTEST-DISC.json (identifies the content). */
  indexSha256: string;
  bundles: { name: string; part: { number: number; of: number } | null }[];
}

/** A planned and imaged set of discs for one case. */
export interface DiscSetDto {
  id: number;
  setNo: string;
  caseId: number;
  medium: MediumId;
  copies: number;
  createdBy: string;
  createdAt: number;
  images: DiscImageDto[];
  discs: DiscDto[];
  plan: DiscPlan;
}

export interface CaseFileEntryDto {
  at: number | null;
  kind:
    'case-opened' | 'session' | 'transcript' | 'bundle' | 'replica' | 'disc' | 'phase' | 'approval';
  title: string;
  detail: string;
  /** Where the record is stored (a path, a storage target and name, a disc serial). */
  location: string | null;
}

export interface CaseFileIndexDto {
  caseId: number;
  caseNo: string;
  cause: string;
  /** When the matter ended (the case entered the archiving phase); null while it runs. */
  matterEndedAt: number | null;
  filingDays: number;
  warnDays: number;
  /** matterEndedAt + filingDays; null while the matter runs. */
  deadline: number | null;
  deadlineStatus: 'running' | 'ok' | 'warn' | 'overdue';
  entries: CaseFileEntryDto[];
  generatedAt: number;
}

// ---------------------------------------------------------------------------------------
// Input schemas.

const bagNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !s.startsWith('.') && !/[/\\\0]/.test(s), 'not a bundle name');

export const discSchemas = {
  bundles: z.object({ caseId: idSchema }).strict(),
  plan: z
    .object({
      caseId: idSchema,
      bundles: z.array(bagNameSchema).max(500),
      medium: z.enum(MEDIUM_IDS),
      copies: z.number().int().min(1).max(10),
    })
    .strict(),
  image: z
    .object({
      caseId: idSchema,
      bundles: z.array(bagNameSchema).min(1).max(500),
      medium: z.enum(MEDIUM_IDS),
      copies: z.number().int().min(1).max(10),
      /** What the discs prove (证明对象, R5.1), printed on the label; bag-info's by default. */
      purpose: z.string().trim().max(500).optional(),
    })
    .strict(),
  burn: z
    .object({
      setId: idSchema,
      discNumber: z.number().int().min(1),
      copyNumber: z.number().int().min(1).max(10),
      /** A drive id from drives.list; absent: save the image as this copy (no drive). */
      drive: z.string().min(1).max(300).optional(),
      /** Without a drive: a directory to save the image into (else it stays where it was built). */
      saveTo: z.string().min(1).max(1000).optional(),
    })
    .strict(),
  verify: z.object({ discId: idSchema }).strict(),
  list: z.object({ caseId: idSchema }).strict(),
  labels: z.object({ setId: idSchema }).strict(),
  drives: z.object({}).strict(),
  caseFileIndex: z.object({ caseId: idSchema }).strict(),
  caseFilePdf: z.object({ caseId: idSchema }).strict(),
  caseFilePolicy: z
    .object({
      filingDays: z.number().int().min(1).max(365),
      warnDays: z.number().int().min(0).max(60),
    })
    .strict(),
} as const;

/** A PDF returned whole (label sheets and indexes are small). */
export interface PdfDto {
  fileName: string;
  /** Base64. */
  data: string;
  /** Where the core also saved it (beside the images / in the case folder). */
  savedAt: string | null;
}

// ---------------------------------------------------------------------------------------
// Methods (spread into the contract's method map) and events (merged into its event map).

function method<O>() {
  return <I extends z.ZodType>(input: I, auth: AuthRequirement): MethodSpec<I, O> => ({
    input,
    auth,
  });
}

/** Who makes discs: the clerk (书记员/档案员), officers of the case, the administrator. */
export const DISC_MAKERS: readonly UserRole[] = ['clerk', 'officer', 'admin'];

export const discMethods = {
  /** The case's sealed bundles that can go on a disc, with their files and sizes. */
  'discs.bundles': method<DiscBundleDto[]>()(discSchemas.bundles, 'user'),
  /** How the chosen bundles fall onto discs of a medium (nothing is written). */
  'discs.plan': method<DiscPlan>()(discSchemas.plan, 'user'),
  /**
   * Plans a new disc set and builds each disc's image (ISO 9660 + Rock Ridge + Joliet),
   * then reads every image back against the manifests. Progress: `disc.progress`.
   */
  'discs.image': method<DiscSetDto>()(discSchemas.image, DISC_MAKERS),
  /**
   * Burns one copy of one disc of a set on a drive and reads it back (or, without a drive,
   * saves the image and checks it). The disc is recorded either way; a failed disc stays
   * recorded as failed. Progress: `disc.progress`.
   */
  'discs.burn': method<DiscDto>()(discSchemas.burn, DISC_MAKERS),
  /** Reads a recorded disc again and records the check (the first result never changes). */
  'discs.verify': method<DiscDto>()(discSchemas.verify, DISC_MAKERS),
  /** The case's disc sets with their images and every disc made. */
  'discs.list': method<DiscSetDto[]>()(discSchemas.list, 'user'),
  /** The label sheet and disc record of a set (PDF, A4, one page per disc). */
  'discs.labels': method<PdfDto>()(discSchemas.labels, 'user'),
  /** Optical drives of this workstation. */
  'drives.list': method<DriveDto[]>()(discSchemas.drives, DISC_MAKERS),
  /** The case file index (R5.2): records in time order, storage places, filing deadline. */
  'caseFile.index': method<CaseFileIndexDto>()(discSchemas.caseFileIndex, 'user'),
  /** The same as a printable PDF. */
  'caseFile.pdf': method<PdfDto>()(discSchemas.caseFilePdf, 'user'),
  /** The agency's filing period and warning (default 30 days and 5 days). */
  'caseFile.setPolicy': method<{ filingDays: number; warnDays: number }>()(
    discSchemas.caseFilePolicy,
    ['admin', 'leader'],
  ),
} as const;

export interface DiscEvents {
  /** Progress of building an image, burning, or reading a disc back. */
  'disc.progress': DiscProgressEvent;
}

export const DISC_EVENT_NAMES: readonly (keyof DiscEvents)[] = ['disc.progress'];
