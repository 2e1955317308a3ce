/**
 * `verifyBag`: everything a sealed bag promises, checked independently of the app that made
 * it. Each problem names the file and the cause; the report is data (for the UI and
 * `--json`) and {@link formatReport} renders it for people in Chinese or English.
 *
 * What is checked, in order:
 * 1. bagit.txt declares BagIt 1.0, UTF-8.
 * 2. Both payload manifests parse; every listed file exists and matches both digests; the
 *    manifests list the same files; no file in data/ is unlisted; nothing is a symlink.
 * 3. Payload-Oxum matches what is on disk.
 * 4. bag-info.txt parses and carries every fact the rules require.
 * 5. The tag manifest lists bagit.txt, bag-info.txt and the manifests, and every tag file
 *    matches; no tag file is unlisted except the seal's own signature and time-stamp.
 * 6. The detached CMS signature over the tag manifest verifies (and, with trust anchors,
 *    chains to one of them).
 * 7. The RFC 3161 time-stamp, when present, verifies and is over the same tag manifest.
 * 8. The event log's hash chain holds and ends at the head recorded in bag-info.
 * 9. Every media file decodes (ffprobe, when installed).
 * 10. Every PDF's signatures are valid (pdfsig, when installed).
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { extname, join } from 'node:path';
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
import { LABELS, REQUIRED_LABELS } from './baginfo';
import {
  SIGNATURE_FILE,
  TAG_MANIFEST,
  TIMESTAMP_FILE,
  UNLISTED_SEAL_FILES,
} from '../../platform/bagit/bagit';
import { verifyDetachedCms, type CertificateSummary } from '../../platform/pki/cms-verify';
import { verifyEventLogText } from './eventlog';
import { exists, fromPosix, hashFile, walkFiles } from '../../platform/fs';
import { verifyTimestampResponse } from '../../platform/pki/tsa';

/** ffprobe/ffmpeg input options: the file protocol and the MP4 family only. */
const LOCAL_MP4_ONLY = [
  '-protocol_whitelist',
  'file',
  '-format_whitelist',
  'mov,mp4,m4a,3gp,3g2,mj2',
];

export type Severity = 'error' | 'warning' | 'notice';

/** Stable problem codes; {@link formatReport} has a sentence for each in both languages. */
export type ProblemCode =
  | 'bag-not-found'
  | 'bagit-missing'
  | 'bagit-invalid'
  | 'manifest-missing'
  | 'manifest-syntax'
  | 'file-missing'
  | 'hash-mismatch'
  | 'manifests-disagree'
  | 'unlisted-file'
  | 'not-regular-file'
  | 'oxum-missing'
  | 'oxum-mismatch'
  | 'bag-info-missing'
  | 'bag-info-syntax'
  | 'bag-info-field-missing'
  | 'tag-manifest-missing'
  | 'tag-manifest-incomplete'
  | 'tag-file-missing'
  | 'tag-hash-mismatch'
  | 'unlisted-tag-file'
  | 'signature-missing'
  | 'signature-invalid'
  | 'signer-untrusted'
  | 'signer-not-checked'
  | 'timestamp-invalid'
  | 'timestamp-absent'
  | 'event-log-missing'
  | 'event-log-broken'
  | 'event-log-head-mismatch'
  | 'media-undecodable'
  | 'media-decode-warnings'
  | 'media-check-skipped'
  | 'pdf-signature-invalid'
  | 'pdf-unsigned'
  | 'pdf-check-skipped';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  /** The file concerned, relative to the bag root; null for the bag as a whole. */
  file: string | null;
  /** Technical detail (expected and found values, a tool's message), untranslated. */
  detail: string;
}

export type CheckId =
  | 'bagit'
  | 'payload'
  | 'payload-oxum'
  | 'bag-info'
  | 'tag-manifest'
  | 'signature'
  | 'timestamp'
  | 'event-log'
  | 'media'
  | 'pdf';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skipped';

export const CHECK_ORDER: readonly CheckId[] = [
  'bagit',
  'payload',
  'payload-oxum',
  'bag-info',
  'tag-manifest',
  'signature',
  'timestamp',
  'event-log',
  'media',
  'pdf',
];

