/**
 * Sealing: a session's payload becomes a signed BagIt 1.0 bag (RFC 8493) in the archive.
 *
 * Layout of a sealed bag:
 * ```
 * <bag>/bagit.txt
 *      /bag-info.txt                   the facts the rules require (R4.2, R5.1, R4.4)
 *      /manifest-sha512.txt            every payload file, SHA-512
 *      /manifest-sha256.txt            every payload file, SHA-256
 *      /tagmanifest-sha512.txt         the four files above and seal/README.txt
 *      /seal/README.txt                how to check the seal by hand
 *      /seal/tagmanifest-sha512.txt.p7s   detached CMS signature over the tag manifest
 *      /seal/tagmanifest-sha512.txt.tsr   RFC 3161 time-stamp response (when a TSA is set)
 *      /data/...                       media, transcript, strokes, event log
 * ```
 * The .p7s and .tsr cannot be listed in the tag manifest they sign (they are made from it),
 * so they are the only files outside any manifest; they protect themselves, and the
 * verifier accepts no other unlisted file. seal/README.txt says so to a human reader.
 *
 * Atomicity (R4.3, ARCHITECTURE §6): the bag is built as `.tmp-<name>-<random>` in the
 * archive directory, every file and directory is fsynced and made read-only, and only then
 * is it renamed to its final name and the archive directory fsynced. A crash at any point
 * leaves either no bag or a whole one under the final name; a leftover `.tmp-*` directory
 * is only ever a partial copy (the originals stay in the session's working directory until
 * the seal succeeds) and {@link cleanIncompleteSeals} removes it.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  ALGORITHMS,
  BAGIT_TXT,
  bagSize,
  formatBagInfo,
  formatManifest,
  isSafeRelativePath,
  isValidLabel,
  payloadOxum,
  type BagInfo,
  type ManifestEntry,
} from './bagformat';
import { COMPUTED_LABELS, LABELS, missingRequiredLabels } from './baginfo';
import { dateIn } from '../../../shared/time';
import {
  summariseCertificate,
  verifyDetachedCms,
  type CertificateSummary,
} from '../pki/cms-verify';
import { verifyEventLogFile, writeEventLog, type EventInput } from './eventlog';
import { hashFilesOnWorkers } from '../hash-workers';
import {
  copyHashed,
  exists,
  fromPosix,
  fsyncPath,
  hashBytes,
  hashFile,
  removeTree,
  sealTreeReadOnly,
  writeFileDurable,
  type Digests,
} from '../fs';
import type { Signer } from '../pki/cms-sign';
import { requestTimestamp, type TsaOptions } from '../pki/tsa';

export const SIGNATURE_FILE = 'seal/tagmanifest-sha512.txt.p7s';
export const TIMESTAMP_FILE = 'seal/tagmanifest-sha512.txt.tsr';
export const SEAL_README = 'seal/README.txt';
export const TAG_MANIFEST = 'tagmanifest-sha512.txt';
export const DEFAULT_EVENT_LOG_NAME = 'session-events.jsonl';
/** Files outside every manifest, by design (they sign the tag manifest). */
export const UNLISTED_SEAL_FILES: readonly string[] = [SIGNATURE_FILE, TIMESTAMP_FILE];
/** Prefix of a bag under construction. */
export const TEMP_PREFIX = '.tmp-';

/** One payload file: where it is now, and its name under data/ ('/'-separated). */
export interface SourceFile {
  path: string;
  name: string;
  /**
   * The SHA-256 the file had when it was written (recording, signing): compared with the
   * hash of the bytes as they are copied into the bag, so a file changed at any time before
   * or during the seal is refused, never sealed.
   */
  expectedSha256?: string;
  /**
   * The SHA-512 the file had when it was written (the media sink keeps both). With both
   * digests, a file on the archive's volume is taken into the bag by a hard link rather than
   * copied, and read once (on a worker thread) to check its SHA-256; the manifest takes this.
   */
  expectedSha512?: string;
}

