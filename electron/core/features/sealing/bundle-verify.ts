/**
 * `verifyBag`: everything a sealed bag promises, checked independently of the app that made
 * it. Each problem names the file and the cause; the report is data (verify-report.ts, for
 * the UI and `--json`) and {@link formatReport} (verify-format.ts) renders it for people in
 * Chinese or English.
 *
 * What is checked, in order:
 * 1. bagit.txt declares BagIt 1.0, UTF-8.
 * 2. Both payload manifests parse; every listed file exists and matches both digests; the
 *    manifests list the same files; no file in data/ is unlisted; nothing is a symlink.
 * 3. Payload-Oxum matches what is on disk.
 * 4. bag-info.txt parses and carries every fact the rules require.
 * 5. The tag manifest lists bagit.txt, bag-info.txt and the manifests, and every tag file
 *    matches; no tag file is unlisted except the seal's own signature and time-stamp.
 * 6. The detached CMS signature over the tag manifest verifies, and its signer is trusted:
 *    it chains to a trust anchor, the agency certificate register vouches for it (a CA of
 *    the register issued it, or it is one of the register's workstations, not withdrawn),
 *    it has an expected fingerprint, or the tag manifest has the expected hash. Without any
 *    of these the verdict is "signer unverified", never passed.
 * 7. The RFC 3161 time-stamp, when present, verifies and is over the same tag manifest.
 * 8. The event log's hash chain holds and ends at the head recorded in bag-info.
 * 9. Every media file decodes (ffprobe, when installed).
 * 10. Every PDF's signatures are valid (pdfsig, when installed).
 * 11. A party copy: its source's signed manifests are the ones it names, and every copied
 *     file is byte-identical to the source's entry (copy-verify.ts).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import {
  ALGORITHMS,
  BAGIT_TXT,
  bagInfoValue,
  bagInfoValues,
  parseBagInfo,
  parseManifest,
  type Algorithm,
  type ParsedBagInfo,
} from '../../platform/bagit/bagformat';
import {
  SIGNATURE_FILE,
  TAG_MANIFEST,
  TIMESTAMP_FILE,
  UNLISTED_SEAL_FILES,
} from '../../platform/bagit/bagit';
import { exists, fromPosix, hashFile, walkFiles, type WalkedFile } from '../../platform/fs';
import { pemToCertificates } from '../../platform/pki/certificate';
import { verifyDetachedCms } from '../../platform/pki/cms-verify';
import { registerTrust, type AgencyRegister } from '../../platform/pki/register';
import { verifyTimestampResponse } from '../../platform/pki/tsa';
import { LABELS, REQUIRED_LABELS } from '../../platform/bagit/baginfo';
import { verifyEventLogText } from '../../platform/bagit/eventlog';
import { checkMedia, checkPdfs } from './verify-tools';
import { checkCopy } from './copy-verify';
import {
  CHECK_ORDER,
  emptyReport,
  settleReport,
  type VerifyContext,
  type VerifyOptions,
  type SignerTrust,
  type VerifyReport,
} from './verify-report';

/** The payload as found on disk. */
interface Payload {
  files: WalkedFile[];
  /** By bag path (`data/…`). */
  byPath: Map<string, WalkedFile>;
  bytes: number;
}

/** Verifies the bag at `path`. Never throws for a bad bag: every finding is in the report. */
export async function verifyBag(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const report = emptyReport(path);
  const ctx: VerifyContext = {
    path,
    report,
    opts,
    add: (severity, code, file, detail = '') =>
      report.problems.push({ severity, code, file, detail }),
    readText: async (rel) => {
      try {
        return await fsp.readFile(join(path, fromPosix(rel)), 'utf8');
      } catch {
        return null;
      }
    },
  };

  const st = await fsp.stat(path).catch(() => null);
  if (!st?.isDirectory()) {
    ctx.add('error', 'bag-not-found', null, `${path} is not a directory`);
    for (const c of CHECK_ORDER) report.checks[c] = 'skipped';
    report.checks.bagit = 'fail';
    report.ok = false;
    return report;
  }

  await checkDeclaration(ctx);
  const payload = await checkPayload(ctx);
  // bag-info is read before Payload-Oxum is checked: the Oxum is one of its elements.
  const info = await checkBagInfo(ctx);
  checkOxum(ctx, info, payload);
  const tagBytes = await checkTagManifest(ctx);
  await checkSignature(ctx, tagBytes);
  await checkTimestamp(ctx, tagBytes);
  await checkEventLog(ctx, info, payload);
  await checkMedia(ctx, payload.files);
  await checkPdfs(ctx, payload.files);
  await checkCopy(ctx, info, async (cms, tag, fp) =>
    ctx.opts.register ? (await registerVouches(cms, tag, ctx.opts.register, fp)).vouches : false,
  );
  return settleReport(report);
}