/** Which check each problem belongs to (a check fails when any of its errors occur). */
const CHECK_OF: Readonly<Record<ProblemCode, CheckId>> = {
  'bag-not-found': 'bagit',
  'bagit-missing': 'bagit',
  'bagit-invalid': 'bagit',
  'manifest-missing': 'payload',
  'manifest-syntax': 'payload',
  'file-missing': 'payload',
  'hash-mismatch': 'payload',
  'manifests-disagree': 'payload',
  'unlisted-file': 'payload',
  'not-regular-file': 'payload',
  'oxum-missing': 'payload-oxum',
  'oxum-mismatch': 'payload-oxum',
  'bag-info-missing': 'bag-info',
  'bag-info-syntax': 'bag-info',
  'bag-info-field-missing': 'bag-info',
  'tag-manifest-missing': 'tag-manifest',
  'tag-manifest-incomplete': 'tag-manifest',
  'tag-file-missing': 'tag-manifest',
  'tag-hash-mismatch': 'tag-manifest',
  'unlisted-tag-file': 'tag-manifest',
  'signature-missing': 'signature',
  'signature-invalid': 'signature',
  'signer-untrusted': 'signature',
  'signer-not-checked': 'signature',
  'timestamp-invalid': 'timestamp',
  'timestamp-absent': 'timestamp',
  'event-log-missing': 'event-log',
  'event-log-broken': 'event-log',
  'event-log-head-mismatch': 'event-log',
  'media-undecodable': 'media',
  'media-decode-warnings': 'media',
  'media-check-skipped': 'media',
  'pdf-signature-invalid': 'pdf',
  'pdf-unsigned': 'pdf',
  'pdf-check-skipped': 'pdf',
};

/** Findings that mean a check did not run (rather than passed or failed). */
const SKIPPED: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'media-check-skipped',
  'pdf-check-skipped',
  'timestamp-absent',
]);

export interface VerifyReport {
  path: string;
  /** True only when no problem is an error. */
  ok: boolean;
  checks: Record<CheckId, CheckStatus>;
  problems: Problem[];
  payload: { files: number; bytes: number };
  bagInfo: Record<string, string[]>;
  signature: {
    valid: boolean;
    signer: CertificateSummary | null;
    signingTime: string | null;
    chainValid: boolean | null;
  } | null;
  timestamp: { valid: boolean; genTime: string | null; tsa: CertificateSummary | null } | null;
  eventLog: { file: string; entries: number; checkpoints: number; head: string } | null;
  media: { file: string; durationSeconds: number | null }[];
  pdfs: { file: string; signatures: number; valid: boolean }[];
}