/** The event log: a file the recording wrote with EventLogWriter, or entries in memory. */
export type EventLogSource =
  | { path: string; name?: string }
  | { entries: readonly (EventInput & { at?: number })[]; name?: string };

export interface SealProgress {
  bytesDone: number;
  bytesTotal: number;
  /** The data/ name being copied. */
  file: string;
}

export interface SealOptions {
  sourceFiles: readonly SourceFile[];
  /** bag-info elements; must include {@link REQUIRED_LABELS} (use buildBagInfo). */
  bagInfo: BagInfo;
  eventLog: EventLogSource;
  signer: Signer;
  /** The archive directory; the bag becomes `<outDir>/<bagName>`. */
  outDir: string;
  /** Directory name of the bag, e.g. `2026-11-23_石人防罚〔2026〕12号_S1`; no '/' and no leading '.'. */
  bagName: string;
  now: () => number;
  /** RFC 3161 time-stamping; when absent, no token is requested. */
  tsa?: TsaOptions;
  /** Zone for Bagging-Date: the agency's. */
  timeZone: string;
  /** e.g. `Attest 0.1.0`. */
  softwareAgent?: string;
  onProgress?: (p: SealProgress) => void;
  /**
   * Further tag files (outside data/), listed in the tag manifest and so covered by the
   * signature: a copy bag's proof of its source (the source's manifests and signature).
   */
  extraTagFiles?: readonly { name: string; bytes: Buffer | string }[];
}

export interface SealedFile {
  /** Path relative to the bag root (`data/...`). */
  path: string;
  sha512: string;
  sha256: string;
  bytes: number;
}

export interface SealResult {
  path: string;
  bagName: string;
  payloadBytes: number;
  payloadFiles: number;
  files: SealedFile[];
  /** SHA-512 of tagmanifest-sha512.txt: the one value the signature vouches for. */
  tagManifestSha512: string;
  eventLog: { path: string; head: string; entries: number; intact: boolean };
  signer: CertificateSummary;
  signedAt: Date;
  /** null when no TSA is configured; a failed TSA does not stop the seal (it is reported). */
  timestamp: { ok: true; file: string } | { ok: false; error: string } | null;
}

export class SealError extends Error {}

function checkOptions(o: SealOptions, eventLogName: string): void {
  if (
    !o.bagName ||
    o.bagName.startsWith('.') ||
    /[/\\\0]/.test(o.bagName) ||
    o.bagName.length > 200
  ) {
    throw new SealError(`invalid bag name ${JSON.stringify(o.bagName)}`);
  }
  const names = new Set<string>([eventLogName]);
  for (const f of o.sourceFiles) {
    if (!isSafeRelativePath(f.name) || /[\r\n]/.test(f.name)) {
      throw new SealError(`invalid payload name ${JSON.stringify(f.name)}`);
    }
    if (names.has(f.name)) throw new SealError(`two payload files are named data/${f.name}`);
    names.add(f.name);
  }
  for (const label of Object.keys(o.bagInfo)) {
    if (!isValidLabel(label))
      throw new SealError(`invalid bag-info label ${JSON.stringify(label)}`);
    if (COMPUTED_LABELS.some((c) => c.toLowerCase() === label.toLowerCase())) {
      throw new SealError(`${label} is computed by the seal; do not pass it`);
    }
  }
  const missing = missingRequiredLabels(o.bagInfo);
  if (missing.length > 0) {
    throw new SealError(`bag-info lacks what the rules require: ${missing.join(', ')}`);
  }
}