/** 1. bagit.txt declares BagIt 1.0, UTF-8. */
async function checkDeclaration(ctx: VerifyContext): Promise<void> {
  const bagit = await ctx.readText('bagit.txt');
  if (bagit === null) ctx.add('error', 'bagit-missing', 'bagit.txt');
  else if (bagit.replace(/\r\n?/g, '\n') !== BAGIT_TXT) {
    ctx.add('error', 'bagit-invalid', 'bagit.txt', `expected ${JSON.stringify(BAGIT_TXT)}`);
  }
}

/** 2. The payload manifests and the files they list; returns the payload as found on disk. */
async function checkPayload(ctx: VerifyContext): Promise<Payload> {
  const { add, path, opts } = ctx;
  const manifests = new Map<Algorithm, Map<string, string>>();
  for (const alg of ALGORITHMS) {
    const rel = `manifest-${alg}.txt`;
    const text = await ctx.readText(rel);
    if (text === null) {
      add('error', 'manifest-missing', rel);
      continue;
    }
    const parsed = parseManifest(text, alg);
    for (const p of parsed.problems)
      add('error', 'manifest-syntax', rel, `line ${p.line}: ${p.reason}`);
    const map = new Map<string, string>();
    for (const e of parsed.entries) {
      if (!e.path.startsWith('data/')) {
        add('error', 'manifest-syntax', rel, `${e.path} is not under data/`);
        continue;
      }
      map.set(e.path, e.digest);
    }
    manifests.set(alg, map);
  }
  const listed = new Set<string>();
  for (const m of manifests.values()) for (const p of m.keys()) listed.add(p);
  for (const p of listed) {
    const missingFrom = ALGORITHMS.filter((a) => manifests.has(a) && !manifests.get(a)!.has(p));
    if (missingFrom.length > 0)
      add(
        'error',
        'manifests-disagree',
        p,
        `not in manifest-${missingFrom.join(', manifest-')}.txt`,
      );
  }
  const onDisk = await walkFiles(join(path, 'data'), (rel, kind) =>
    add('error', 'not-regular-file', `data/${rel}`, kind),
  ).catch(() => []);
  const byPath = new Map(onDisk.map((f) => [`data/${f.rel}`, f]));
  const bytesTotal = onDisk.reduce((a, f) => a + f.size, 0);
  ctx.report.payload = { files: onDisk.length, bytes: bytesTotal };
  let bytesDone = 0;
  for (const p of [...listed].sort()) {
    const f = byPath.get(p);
    if (!f) {
      add('error', 'file-missing', p, 'listed in the manifest but not in the bag');
      continue;
    }
    const d = await hashFile(f.abs, (n) => {
      bytesDone += n;
      opts.onProgress?.(bytesDone, bytesTotal);
    });
    for (const alg of ALGORITHMS) {
      const expected = manifests.get(alg)?.get(p);
      if (expected !== undefined && expected !== d[alg]) {
        add(
          'error',
          'hash-mismatch',
          p,
          `${alg.toUpperCase()}: manifest ${expected}, file ${d[alg]}`,
        );
      }
    }
  }
  for (const f of onDisk) {
    if (!listed.has(`data/${f.rel}`))
      add('error', 'unlisted-file', `data/${f.rel}`, 'in data/ but in no manifest');
  }
  return { files: onDisk, byPath, bytes: bytesTotal };
}

