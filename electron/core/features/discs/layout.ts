/**
 * What goes on an evidence disc and how it is laid out:
 *
 * ```
 * /README.txt            Chinese, then English: what the disc is, how to check it (UTF-8 with BOM, CRLF)
 * /verify.html           the offline verifier: one self-contained page, no network, no install
 * /ATTEST-DISC.json      the disc index: case, set, disc n of m, every bundle (and part), and
 *                        every file on the disc with its size and SHA-256
 * /agency-register.json  the agency certificate register that vouches for the seals' signers
 *                        (when one is kept; its SHA-256 is on the disc label)
 * /bundles/<bag>/...     each sealed bundle exactly as sealed (BagIt bag, read-only)
 * ```
 * A bag split across discs (see planDiscs) has its tag files on every part and the index
 * names the disc of each file that is elsewhere.
 *
 * The index's digests of payload files come from each bag's own manifest-sha256.txt (the
 * sealed values), not from re-reading the files, so a local file that went bad is caught by
 * the image's verification rather than blessed by the index.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { parseBagInfo, parseManifest } from '../../platform/bagit/bagformat';
import { fromPosix, hashBytes, hashFile, walkFiles } from '../../platform/fs';
import { defaultResourcesDir } from '../../platform/pdf/fonts';
import type { MediumId, PlanBundle, PlannedDisc } from '../../../shared/rules/disc-plan';
import { buildImage, type ImageEntry, type ImageResult } from '../../platform/optical/xorriso';
import { REGISTER_FILE } from '../../platform/pki/register';
import { dateTimeIn, offsetText } from '../../../shared/time';

export const DISC_INDEX = 'ATTEST-DISC.json';
export const DISC_README = 'README.txt';
export const DISC_VERIFIER = 'verify.html';
export const BUNDLES_DIR = 'bundles';
export const DISC_INDEX_FORMAT = 'attest-disc/1';

export interface DiscIndexFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface DiscIndexBundle {
  name: string;
  /** `bundles/<name>` */
  path: string;
  tagManifestSha512: string;
  part: { number: number; of: number } | null;
  /** Files of a split bag that are on another disc of the set. */
  elsewhere: { path: string; disc: number }[];
}

/** The disc's own description, `ATTEST-DISC.json`. */
export interface DiscIndex {
  format: typeof DISC_INDEX_FORMAT;
  setNo: string;
  disc: { number: number; of: number };
  volumeId: string;
  medium: MediumId | null;
  case: { caseNo: string; cause: string } | null;
  /** ISO 8601 with offset. */
  madeAt: string;
  madeBy: string | null;
  software: string;
  /** What the disc proves (R5.1), when the clerk wrote it. */
  purpose: string | null;
  bundles: DiscIndexBundle[];
  /** The agency certificate register on the disc, when there is one. */
  register: { path: string; sha256: string } | null;
  /** Every file on the disc except this index, sorted by path. */
  files: DiscIndexFile[];
}

/** A sealed bag on this workstation, with what the planner and the index need. */
export interface SourceBundle extends PlanBundle {
  path: string;
  tagManifestSha512: string;
  /** bag-info.txt: every value of each label, in file order. */
  info: Record<string, string[]>;
}

export class DiscLayoutError extends Error {}

/** Reads a sealed bag for planning: its files and sizes, tag-manifest hash, bag-info. */
export async function readSourceBundle(path: string, name: string): Promise<SourceBundle> {
  const others: string[] = [];
  const files = await walkFiles(path, (rel, kind) => others.push(`${rel} (${kind})`));
  if (others.length > 0) throw new DiscLayoutError(`${name} holds ${others.join(', ')}`);
  if (!files.some((f) => f.rel === 'bagit.txt'))
    throw new DiscLayoutError(`${name} is not a bag (no bagit.txt)`);
  const tag = await fsp.readFile(join(path, 'tagmanifest-sha512.txt')).catch(() => null);
  if (!tag) throw new DiscLayoutError(`${name} has no tagmanifest-sha512.txt: it is not sealed`);
  const infoText = await fsp.readFile(join(path, 'bag-info.txt'), 'utf8').catch(() => '');
  const info: Record<string, string[]> = {};
  for (const e of parseBagInfo(infoText).elements) (info[e.label] ??= []).push(e.value);
  const start = Date.parse(info['Recording-Start']?.[0] ?? '');
  return {
    name,
    path,
    files: files.map((f) => ({ path: f.rel, bytes: f.size })),
    recordingStart: Number.isFinite(start) ? start : null,
    tagManifestSha512: hashBytes(tag).sha512,
    info,
  };
}