function readme(signer: CertificateSummary, eventLogPath: string): string {
  return `Attest sealed case bundle / Attest 封存案卷包
==========================================

This directory is a BagIt 1.0 bag (RFC 8493). 本目录为 BagIt 1.0 格式的封存包。

Files that are not listed in any manifest, by design / 未列入清单的文件（设计如此）:
  ${SIGNATURE_FILE}
      Detached CMS (PKCS #7) signature over ${TAG_MANIFEST}.
      对 ${TAG_MANIFEST} 的分离式 CMS 签名。
  ${TIMESTAMP_FILE} (only when a time-stamping authority was configured)
      RFC 3161 time-stamp response over ${TAG_MANIFEST}.
      对 ${TAG_MANIFEST} 的 RFC 3161 可信时间戳。
  They are made from the tag manifest, so the tag manifest cannot list them; they are
  protected by their own signatures. Any other file not listed in a manifest is an error.
  二者由标签清单生成，故不能列入该清单，由其自身签名保护；除此以外任何未列入清单的文件均视为错误。

Chain of protection / 保护链:
  payload files -> manifest-sha512.txt, manifest-sha256.txt
  bagit.txt, bag-info.txt, manifests, this README -> ${TAG_MANIFEST}
  ${TAG_MANIFEST} -> ${SIGNATURE_FILE} (and ${TIMESTAMP_FILE})
  ${eventLogPath}: JSON Lines, each line's "prev" is the SHA-256 of the line before.

Signer / 签名证书:
  subject: ${signer.subject}
  SHA-256 fingerprint: ${signer.fingerprintSha256}

Checking by hand / 手工核验:
  sha512sum -c manifest-sha512.txt && sha256sum -c manifest-sha256.txt
  sha512sum -c ${TAG_MANIFEST}
  openssl cms -verify -binary -inform DER -in ${SIGNATURE_FILE} \\
      -content ${TAG_MANIFEST} -CAfile <agency-ca.pem> -purpose any -out /dev/null
    A valid signature alone proves nothing: anyone can make a certificate under any name.
    Without the agency CA, compare the signer's fingerprint with the agency's register of
    workstation certificates, or \`sha512sum ${TAG_MANIFEST}\` with the hash on the disc
    label or in the case file, never with the values written in this bag.
    仅签名有效不足为凭（任何人都可自制同名证书）：请以机关根证书核验，或将签名证书指纹与机关
    的工作站证书登记比对，或将标签清单的 SHA-512 与光盘标签、案卷所载哈希比对，切勿与本包内
    所写数值比对。
  openssl ts -verify -data ${TAG_MANIFEST} -in ${TIMESTAMP_FILE} -CAfile <tsa-ca.pem>
  ffprobe -v error -show_entries format=duration -of json <media file>
  pdfsig <transcript.pdf>
  attest verify <this directory> --expect-tagmanifest <SHA-512 from the disc label>
`;
}

/**
 * Takes a file into the bag by a hard link when the two lie on one volume; false when they
 * do not (or the file system has no links), so the caller copies it instead.
 */
async function linkInto(from: string, to: string): Promise<boolean> {
  try {
    await fsp.link(from, to);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    return false;
  }
}

/**
 * Seals a session into `<outDir>/<bagName>`. Throws {@link SealError} before touching
 * anything if the inputs are incomplete (missing bag-info facts, bad names), and never
 * leaves a partial bag under the final name.
 */
