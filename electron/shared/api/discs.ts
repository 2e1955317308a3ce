/**
 * Evidence discs and the case file index (R5.1, R5.2, R4.4): the DTOs, input schemas,
 * methods and events. How bundles fall onto discs is the pure planner in
 * ../rules/disc-plan.ts.
 */
import type { FilingStatus } from '../rules/filing';
import { z } from 'zod';
import { idSchema, type UserRole } from '../domain';
import { MEDIUM_IDS, type DiscPlan, type MediumId, type PlanFile } from '../rules/disc-plan';
import { events, method } from './define';

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

/** A bundle as listed: where it lies only for those who may copy it (the team, a grant). */
export type ListedDiscBundleDto = Omit<DiscBundleDto, 'path'> & { path: string | null };

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
  /** SHA-256 of the agency certificate register on the disc, null when none was registered. */
  registerSha256: string | null;
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
    | 'case-opened'
    | 'session'
    | 'transcript'
    | 'bundle'
    | 'replica'
    | 'disc'
    | 'phase'
    | 'approval'
    | 'document'
    | 'service'
    | 'execution';
  title: string;
  detail: string;
  /** Where the record is stored (a path, a storage target and name, a disc serial). */
  location: string | null;
}

export interface CaseFileIndexDto {
  caseId: number;
  caseNo: string;
  cause: string;
  /** When the matter ended (the last decision issued or execution recorded); null while it runs. */
  matterEndedAt: number | null;
  filingDays: number;
  warnDays: number;
  /** matterEndedAt + filingDays; null while the matter runs. */
  deadline: number | null;
  deadlineStatus: FilingStatus;
  /** When the case was filed (the clock stops); null before. */
  filedAt: number | null;
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
      /** Made under this copy grant (else the team's right or any grant that covers it). */
      grantId: idSchema.optional(),
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
      /** Made under this copy grant (else the team's right or any grant that covers it). */
      grantId: idSchema.optional(),
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
// Methods and events

/**
 * Who may ask to make discs: the clerk (书记员/档案员), officers, the hearing moderator, the
 * administrator; the core then allows the case team, or a copy grant (features/access).
 */
export const DISC_MAKERS: readonly UserRole[] = ['clerk', 'officer', 'moderator', 'admin'];

export const discMethods = {
  /** The case's sealed bundles that can go on a disc, with their files and sizes. */
  'discs.bundles': method<ListedDiscBundleDto[]>()(discSchemas.bundles, 'user'),
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

export const DISC_EVENTS = events<DiscEvents>()(['disc.progress']);