/** SHA-256 of each file of a bag: payload from its manifest, the rest hashed (they are small). */
async function bagDigests(b: SourceBundle, paths: readonly string[]): Promise<Map<string, string>> {
  const manifest = parseManifest(
    await fsp.readFile(join(b.path, 'manifest-sha256.txt'), 'utf8'),
    'sha256',
  );
  if (manifest.problems.length > 0)
    throw new DiscLayoutError(`${b.name}: manifest-sha256.txt is malformed`);
  const listed = new Map(manifest.entries.map((e) => [e.path, e.digest]));
  const out = new Map<string, string>();
  for (const p of paths) {
    const d = listed.get(p);
    if (d) out.set(p, d);
    else if (p.startsWith('data/'))
      throw new DiscLayoutError(`${b.name}: ${p} is not in its manifest`);
    else out.set(p, (await hashFile(join(b.path, fromPosix(p)))).sha256);
  }
  return out;
}

export interface DiscTexts {
  setNo: string;
  discNumber: number;
  discCount: number;
  volumeId: string;
  medium: MediumId | null;
  caseNo: string | null;
  cause: string | null;
  /** ISO 8601 with the offset (the index keeps it so). */
  madeAt: string;
  /** The agency's zone, in which the README writes the time. */
  timeZone: string;
  madeBy: string | null;
  software: string;
  purpose: string | null;
  bundles: {
    name: string;
    tagManifestSha512: string;
    part: { number: number; of: number } | null;
  }[];
}