/** 4. bag-info.txt parses and carries every fact the rules require; null when it is missing. */
async function checkBagInfo(ctx: VerifyContext): Promise<ParsedBagInfo | null> {
  const text = await ctx.readText('bag-info.txt');
  if (text === null) {
    ctx.add('error', 'bag-info-missing', 'bag-info.txt');
    return null;
  }
  const info = parseBagInfo(text);
  for (const p of info.problems)
    ctx.add('error', 'bag-info-syntax', 'bag-info.txt', `line ${p.line}: ${p.reason}`);
  for (const e of info.elements) (ctx.report.bagInfo[e.label] ??= []).push(e.value);
  for (const label of REQUIRED_LABELS) {
    if (!bagInfoValues(info, label).some((v) => v.trim() !== '')) {
      ctx.add('error', 'bag-info-field-missing', 'bag-info.txt', label);
    }
  }
  return info;
}

/** 3. Payload-Oxum (in bag-info) matches what is on disk. */
function checkOxum(ctx: VerifyContext, info: ParsedBagInfo | null, payload: Payload): void {
  if (info === null) return;
  const oxum = bagInfoValue(info, LABELS.payloadOxum);
  if (oxum === undefined) ctx.add('error', 'oxum-missing', 'bag-info.txt');
  else if (oxum.trim() !== `${payload.bytes}.${payload.files.length}`) {
    ctx.add(
      'error',
      'oxum-mismatch',
      'bag-info.txt',
      `Payload-Oxum ${oxum.trim()}, data/ holds ${payload.bytes}.${payload.files.length}`,
    );
  }
}

/**
 * 5. The tag manifest lists the required tag files and every tag file matches; nothing
 * outside data/ is unlisted. Returns the tag manifest's bytes (what the seal signs), or null.
 */
async function checkTagManifest(ctx: VerifyContext): Promise<Buffer | null> {
  const { add, path } = ctx;
  const tagText = await ctx.readText(TAG_MANIFEST);
  if (tagText === null) {
    add('error', 'tag-manifest-missing', TAG_MANIFEST);
    return null;
  }
  const tagBytes = await fsp.readFile(join(path, TAG_MANIFEST));
  const parsed = parseManifest(tagText, 'sha512');
  for (const p of parsed.problems)
    add('error', 'manifest-syntax', TAG_MANIFEST, `line ${p.line}: ${p.reason}`);
  const tagListed = new Map(parsed.entries.map((e) => [e.path, e.digest]));
  for (const must of ['bagit.txt', 'bag-info.txt', ...ALGORITHMS.map((a) => `manifest-${a}.txt`)]) {
    if (!tagListed.has(must))
      add('error', 'tag-manifest-incomplete', TAG_MANIFEST, `${must} is not listed`);
  }
  for (const [rel, digest] of tagListed) {
    if (rel.startsWith('data/')) {
      add('error', 'manifest-syntax', TAG_MANIFEST, `${rel}: a tag manifest lists no payload`);
      continue;
    }
    if (!(await exists(join(path, fromPosix(rel))))) {
      add('error', 'tag-file-missing', rel);
      continue;
    }
    const d = await hashFile(join(path, fromPosix(rel)));
    if (d.sha512 !== digest)
      add('error', 'tag-hash-mismatch', rel, `SHA512: tag manifest ${digest}, file ${d.sha512}`);
  }
  const top = await walkFiles(path, (rel, kind) => {
    if (!rel.startsWith('data/')) add('error', 'not-regular-file', rel, kind);
  });
  for (const f of top) {
    if (f.rel.startsWith('data/') || tagListed.has(f.rel)) continue;
    if (/^tagmanifest-[a-z0-9]+\.txt$/.test(f.rel) || UNLISTED_SEAL_FILES.includes(f.rel)) continue;
    add('error', 'unlisted-tag-file', f.rel, 'outside data/ and in no tag manifest');
  }
  return tagBytes;
}