export async function sealBag(o: SealOptions): Promise<SealResult> {
  const eventLogName = o.eventLog.name ?? DEFAULT_EVENT_LOG_NAME;
  checkOptions(o, eventLogName);
  await fsp.mkdir(o.outDir, { recursive: true });
  const finalPath = join(o.outDir, o.bagName);
  if (await exists(finalPath))
    throw new SealError(`${finalPath} already exists; a sealed bag is never replaced`);

  const sizes = await Promise.all(o.sourceFiles.map(async (f) => (await fsp.stat(f.path)).size));
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  const tmp = join(o.outDir, `${TEMP_PREFIX}${o.bagName}-${randomBytes(6).toString('hex')}`);
  await fsp.mkdir(join(tmp, 'data'), { recursive: true });
  try {
    const payload = new Map<string, Digests>();
    const mkdirs = new Set<string>();
    const ensureDir = async (rel: string) => {
      const dir = dirname(join(tmp, 'data', fromPosix(rel)));
      if (!mkdirs.has(dir)) {
        await fsp.mkdir(dir, { recursive: true });
        mkdirs.add(dir);
      }
    };

    // The event log first: its chain is checked, and the result goes into bag-info.
    await ensureDir(eventLogName);
    const logDest = join(tmp, 'data', fromPosix(eventLogName));
    if ('path' in o.eventLog) {
      payload.set(eventLogName, await copyHashed(o.eventLog.path, logDest));
    } else {
      await writeEventLog(logDest, o.eventLog.entries, o.now);
      payload.set(eventLogName, await hashFile(logDest));
    }
    const chain = await verifyEventLogFile(logDest);

    let bytesDone = 0;
    const changed: string[] = [];
    // Files the sink hashed both ways are linked in (no copy) and checked on worker threads
    // while the others are copied and hashed here.
    const linked: { f: SourceFile; dest: string }[] = [];
    for (const f of o.sourceFiles) {
      if (f.expectedSha256 === undefined || f.expectedSha512 === undefined) continue;
      await ensureDir(f.name);
      const dest = join(tmp, 'data', fromPosix(f.name));
      if (await linkInto(f.path, dest)) linked.push({ f, dest });
    }
    for (const dir of new Set(linked.map((l) => dirname(l.dest)))) await fsyncPath(dir);
    const checks = hashFilesOnWorkers(
      linked.map((l) => ({ path: l.dest, algorithms: ['sha256'] as const })),
    );
    // A failed copy must not leave the workers' check unobserved.
    checks.catch(() => undefined);
    const isLinked = new Set(linked.map((l) => l.f));
    for (const f of o.sourceFiles) {
      if (isLinked.has(f)) continue;
      await ensureDir(f.name);
      o.onProgress?.({ bytesDone, bytesTotal, file: f.name });
      const d = await copyHashed(f.path, join(tmp, 'data', fromPosix(f.name)), (n) => {
        bytesDone += n;
        o.onProgress?.({ bytesDone, bytesTotal, file: f.name });
      });
      if (f.expectedSha256 !== undefined && d.sha256 !== f.expectedSha256) changed.push(f.name);
      payload.set(f.name, d);
    }
    (await checks).forEach((r, i) => {
      const { f } = linked[i]!;
      if (r.digests[0] !== f.expectedSha256) changed.push(f.name);
      payload.set(f.name, { sha256: r.digests[0]!, sha512: f.expectedSha512!, bytes: r.bytes });
      bytesDone += r.bytes;
      o.onProgress?.({ bytesDone, bytesTotal, file: f.name });
    });
    if (changed.length > 0)
      throw new SealError(
        `files differ from what was recorded when they were written (SHA-256, compared as they were copied): ${changed.join(', ')}; they are not sealed`,
      );

    const files: SealedFile[] = [...payload.entries()]
      .map(([name, d]) => ({
        path: `data/${name}`,
        sha512: d.sha512,
        sha256: d.sha256,
        bytes: d.bytes,
      }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const payloadBytes = files.reduce((a, f) => a + f.bytes, 0);
    const now = o.now();

    const signerSummary = summariseCertificate(o.signer.certificateDer);
    const eventLogPath = `data/${eventLogName}`;
    const firstProblem = chain.problems[0];
    const info: BagInfo = {
      ...o.bagInfo,
      [LABELS.baggingDate]: dateIn(now, o.timeZone),
      [LABELS.payloadOxum]: payloadOxum(payloadBytes, files.length),
      [LABELS.bagSize]: bagSize(payloadBytes),
      [LABELS.softwareAgent]: o.softwareAgent ?? 'Attest',
      [LABELS.eventLog]: eventLogPath,
      [LABELS.eventLogHead]: chain.head,
      // A broken chain is still sealed (the record must be kept, R4.3), but says so here
      // and fails verification forever after.
      [LABELS.eventLogChain]: firstProblem
        ? `broken at line ${firstProblem.line}: ${firstProblem.reason}`
        : `intact, ${chain.entries} entries, ${chain.checkpoints} checkpoints`,
      [LABELS.sealSignature]: `${SIGNATURE_FILE} (detached CMS over ${TAG_MANIFEST}; see ${SEAL_README})`,
    };

    const tagFiles = new Map<string, string | Buffer>();
    tagFiles.set('bagit.txt', BAGIT_TXT);
    for (const alg of ALGORITHMS) {
      tagFiles.set(
        `manifest-${alg}.txt`,
        formatManifest(files.map((f): ManifestEntry => ({ path: f.path, digest: f[alg] }))),
      );
    }
    tagFiles.set('bag-info.txt', formatBagInfo(info));
    tagFiles.set(SEAL_README, readme(signerSummary, eventLogPath));
    for (const f of o.extraTagFiles ?? []) {
      if (!isSafeRelativePath(f.name) || f.name.startsWith('data/') || tagFiles.has(f.name))
        throw new SealError(`${f.name} cannot be a further tag file`);
      tagFiles.set(f.name, f.bytes);
    }
    await fsp.mkdir(join(tmp, 'seal'));
    const tagEntries: ManifestEntry[] = [];
    for (const [rel, text] of tagFiles) {
      await fsp.mkdir(dirname(join(tmp, fromPosix(rel))), { recursive: true });
      await writeFileDurable(join(tmp, fromPosix(rel)), text);
      tagEntries.push({ path: rel, digest: hashBytes(text).sha512 });
    }
    const tagManifest = Buffer.from(formatManifest(tagEntries), 'utf8');
    await writeFileDurable(join(tmp, TAG_MANIFEST), tagManifest);

    const signedAt = new Date(now);
    const cms = await o.signer.signDetached(tagManifest, { signingTime: signedAt });
    // Check our own signature before we rely on it: a broken signer must fail the seal
    // now, not at verification years later.
    const self = await verifyDetachedCms(cms, tagManifest);
    if (!self.signatureValid)
      throw new SealError(`the signer produced an invalid signature: ${self.error}`);
    await writeFileDurable(join(tmp, fromPosix(SIGNATURE_FILE)), cms);

    let timestamp: SealResult['timestamp'] = null;
    if (o.tsa) {
      try {
        const tsr = await requestTimestamp(tagManifest, o.tsa);
        await writeFileDurable(join(tmp, fromPosix(TIMESTAMP_FILE)), tsr);
        timestamp = { ok: true, file: TIMESTAMP_FILE };
      } catch (e) {
        // The TSA is an extra; an unreachable one must not stop evidence being sealed.
        timestamp = { ok: false, error: (e as Error).message };
      }
    }

    // The archive's bags are this account's alone; copies made for others (a share, a disc)
    // are read-only to everyone.
    await sealTreeReadOnly(tmp, 'owner');
    if (await exists(finalPath))
      throw new SealError(`${finalPath} appeared while sealing; not replacing it`);
    await fsp.rename(tmp, finalPath);
    await fsyncPath(o.outDir);

    return {
      path: finalPath,
      bagName: o.bagName,
      payloadBytes,
      payloadFiles: files.length,
      files,
      tagManifestSha512: hashBytes(tagManifest).sha512,
      eventLog: { path: eventLogPath, head: chain.head, entries: chain.entries, intact: chain.ok },
      signer: self.signer ?? signerSummary,
      signedAt,
      timestamp,
    };
  } catch (e) {
    await removeTree(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Removes bags left half-built by a crash (`.tmp-*` in the archive directory) and returns
 * their names. Safe: a temporary bag is only ever a copy, and the final name is never used
 * until a bag is whole.
 */
export async function cleanIncompleteSeals(outDir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const e of await fsp.readdir(outDir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name.startsWith(TEMP_PREFIX)) {
      await removeTree(join(outDir, e.name));
      removed.push(e.name);
    }
  }
  return removed;
}