/** `2026-12-06 15:08:02（Asia/Shanghai，UTC+08:00）` */
function readmeTime(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${dateTimeIn(ms, tz)}（${tz}，UTC${offsetText(ms, tz)}）`;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? '');
}

/** README.txt: the Chinese text, then the English, CRLF and a BOM so Notepad reads it. */
export async function renderReadme(
  t: DiscTexts,
  resourcesDir = defaultResourcesDir(),
): Promise<string> {
  const zh = await fsp.readFile(join(resourcesDir, 'disc', 'README.zh.txt'), 'utf8');
  const en = await fsp.readFile(join(resourcesDir, 'disc', 'README.en.txt'), 'utf8');
  const list = (lang: 'zh' | 'en') =>
    t.bundles
      .map(
        (b) =>
          `  ${BUNDLES_DIR}/${b.name}${
            b.part
              ? lang === 'zh'
                ? `（第 ${b.part.number}/${b.part.of} 部分）`
                : ` (part ${b.part.number} of ${b.part.of})`
              : ''
          }\r\n    SHA-512(tagmanifest-sha512.txt) = ${b.tagManifestSha512}`,
      )
      .join('\r\n');
  const common = {
    setNo: t.setNo,
    discNumber: String(t.discNumber),
    discCount: String(t.discCount),
    volumeId: t.volumeId,
    madeAt: readmeTime(t.madeAt, t.timeZone),
    software: t.software,
  };
  const text =
    fill(zh, {
      ...common,
      caseNo: t.caseNo ?? '（未登记）',
      cause: t.cause ?? '（未登记）',
      madeBy: t.madeBy ?? '（未登记）',
      purpose: t.purpose ?? '（见各封存包 bag-info.txt 的 Evidentiary-Purpose）',
      bundles: list('zh'),
    }) +
    '\n' +
    fill(en, {
      ...common,
      caseNo: t.caseNo ?? '(not recorded)',
      cause: t.cause ?? '(not recorded)',
      madeBy: t.madeBy ?? '(not recorded)',
      purpose: t.purpose ?? "(see Evidentiary-Purpose in each bundle's bag-info.txt)",
      bundles: list('en'),
    });
  return `\uFEFF${text.replace(/\r?\n/g, '\r\n')}`;
}

export interface ImagePlanInput {
  disc: PlannedDisc;
  discCount: number;
  /** Every bundle of the set by name (a split bag's other parts are looked up here). */
  sources: ReadonlyMap<string, SourceBundle>;
  /** Where each file of a split bag went: bag → path → disc number. */
  placement: ReadonlyMap<string, ReadonlyMap<string, number>>;
  texts: Omit<DiscTexts, 'bundles' | 'discNumber' | 'discCount'>;
  /** The agency certificate register's file, written at the disc's root. */
  register?: { text: string; sha256: string } | null;
  out: string;
  /** A scratch directory for the README, verifier and index (removed by the caller). */
  stageDir: string;
  maxSectors?: number;
  resourcesDir?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  bin?: string;
}

export interface BuiltImage extends ImageResult {
  index: DiscIndex;
  indexSha256: string;
}

/** Where every file of every split bag is: bag → path → disc number. */
export function placementOf(discs: readonly PlannedDisc[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const d of discs)
    for (const b of d.bundles) {
      if (!b.part) continue;
      let m = out.get(b.name);
      if (!m) out.set(b.name, (m = new Map()));
      for (const f of b.files) if (f.startsWith('data/')) m.set(f, d.number);
    }
  return out;
}

/** Stages the disc's own files and builds its image with xorriso. */
export async function buildDiscImage(o: ImagePlanInput): Promise<BuiltImage> {
  const resourcesDir = o.resourcesDir ?? defaultResourcesDir();
  const entries: ImageEntry[] = [];
  const files: DiscIndexFile[] = [];
  const bundles: DiscIndexBundle[] = [];
  for (const pb of o.disc.bundles) {
    const src = o.sources.get(pb.name);
    if (!src) throw new DiscLayoutError(`no bundle ${pb.name}`);
    const digests = await bagDigests(src, pb.files);
    const sizes = new Map(src.files.map((f) => [f.path, f.bytes]));
    // Everything on disc besides the payload manifests' files: the .p7s and .tsr too.
    for (const p of pb.files) {
      files.push({
        path: `${BUNDLES_DIR}/${pb.name}/${p}`,
        bytes: sizes.get(p) ?? 0,
        sha256: digests.get(p)!,
      });
    }
    if (pb.part) {
      for (const p of pb.files)
        entries.push({ src: join(src.path, fromPosix(p)), dst: `/${BUNDLES_DIR}/${pb.name}/${p}` });
    } else {
      entries.push({ src: src.path, dst: `/${BUNDLES_DIR}/${pb.name}` });
    }
    const here = new Set(pb.files);
    const elsewhere = pb.part
      ? [...(o.placement.get(pb.name) ?? new Map<string, number>()).entries()]
          .filter(([p]) => !here.has(p))
          .map(([path, disc]) => ({ path, disc }))
          .sort((a, b) => (a.path < b.path ? -1 : 1))
      : [];
    bundles.push({
      name: pb.name,
      path: `${BUNDLES_DIR}/${pb.name}`,
      tagManifestSha512: src.tagManifestSha512,
      part: pb.part,
      elsewhere,
    });
  }
  const texts: DiscTexts = {
    ...o.texts,
    discNumber: o.disc.number,
    discCount: o.discCount,
    bundles: bundles.map((b) => ({
      name: b.name,
      tagManifestSha512: b.tagManifestSha512,
      part: b.part,
    })),
  };
  await fsp.mkdir(o.stageDir, { recursive: true });
  const readme = Buffer.from(await renderReadme(texts, resourcesDir), 'utf8');
  const verifier = await fsp.readFile(join(resourcesDir, 'disc', 'verify.html'));
  const register = o.register ? Buffer.from(o.register.text, 'utf8') : null;
  for (const [name, data] of [
    [DISC_README, readme],
    [DISC_VERIFIER, verifier],
    ...(register ? ([[REGISTER_FILE, register]] as const) : []),
  ] as const) {
    await fsp.writeFile(join(o.stageDir, name), data);
    entries.push({ src: join(o.stageDir, name), dst: `/${name}` });
    files.push({ path: name, bytes: data.length, sha256: hashBytes(data).sha256 });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const index: DiscIndex = {
    format: DISC_INDEX_FORMAT,
    setNo: o.texts.setNo,
    disc: { number: o.disc.number, of: o.discCount },
    volumeId: o.texts.volumeId,
    medium: o.texts.medium,
    case: o.texts.caseNo ? { caseNo: o.texts.caseNo, cause: o.texts.cause ?? '' } : null,
    madeAt: o.texts.madeAt,
    madeBy: o.texts.madeBy,
    software: o.texts.software,
    purpose: o.texts.purpose,
    bundles,
    register: register ? { path: REGISTER_FILE, sha256: hashBytes(register).sha256 } : null,
    files,
  };
  const indexBytes = Buffer.from(`${JSON.stringify(index, null, 2)}\n`, 'utf8');
  await fsp.writeFile(join(o.stageDir, DISC_INDEX), indexBytes);
  entries.push({ src: join(o.stageDir, DISC_INDEX), dst: `/${DISC_INDEX}` });

  const built = await buildImage({
    out: o.out,
    volumeId: o.texts.volumeId,
    entries,
    ...(o.maxSectors !== undefined ? { maxSectors: o.maxSectors } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.bin ? { bin: o.bin } : {}),
  });
  return {
    ...built,
    index,
    indexSha256: hashBytes(indexBytes).sha256,
  };
}
