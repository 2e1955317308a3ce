/**
 * A party copy as a bag of its own (R6.2): the granted files of one sealed bundle, copied
 * byte for byte (each compared with the source's manifest as it is copied), with the
 * source's proof beside them as tag files under `source/` (its bag-info, manifests, tag
 * manifest and signature), and bag-info naming the source bag, its tag-manifest SHA-512, the
 * grant, the recipient and what was left out. It is signed like any seal, so `attest verify`
 * checks it as a bag and then checks every file against the source's signed manifest.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { isoInZone } from '../../../shared/time';
import { parseBagInfo, parseManifest, type BagInfo } from '../../platform/bagit/bagformat';
import {
  sealBag,
  SealError,
  SIGNATURE_FILE,
  TAG_MANIFEST,
  TIMESTAMP_FILE,
  type SealResult,
} from '../../platform/bagit/bagit';
import { COMPUTED_LABELS, LABELS } from '../../platform/bagit/baginfo';
import { exists, fromPosix, hashBytes } from '../../platform/fs';
import type { Signer } from '../../platform/pki/cms-sign';
import type { TsaOptions } from '../../platform/pki/tsa';

/** Where a copy bag keeps its source's proof. */
export const COPY_SOURCE_DIR = 'source';
/** The source's files a copy bag carries under {@link COPY_SOURCE_DIR}. */
export const COPY_SOURCE_FILES = [
  'bag-info.txt',
  'manifest-sha512.txt',
  TAG_MANIFEST,
  SIGNATURE_FILE,
] as const;
/** The copy's own event log (the source's may be among the copied files). */
export const COPY_EVENT_LOG = 'copy-events.jsonl';

/** Labels of the source's bag-info that describe the copy's maker, not the seal's. */
const REPLACED = new Set(
  [
    ...COMPUTED_LABELS,
    LABELS.madeBy,
    LABELS.madeAt,
    LABELS.productionMethod,
    LABELS.externalDescription,
    LABELS.externalIdentifier,
    LABELS.auditTrailHead,
  ].map((l) => l.toLowerCase()),
);

export interface CopyBagInput {
  /** The source bag's directory and the tag-manifest SHA-512 recorded when it was sealed. */
  sourceDir: string;
  sourceBagName: string;
  sourceTagManifestSha512: string;
  /** Bag paths (`data/...`) to copy. */
  files: readonly string[];
  leftOut: readonly { path: string; reason: string }[];
  copyNo: string;
  /** The grant in words: 复制申请第 N 号，由 … 于 … 批准：意见. */
  grant: string;
  recipient: string;
  madeBy: string;
  at: number;
  timeZone: string;
  signer: Signer;
  tsa?: TsaOptions | undefined;
  outDir: string;
  bagName: string;
  software: string;
  events: { type: string; data: unknown; at: number }[];
}

/** Builds, signs and places the copy bag; refuses when the source no longer matches its seal. */
export async function makeCopyBag(o: CopyBagInput): Promise<SealResult> {
  const read = (rel: string) => fsp.readFile(join(o.sourceDir, fromPosix(rel)));
  const tag = await read(TAG_MANIFEST);
  if (hashBytes(tag).sha512 !== o.sourceTagManifestSha512) {
    throw new AppError(
      'CONFLICT',
      `封存包 ${o.sourceBagName} 的标签清单与封存时记录的不一致，不能从它制作复制件`,
    );
  }
  const sha256 = new Map(
    parseManifest((await read('manifest-sha256.txt')).toString('utf8'), 'sha256').entries.map(
      (e) => [e.path, e.digest],
    ),
  );
  const missing = o.files.filter((f) => !sha256.has(f));
  if (missing.length) {
    throw new AppError('NOT_FOUND', `封存包 ${o.sourceBagName} 中没有 ${missing.join('、')}`);
  }

  const info: Record<string, string[]> = {};
  for (const e of parseBagInfo((await read('bag-info.txt')).toString('utf8')).elements) {
    if (REPLACED.has(e.label.toLowerCase())) continue;
    (info[e.label] ??= []).push(e.value);
  }
  const bagInfo: BagInfo = {
    ...info,
    [LABELS.madeBy]: o.madeBy,
    [LABELS.madeAt]: isoInZone(o.at, o.timeZone),
    [LABELS.productionMethod]: `依${o.grant.split('，')[0]}从封存包复制，逐个文件与原封存包的 SHA-256 清单核对一致`,
    [LABELS.externalDescription]: `当事人复制件 ${o.copyNo}（原封存包 ${o.sourceBagName}）`,
    [LABELS.copyNumber]: o.copyNo,
    [LABELS.copyOf]: o.sourceBagName,
    [LABELS.copyOfTagManifest]: o.sourceTagManifestSha512,
    [LABELS.copyGrant]: o.grant,
    [LABELS.copyRecipient]: o.recipient,
    [LABELS.copyLeftOut]: o.leftOut.length
      ? o.leftOut.map((l) => `${l.path}（${l.reason}）`)
      : '无',
  };

  const extraTagFiles: { name: string; bytes: Buffer }[] = [];
  for (const rel of COPY_SOURCE_FILES) {
    extraTagFiles.push({ name: `${COPY_SOURCE_DIR}/${rel}`, bytes: await read(rel) });
  }
  if (await exists(join(o.sourceDir, fromPosix(TIMESTAMP_FILE)))) {
    extraTagFiles.push({
      name: `${COPY_SOURCE_DIR}/${TIMESTAMP_FILE}`,
      bytes: await read(TIMESTAMP_FILE),
    });
  }
  try {
    return await sealBag({
      sourceFiles: o.files.map((f) => ({
        path: join(o.sourceDir, fromPosix(f)),
        name: f.slice('data/'.length),
        expectedSha256: sha256.get(f)!,
      })),
      bagInfo,
      eventLog: { entries: o.events, name: COPY_EVENT_LOG },
      signer: o.signer,
      outDir: o.outDir,
      bagName: o.bagName,
      now: () => o.at,
      timeZone: o.timeZone,
      softwareAgent: o.software,
      extraTagFiles,
      ...(o.tsa ? { tsa: o.tsa } : {}),
    });
  } catch (e) {
    if (e instanceof SealError) throw new AppError('CONFLICT', e.message);
    throw e;
  }
}