/** A fingerprint as written anywhere (colons, spaces, either case) in one form. */
export function normaliseHex(hex: string): string {
  return hex.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/**
 * 6. The detached CMS signature over the tag manifest, and who vouches for its signer: a
 * trust anchor it chains to, an expected certificate fingerprint, or the expected hash of
 * the tag manifest itself. Given none of these, a valid signature says nothing about who
 * signed (anyone can make a key under any name): the verdict is "signer unverified".
 */
async function checkSignature(ctx: VerifyContext, tagBytes: Buffer | null): Promise<void> {
  const { add, opts } = ctx;
  const register = opts.register ?? null;
  if (register) {
    const live = register.entries.filter((e) => e.withdrawnAt === null);
    ctx.report.register = {
      sha256: register.sha256 ?? null,
      cas: live.filter((e) => e.kind === 'ca').length,
      workstations: live.filter((e) => e.kind === 'workstation').length,
      withdrawn: register.entries.length - live.length,
    };
    const expected = opts.expectRegisterSha256 && normaliseHex(opts.expectRegisterSha256);
    if (expected && expected !== register.sha256)
      add(
        'error',
        'register-mismatch',
        null,
        `SHA-256 ${register.sha256 ?? 'unknown'}, expected ${expected}: this register vouches for nothing`,
      );
  }
  const cms = await fsp.readFile(join(ctx.path, fromPosix(SIGNATURE_FILE))).catch(() => null);
  if (!cms) {
    add('error', 'signature-missing', SIGNATURE_FILE);
    return;
  }
  if (!tagBytes) return;
  const anchors = opts.trustAnchors ?? [];
  const fingerprints = (opts.expectFingerprints ?? []).map(normaliseHex);
  const tagHashes = (opts.expectTagManifests ?? []).map(normaliseHex);
  const v = await verifyDetachedCms(cms, tagBytes, { trustAnchors: anchors });
  // Asked only when a valid signature is not already vouched for by a trust anchor.
  const byRegister =
    register &&
    v.signatureValid &&
    v.chainValid !== true &&
    !ctx.report.problems.some((p) => p.code === 'register-mismatch')
      ? await registerVouches(cms, tagBytes, register, v.signer?.fingerprintSha256 ?? null)
      : null;
  const tagSha512 = createHash('sha512').update(tagBytes).digest('hex');
  const trustedBy: SignerTrust | null = !v.signatureValid
    ? null
    : v.chainValid === true
      ? 'trust-anchor'
      : byRegister?.vouches
        ? 'register'
        : v.signer && fingerprints.includes(normaliseHex(v.signer.fingerprintSha256))
          ? 'fingerprint'
          : tagHashes.includes(tagSha512)
            ? 'tag-manifest'
            : null;
  ctx.report.signature = {
    valid: v.signatureValid,
    signer: v.signer,
    signingTime: v.signingTime?.toISOString() ?? null,
    chainValid: v.chainValid,
    trustedBy,
  };
  const who = v.signer ? `${v.signer.subject}, SHA-256 ${v.signer.fingerprintSha256}` : '';
  if (!v.signatureValid) add('error', 'signature-invalid', SIGNATURE_FILE, v.error ?? '');
  else if (trustedBy) return;
  else if (anchors.length || register || fingerprints.length || tagHashes.length) {
    const tried = [
      anchors.length ? (v.error ?? 'does not chain to a trust anchor') : null,
      register ? (byRegister?.why ?? 'the register given is not the one expected') : null,
      fingerprints.length ? `not one of the ${fingerprints.length} expected fingerprint(s)` : null,
      tagHashes.length ? `tag manifest SHA-512 ${tagSha512} is not the one expected` : null,
    ].filter(Boolean);
    add('error', 'signer-untrusted', SIGNATURE_FILE, `${who}: ${tried.join('; ')}`);
  } else add('warning', 'signer-unverified', SIGNATURE_FILE, who);
}

/**
 * Whether the agency register vouches for the seal's signer: it chains to a CA of the
 * register, or is one of its workstation certificates, neither withdrawn. When not, why
 * (naming a withdrawal that would otherwise have vouched).
 */
async function registerVouches(
  cms: Buffer,
  tagBytes: Buffer,
  register: AgencyRegister,
  signerFingerprint: string | null,
): Promise<{ vouches: boolean; why: string | null }> {
  const { anchors, fingerprints } = registerTrust(register);
  if (signerFingerprint && fingerprints.includes(signerFingerprint))
    return { vouches: true, why: null };
  if (anchors.length) {
    const r = await verifyDetachedCms(cms, tagBytes, { trustAnchors: anchors });
    if (r.chainValid === true) return { vouches: true, why: null };
  }
  const withdrawn = register.entries.filter((e) => e.withdrawnAt !== null);
  for (const e of withdrawn) {
    const listed = e.kind === 'workstation' && e.fingerprintSha256 === signerFingerprint;
    const chained =
      e.kind === 'ca' &&
      (
        await verifyDetachedCms(cms, tagBytes, {
          trustAnchors: pemToCertificates(e.certificatePem),
        })
      ).chainValid === true;
    if (listed || chained)
      return {
        vouches: false,
        why: `the register withdrew ${e.subject} (SHA-256 ${e.fingerprintSha256}) on ${e.withdrawnAt}`,
      };
  }
  return {
    vouches: false,
    why: `neither chains to a CA of the agency register nor is one of its workstation certificates`,
  };
}

/** 7. The RFC 3161 time-stamp, when there is one, over the same tag manifest. */
async function checkTimestamp(ctx: VerifyContext, tagBytes: Buffer | null): Promise<void> {
  const tsr = await fsp.readFile(join(ctx.path, fromPosix(TIMESTAMP_FILE))).catch(() => null);
  if (!tsr) {
    ctx.add('notice', 'timestamp-absent', null);
    return;
  }
  if (!tagBytes) return;
  const t = await verifyTimestampResponse(tsr, tagBytes, {
    trustAnchors: ctx.opts.tsaTrustAnchors ?? [],
  });
  ctx.report.timestamp = { valid: t.valid, genTime: t.genTime?.toISOString() ?? null, tsa: t.tsa };
  if (!t.valid) ctx.add('error', 'timestamp-invalid', TIMESTAMP_FILE, t.error ?? '');
  else if (t.chainValid === false)
    ctx.add('error', 'timestamp-invalid', TIMESTAMP_FILE, 'the TSA is not trusted');
  // A seal is made after the recording it holds ended: a trusted time before that end means
  // the recorded times (this workstation's clock) cannot be right.
  const end = Date.parse(ctx.report.bagInfo[LABELS.recordingEnd]?.[0] ?? '');
  if (t.valid && t.genTime && Number.isFinite(end) && t.genTime.getTime() < end)
    ctx.add(
      'error',
      'timestamp-before-recording',
      TIMESTAMP_FILE,
      `trusted time ${t.genTime.toISOString()}, recording end ${new Date(end).toISOString()}`,
    );
}

/** 8. The event log named in bag-info: its hash chain holds and ends at the recorded head. */
async function checkEventLog(
  ctx: VerifyContext,
  info: ParsedBagInfo | null,
  payload: Payload,
): Promise<void> {
  const { add } = ctx;
  const parsed = info ?? { elements: [], problems: [] };
  const logRel = bagInfoValue(parsed, LABELS.eventLog)?.trim();
  if (!logRel) {
    add('error', 'event-log-missing', 'bag-info.txt', `no ${LABELS.eventLog} element`);
    return;
  }
  const text = payload.byPath.has(logRel) ? await ctx.readText(logRel) : null;
  if (text === null) {
    add('error', 'event-log-missing', logRel);
    return;
  }
  const c = verifyEventLogText(text);
  ctx.report.eventLog = {
    file: logRel,
    entries: c.entries,
    checkpoints: c.checkpoints,
    head: c.head,
  };
  for (const p of c.problems)
    add('error', 'event-log-broken', logRel, `line ${p.line}: ${p.reason}`);
  const head = bagInfoValue(parsed, LABELS.eventLogHead)?.trim();
  if (head !== undefined && head !== c.head) {
    add(
      'error',
      'event-log-head-mismatch',
      logRel,
      `bag-info says ${head}, the log ends at ${c.head}`,
    );
  }
  const chainNote = bagInfoValue(parsed, LABELS.eventLogChain);
  if (chainNote?.startsWith('broken') && c.ok) {
    add('error', 'event-log-broken', logRel, `broken when sealed: ${chainNote}`);
  }
}