export interface VerifyOptions {
  /** DER certificates the seal's signer must chain to (e.g. the agency CA). */
  trustAnchors?: readonly Buffer[];
  /** DER certificates the TSA must chain to. */
  tsaTrustAnchors?: readonly Buffer[];
  /** ffprobe executable; null skips the media check. Default `ffprobe` on PATH. */
  ffprobe?: string | null;
  /** ffmpeg executable for a full decode of every media file (slow: real time / ~50). */
  deepMediaCheck?: { ffmpeg?: string } | false;
  /** pdfsig executable; null skips the PDF check. Default `pdfsig` on PATH. */
  pdfsig?: string | null;
  /** Progress of the hashing pass (the slow part). */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

const MEDIA_EXTENSIONS = new Set([
  '.mp4',
  '.m4a',
  '.m4v',
  '.mov',
  '.webm',
  '.mkv',
  '.wav',
  '.mp3',
  '.aac',
  '.opus',
  '.ogg',
  '.flac',
]);

interface ToolResult {
  found: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell. `found` is false only when it is not installed. */
function runTool(cmd: string, args: string[], timeoutMs = 120_000): Promise<ToolResult> {
  return new Promise((done) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (e && (e.code === 'ENOENT' || e.code === 'EACCES')) {
          done({ found: false, code: -1, stdout: '', stderr: String(e.code) });
          return;
        }
        done({
          found: true,
          code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

function firstLines(text: string, n = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, n)
    .join(' | ');
}

/** Verifies the bag at `path`. Never throws for a bad bag: every finding is in the report. */
export async function verifyBag(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: Problem[] = [];
  const add = (severity: Severity, code: ProblemCode, file: string | null, detail = '') =>
    problems.push({ severity, code, file, detail });
  const report: VerifyReport = {
    path,
    ok: false,
    checks: Object.fromEntries(CHECK_ORDER.map((c) => [c, 'pass'])) as Record<CheckId, CheckStatus>,
    problems,
    payload: { files: 0, bytes: 0 },
    bagInfo: {},
    signature: null,
    timestamp: null,
    eventLog: null,
    media: [],
    pdfs: [],
  };
  const finish = (): VerifyReport => {
    for (const c of CHECK_ORDER) {
      const mine = problems.filter((p) => CHECK_OF[p.code] === c);
      if (mine.some((p) => p.severity === 'error')) report.checks[c] = 'fail';
      else if (mine.some((p) => SKIPPED.has(p.code))) report.checks[c] = 'skipped';
      else if (mine.some((p) => p.severity === 'warning')) report.checks[c] = 'warn';
    }
    report.ok = !problems.some((p) => p.severity === 'error');
    return report;
  };
  const readText = async (rel: string): Promise<string | null> => {
    try {
      return await fsp.readFile(join(path, fromPosix(rel)), 'utf8');
    } catch {
      return null;
    }
  };

  const st = await fsp.stat(path).catch(() => null);
  if (!st?.isDirectory()) {
    add('error', 'bag-not-found', null, `${path} is not a directory`);
    for (const c of CHECK_ORDER) report.checks[c] = 'skipped';
    report.checks.bagit = 'fail';
    report.ok = false;
    return report;
  }

  // 1. bagit.txt
  const bagit = await readText('bagit.txt');
  if (bagit === null) add('error', 'bagit-missing', 'bagit.txt');
  else if (bagit.replace(/\r\n?/g, '\n') !== BAGIT_TXT) {
    add('error', 'bagit-invalid', 'bagit.txt', `expected ${JSON.stringify(BAGIT_TXT)}`);
  }

  // 2. Payload manifests and the files they list.
  const manifests = new Map<Algorithm, Map<string, string>>();
  for (const alg of ALGORITHMS) {
    const rel = `manifest-${alg}.txt`;
    const text = await readText(rel);
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
  const diskByPath = new Map(onDisk.map((f) => [`data/${f.rel}`, f]));
  const bytesTotal = onDisk.reduce((a, f) => a + f.size, 0);
  report.payload = { files: onDisk.length, bytes: bytesTotal };
  let bytesDone = 0;
  for (const p of [...listed].sort()) {
    const f = diskByPath.get(p);
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

  // 4 (read first: Payload-Oxum is in it). bag-info.txt
  let info: ParsedBagInfo = { elements: [], problems: [] };
  const infoText = await readText('bag-info.txt');
  if (infoText === null) add('error', 'bag-info-missing', 'bag-info.txt');
  else {
    info = parseBagInfo(infoText);
    for (const p of info.problems)
      add('error', 'bag-info-syntax', 'bag-info.txt', `line ${p.line}: ${p.reason}`);
    for (const e of info.elements) (report.bagInfo[e.label] ??= []).push(e.value);
    for (const label of REQUIRED_LABELS) {
      if (!bagInfoValues(info, label).some((v) => v.trim() !== '')) {
        add('error', 'bag-info-field-missing', 'bag-info.txt', label);
      }
    }
  }

  // 3. Payload-Oxum
  const oxum = bagInfoValue(info, LABELS.payloadOxum);
  if (infoText !== null) {
    if (oxum === undefined) add('error', 'oxum-missing', 'bag-info.txt');
    else if (oxum.trim() !== `${bytesTotal}.${onDisk.length}`) {
      add(
        'error',
        'oxum-mismatch',
        'bag-info.txt',
        `Payload-Oxum ${oxum.trim()}, data/ holds ${bytesTotal}.${onDisk.length}`,
      );
    }
  }

  // 5. Tag manifest
  const tagText = await readText(TAG_MANIFEST);
  let tagBytes: Buffer | null = null;
  if (tagText === null) add('error', 'tag-manifest-missing', TAG_MANIFEST);
  else {
    tagBytes = await fsp.readFile(join(path, TAG_MANIFEST));
    const parsed = parseManifest(tagText, 'sha512');
    for (const p of parsed.problems)
      add('error', 'manifest-syntax', TAG_MANIFEST, `line ${p.line}: ${p.reason}`);
    const tagListed = new Map(parsed.entries.map((e) => [e.path, e.digest]));
    for (const must of [
      'bagit.txt',
      'bag-info.txt',
      ...ALGORITHMS.map((a) => `manifest-${a}.txt`),
    ]) {
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
      if (/^tagmanifest-[a-z0-9]+\.txt$/.test(f.rel) || UNLISTED_SEAL_FILES.includes(f.rel))
        continue;
      add('error', 'unlisted-tag-file', f.rel, 'outside data/ and in no tag manifest');
    }
  }

  // 6. Signature over the tag manifest
  const cms = await fsp.readFile(join(path, fromPosix(SIGNATURE_FILE))).catch(() => null);
  if (!cms) add('error', 'signature-missing', SIGNATURE_FILE);
  else if (tagBytes) {
    const v = await verifyDetachedCms(cms, tagBytes, { trustAnchors: opts.trustAnchors ?? [] });
    report.signature = {
      valid: v.signatureValid,
      signer: v.signer,
      signingTime: v.signingTime?.toISOString() ?? null,
      chainValid: v.chainValid,
    };
    if (!v.signatureValid) add('error', 'signature-invalid', SIGNATURE_FILE, v.error ?? '');
    else if (v.chainValid === false)
      add('error', 'signer-untrusted', SIGNATURE_FILE, v.error ?? '');
    else if (v.chainValid === null) {
      add(
        'notice',
        'signer-not-checked',
        SIGNATURE_FILE,
        v.signer ? `SHA-256 ${v.signer.fingerprintSha256}` : '',
      );
    }
  }

  // 7. Time-stamp
  const tsr = await fsp.readFile(join(path, fromPosix(TIMESTAMP_FILE))).catch(() => null);
  if (!tsr) add('notice', 'timestamp-absent', null);
  else if (tagBytes) {
    const t = await verifyTimestampResponse(tsr, tagBytes, {
      trustAnchors: opts.tsaTrustAnchors ?? [],
    });
    report.timestamp = { valid: t.valid, genTime: t.genTime?.toISOString() ?? null, tsa: t.tsa };
    if (!t.valid) add('error', 'timestamp-invalid', TIMESTAMP_FILE, t.error ?? '');
    else if (t.chainValid === false)
      add('error', 'timestamp-invalid', TIMESTAMP_FILE, 'the TSA is not trusted');
  }

  // 8. Event log
  const logRel = bagInfoValue(info, LABELS.eventLog)?.trim();
  if (!logRel) add('error', 'event-log-missing', 'bag-info.txt', `no ${LABELS.eventLog} element`);
  else {
    const text = diskByPath.has(logRel) ? await readText(logRel) : null;
    if (text === null) add('error', 'event-log-missing', logRel);
    else {
      const c = verifyEventLogText(text);
      report.eventLog = {
        file: logRel,
        entries: c.entries,
        checkpoints: c.checkpoints,
        head: c.head,
      };
      for (const p of c.problems)
        add('error', 'event-log-broken', logRel, `line ${p.line}: ${p.reason}`);
      const head = bagInfoValue(info, LABELS.eventLogHead)?.trim();
      if (head !== undefined && head !== c.head) {
        add(
          'error',
          'event-log-head-mismatch',
          logRel,
          `bag-info says ${head}, the log ends at ${c.head}`,
        );
      }
      const chainNote = bagInfoValue(info, LABELS.eventLogChain);
      if (chainNote?.startsWith('broken') && c.ok) {
        add('error', 'event-log-broken', logRel, `broken when sealed: ${chainNote}`);
      }
    }
  }

  // 9. Media
  const mediaFiles = onDisk.filter((f) => MEDIA_EXTENSIONS.has(extname(f.rel).toLowerCase()));
  const ffprobe = opts.ffprobe === undefined ? 'ffprobe' : opts.ffprobe;
  if (mediaFiles.length > 0) {
    if (ffprobe === null) add('warning', 'media-check-skipped', null, 'disabled');
    else {
      for (const f of mediaFiles) {
        const rel = `data/${f.rel}`;
        // A bag may come from anywhere (a disc, another agency): read it as a local MP4 only,
        // so a crafted file cannot make ffmpeg open other files or the network.
        const r = await runTool(ffprobe, [
          '-v',
          'error',
          ...LOCAL_MP4_ONLY,
          '-show_entries',
          'format=duration',
          '-of',
          'json',
          f.abs,
        ]);
        if (!r.found) {
          add('warning', 'media-check-skipped', null, `${ffprobe} is not installed`);
          break;
        }
        let duration: number | null = null;
        try {
          const d = (JSON.parse(r.stdout) as { format?: { duration?: string } }).format?.duration;
          duration = d !== undefined && Number.isFinite(Number(d)) ? Number(d) : null;
        } catch {
          // no JSON: reported below
        }
        report.media.push({ file: rel, durationSeconds: duration });
        if (r.code !== 0 || duration === null) {
          add('error', 'media-undecodable', rel, firstLines(r.stderr) || `ffprobe exit ${r.code}`);
          continue;
        }
        if (r.stderr.trim()) add('warning', 'media-decode-warnings', rel, firstLines(r.stderr));
        if (opts.deepMediaCheck) {
          const ffmpeg = opts.deepMediaCheck.ffmpeg ?? 'ffmpeg';
          const deep = await runTool(
            ffmpeg,
            ['-v', 'error', ...LOCAL_MP4_ONLY, '-i', f.abs, '-f', 'null', '-'],
            3_600_000,
          );
          if (deep.found && (deep.code !== 0 || deep.stderr.trim())) {
            add(
              deep.code !== 0 ? 'error' : 'warning',
              deep.code !== 0 ? 'media-undecodable' : 'media-decode-warnings',
              rel,
              firstLines(deep.stderr),
            );
          }
        }
      }
    }
  }

  // 10. PDFs
  const pdfFiles = onDisk.filter((f) => extname(f.rel).toLowerCase() === '.pdf');
  const pdfsig = opts.pdfsig === undefined ? 'pdfsig' : opts.pdfsig;
  if (pdfFiles.length > 0) {
    if (pdfsig === null) add('warning', 'pdf-check-skipped', null, 'disabled');
    else {
      for (const f of pdfFiles) {
        const rel = `data/${f.rel}`;
        const r = await runTool(pdfsig, [f.abs]);
        if (!r.found) {
          add('warning', 'pdf-check-skipped', null, `${pdfsig} is not installed`);
          break;
        }
        const out = r.stdout;
        if (/does not contain any signatures/.test(out)) {
          report.pdfs.push({ file: rel, signatures: 0, valid: false });
          add('warning', 'pdf-unsigned', rel);
          continue;
        }
        // One block per signature; earlier signatures of a multiply-signed PDF cover a
        // prefix (later signatures are incremental updates), but the last one must cover
        // the whole file, or something was appended after the final signature.
        const blocks = out.split(/^Signature #\d+:/m).slice(1);
        const results = blocks.map(
          (b) => /Signature Validation:\s*(.+)/.exec(b)?.[1]?.trim() ?? 'no validation result',
        );
        const valid = results.length > 0 && results.every((v) => /^Signature is Valid/i.test(v));
        const whole =
          blocks.length > 0 &&
          /Total document signed/.test(blocks.at(-1)!) &&
          !/Not total document signed/i.test(blocks.at(-1)!);
        report.pdfs.push({ file: rel, signatures: results.length, valid: valid && whole });
        if (!valid) {
          add(
            'error',
            'pdf-signature-invalid',
            rel,
            results.join('; ') || firstLines(r.stderr) || `pdfsig exit ${r.code}`,
          );
        } else if (!whole) {
          add(
            'error',
            'pdf-signature-invalid',
            rel,
            'the last signature does not cover the whole document (content was appended after signing)',
          );
        }
      }
    }
  }

  return finish();
}

type Messages = Record<ProblemCode, string>;

const MESSAGES: Record<'zh-CN' | 'en', Messages> = {
  'zh-CN': {
    'bag-not-found': '找不到封存包目录',
    'bagit-missing': '缺少 bagit.txt，不是 BagIt 包',
    'bagit-invalid': 'bagit.txt 内容不符合 BagIt 1.0',
    'manifest-missing': '缺少载荷清单',
    'manifest-syntax': '清单格式错误',
    'file-missing': '清单所列文件缺失',
    'hash-mismatch': '文件内容已被改动（哈希值不符）',
    'manifests-disagree': '两份清单所列文件不一致',
    'unlisted-file': '多出未列入清单的文件',
    'not-regular-file': '包内有非普通文件（如符号链接）',
    'oxum-missing': 'bag-info.txt 缺少 Payload-Oxum',
    'oxum-mismatch': '载荷字节数或文件数与 Payload-Oxum 不符',
    'bag-info-missing': '缺少 bag-info.txt',
    'bag-info-syntax': 'bag-info.txt 格式错误',
    'bag-info-field-missing': 'bag-info.txt 缺少规定的著录项',
    'tag-manifest-missing': '缺少标签清单 tagmanifest-sha512.txt',
    'tag-manifest-incomplete': '标签清单未列全必备文件',
    'tag-file-missing': '标签清单所列文件缺失',
    'tag-hash-mismatch': '标签文件已被改动（哈希值不符）',
    'unlisted-tag-file': '多出未列入标签清单的文件',
    'signature-missing': '缺少封存签名',
    'signature-invalid': '封存签名无效',
    'signer-untrusted': '签名证书不属于受信任的证书',
    'signer-not-checked': '签名有效；签名证书未与信任锚比对，请核对证书指纹',
    'timestamp-invalid': '时间戳无效',
    'timestamp-absent': '无可信时间戳（未配置时间戳服务）',
    'event-log-missing': '缺少事件日志',
    'event-log-broken': '事件日志哈希链断裂（条目被删除、改动或重排）',
    'event-log-head-mismatch': '事件日志末端与封存时记录不符',
    'media-undecodable': '音视频文件无法解码',
    'media-decode-warnings': '音视频文件解码时有告警',
    'media-check-skipped': '未检查音视频解码（无 ffprobe）',
    'pdf-signature-invalid': 'PDF 签名无效',
    'pdf-unsigned': 'PDF 未签名',
    'pdf-check-skipped': '未检查 PDF 签名（无 pdfsig）',
  },
  en: {
    'bag-not-found': 'the bag directory does not exist',
    'bagit-missing': 'bagit.txt is missing: not a BagIt bag',
    'bagit-invalid': 'bagit.txt does not declare BagIt 1.0, UTF-8',
    'manifest-missing': 'a payload manifest is missing',
    'manifest-syntax': 'a manifest line is malformed',
    'file-missing': 'a file listed in the manifest is missing',
    'hash-mismatch': 'the file was changed (checksum mismatch)',
    'manifests-disagree': 'the two manifests list different files',
    'unlisted-file': 'an extra file is not listed in any manifest',
    'not-regular-file': 'the bag holds something that is not a plain file (e.g. a symlink)',
    'oxum-missing': 'bag-info.txt has no Payload-Oxum',
    'oxum-mismatch': 'payload size or file count differs from Payload-Oxum',
    'bag-info-missing': 'bag-info.txt is missing',
    'bag-info-syntax': 'bag-info.txt is malformed',
    'bag-info-field-missing': 'bag-info.txt lacks a field the rules require',
    'tag-manifest-missing': 'the tag manifest tagmanifest-sha512.txt is missing',
    'tag-manifest-incomplete': 'the tag manifest does not list a required file',
    'tag-file-missing': 'a file listed in the tag manifest is missing',
    'tag-hash-mismatch': 'a tag file was changed (checksum mismatch)',
    'unlisted-tag-file': 'an extra file is not listed in the tag manifest',
    'signature-missing': 'the seal signature is missing',
    'signature-invalid': 'the seal signature is not valid',
    'signer-untrusted': 'the signing certificate is not trusted',
    'signer-not-checked':
      'signature valid; the signer was not checked against a trust anchor, compare its fingerprint',
    'timestamp-invalid': 'the time-stamp is not valid',
    'timestamp-absent': 'no trusted time-stamp (no TSA configured)',
    'event-log-missing': 'the event log is missing',
    'event-log-broken':
      'the event log hash chain is broken (an entry was removed, changed or reordered)',
    'event-log-head-mismatch': 'the event log does not end where it did when sealed',
    'media-undecodable': 'a media file does not decode',
    'media-decode-warnings': 'a media file decodes with warnings',
    'media-check-skipped': 'media not checked (no ffprobe)',
    'pdf-signature-invalid': 'a PDF signature is not valid',
    'pdf-unsigned': 'a PDF is not signed',
    'pdf-check-skipped': 'PDF signatures not checked (no pdfsig)',
  },
};

const CHECK_LABELS: Record<'zh-CN' | 'en', Record<CheckId, string>> = {
  'zh-CN': {
    bagit: 'BagIt 声明',
    payload: '载荷清单与哈希',
    'payload-oxum': '载荷总量 (Payload-Oxum)',
    'bag-info': '著录信息 (bag-info)',
    'tag-manifest': '标签清单',
    signature: '封存签名',
    timestamp: '可信时间戳',
    'event-log': '事件日志哈希链',
    media: '音视频解码',
    pdf: 'PDF 签名',
  },
  en: {
    bagit: 'BagIt declaration',
    payload: 'payload manifests and checksums',
    'payload-oxum': 'payload size (Payload-Oxum)',
    'bag-info': 'bag-info fields',
    'tag-manifest': 'tag manifest',
    signature: 'seal signature',
    timestamp: 'trusted time-stamp',
    'event-log': 'event log hash chain',
    media: 'media decoding',
    pdf: 'PDF signatures',
  },
};

const STATUS_LABELS: Record<'zh-CN' | 'en', Record<CheckStatus, string>> = {
  'zh-CN': { pass: '通过', fail: '失败', warn: '告警', skipped: '未查' },
  en: { pass: 'pass', fail: 'FAIL', warn: 'warn', skipped: 'skipped' },
};

/** Renders a report for people. Unknown locales fall back to English; `zh*` gets Chinese. */
export function formatReport(report: VerifyReport, locale = 'zh-CN'): string {
  const L = locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  const zh = L === 'zh-CN';
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.filter((p) => p.severity === 'warning').length;
  const lines: string[] = [];
  lines.push(zh ? 'Attest 封存包核验报告' : 'Attest sealed bundle verification');
  lines.push(`${zh ? '路径' : 'Path'}: ${report.path}`);
  lines.push(
    zh
      ? `结论: ${report.ok ? '通过' : '未通过'}（错误 ${errors}，告警 ${warnings}）`
      : `Result: ${report.ok ? 'PASSED' : 'FAILED'} (${errors} errors, ${warnings} warnings)`,
  );
  const caseNo = report.bagInfo[LABELS.caseNumber]?.[0];
  if (caseNo) lines.push(`${zh ? '案件编号' : 'Case'}: ${caseNo}`);
  const start = report.bagInfo[LABELS.recordingStart]?.[0];
  const end = report.bagInfo[LABELS.recordingEnd]?.[0];
  if (start && end) lines.push(`${zh ? '记录时间' : 'Recorded'}: ${start} – ${end}`);
  lines.push(
    zh
      ? `载荷: ${report.payload.files} 个文件，${report.payload.bytes} 字节`
      : `Payload: ${report.payload.files} files, ${report.payload.bytes} bytes`,
  );
  if (report.signature) {
    const s = report.signature;
    lines.push(
      `${zh ? '签名' : 'Signature'}: ${s.valid ? (zh ? '有效' : 'valid') : zh ? '无效' : 'INVALID'}` +
        (s.signer ? `; ${s.signer.subject}; SHA-256 ${s.signer.fingerprintSha256}` : '') +
        (s.signingTime ? `; ${zh ? '签名时间' : 'signed'} ${s.signingTime}` : ''),
    );
  }
  if (report.timestamp) {
    lines.push(
      `${zh ? '时间戳' : 'Time-stamp'}: ${report.timestamp.valid ? (zh ? '有效' : 'valid') : zh ? '无效' : 'INVALID'}` +
        (report.timestamp.genTime ? ` ${report.timestamp.genTime}` : '') +
        (report.timestamp.tsa ? `; ${report.timestamp.tsa.subject}` : ''),
    );
  }
  if (report.eventLog) {
    lines.push(
      zh
        ? `事件日志: ${report.eventLog.file}，${report.eventLog.entries} 条，${report.eventLog.checkpoints} 个检查点`
        : `Event log: ${report.eventLog.file}, ${report.eventLog.entries} entries, ${report.eventLog.checkpoints} checkpoints`,
    );
  }
  lines.push('');
  lines.push(zh ? '检查项:' : 'Checks:');
  for (const c of CHECK_ORDER) {
    lines.push(`  [${STATUS_LABELS[L][report.checks[c]]}] ${CHECK_LABELS[L][c]}`);
  }
  if (report.problems.length > 0) {
    lines.push('');
    lines.push(zh ? '问题:' : 'Problems:');
    const mark: Record<Severity, string> = { error: '✗', warning: '!', notice: 'i' };
    for (const p of report.problems) {
      const where = p.file ? `${p.file}: ` : '';
      lines.push(
        `  ${mark[p.severity]} ${where}${MESSAGES[L][p.code]}${p.detail ? ` — ${p.detail}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
