/**
 * Reading a disc (or its image) back and checking it: every file is read from the medium
 * and hashed once (SHA-256 and SHA-512), then compared with
 * 1. each bag's own manifests (payload, both algorithms) and tag manifest (tag files);
 * 2. the disc index (ATTEST-DISC.json): every file it lists, size and SHA-256 — which also
 *    covers the seal's .p7s and the disc's README and verifier page;
 * 3. when the app knows what it burned, the SHA-256 of the index itself (so a disc of
 *    another set, or one whose index was rewritten to match altered files, fails).
 * The signature over each bag's tag manifest is verified too (it proves the manifests are
 * the sealed ones). From an image or a device, files are read through xorriso's view of
 * the directory records (the ISO 9660/Rock Ridge tree), in block order so an optical
 * drive reads forward; the Joliet tree (what Windows shows) must list the same files at
 * the same blocks. A mounted disc (a drive letter on Windows) is read as a directory.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../platform/bagit/bagformat';
import { verifyDetachedCms } from '../../platform/pki/cms-verify';
import { DualHasher, fromPosix, walkFiles } from '../../platform/fs';
import { BUNDLES_DIR, DISC_INDEX, DISC_INDEX_FORMAT, type DiscIndex } from './layout';
import { listFiles, readExtents, type IsoFile } from '../../platform/optical/xorriso';

export type { DiscSource } from '../../platform/optical/xorriso';
import type { DiscSource } from '../../platform/optical/xorriso';

export type DiscProblemCode =
  | 'unreadable'
  | 'read-error'
  | 'index-missing'
  | 'index-invalid'
  | 'index-mismatch'
  | 'file-missing'
  | 'size-mismatch'
  | 'hash-mismatch'
  | 'tag-hash-mismatch'
  | 'unlisted-file'
  | 'manifest-missing'
  | 'signature-invalid'
  | 'tag-manifest-differs'
  | 'joliet-differs';

export interface DiscProblem {
  code: DiscProblemCode;
  /** Path on the disc, '/'-separated, or null for the disc as a whole. */
  file: string | null;
  detail: string;
}

export interface BundleCheck {
  name: string;
  part: { number: number; of: number } | null;
  ok: boolean;
  filesChecked: number;
  /** Files of a split bag that are on other discs (not an error). */
  elsewhere: number;
  tagManifestSha512: string | null;
  signature: {
    valid: boolean;
    subject: string | null;
    fingerprintSha256: string | null;
    error: string | null;
  } | null;
}

export interface DiscVerifyReport {
  ok: boolean;
  source: string;
  index: DiscIndex | null;
  indexSha256: string | null;
  bundles: BundleCheck[];
  problems: DiscProblem[];
  filesChecked: number;
  bytesRead: number;
}

export interface DiscVerifyOptions {
  /** SHA-256 of the ATTEST-DISC.json the app put on this disc. */
  expectedIndexSha256?: string;
  bin?: string;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

interface ReadFile {
  path: string;
  size: number;
  read(): AsyncIterable<Buffer>;
}

interface Hashed {
  size: number;
  sha256: string;
  sha512: string;
  /** Content of small non-payload files (manifests, index, signature), kept for parsing. */
  bytes: Buffer | null;
}

const KEEP_MAX = 4 * 1024 * 1024;

async function isoFiles(
  path: string,
  bin: string | undefined,
  problems: DiscProblem[],
): Promise<ReadFile[] | null> {
  let rr: IsoFile[];
  try {
    rr = await listFiles(path, 'rockridge', bin);
  } catch (e) {
    problems.push({ code: 'unreadable', file: null, detail: (e as Error).message });
    return null;
  }
  try {
    const jo = await listFiles(path, 'joliet', bin);
    const key = (f: IsoFile) =>
      `${f.path}\u0000${f.size}\u0000${f.extents.map((e) => `${e.lba}+${e.blocks}`).join(',')}`;
    const a = new Set(rr.map(key));
    const b = new Set(jo.map(key));
    for (const f of rr)
      if (!b.has(key(f)))
        problems.push({
          code: 'joliet-differs',
          file: f.path,
          detail: 'Windows (Joliet) would not show this file as Linux (Rock Ridge) does',
        });
    for (const f of jo)
      if (!a.has(key(f)))
        problems.push({
          code: 'joliet-differs',
          file: f.path,
          detail: 'only in the Joliet tree, or at other blocks',
        });
  } catch (e) {
    problems.push({
      code: 'joliet-differs',
      file: null,
      detail: `no readable Joliet tree: ${(e as Error).message}`,
    });
  }
  const fh = await fsp.open(path, 'r');
  const files = rr
    .slice()
    .sort((x, y) => (x.extents[0]?.lba ?? 0) - (y.extents[0]?.lba ?? 0))
    .map((f): ReadFile => ({
      path: f.path,
      size: f.size,
      read: () => readExtents(fh, f),
    }));
  closers.set(files, () => fh.close());
  return files;
}

const closers = new WeakMap<object, () => Promise<void>>();

async function dirFiles(root: string, problems: DiscProblem[]): Promise<ReadFile[] | null> {
  const st = await fsp.stat(root).catch(() => null);
  if (!st?.isDirectory()) {
    problems.push({
      code: 'unreadable',
      file: null,
      detail: `${root} is not a readable directory`,
    });
    return null;
  }
  const walked = await walkFiles(root, (rel, kind) =>
    problems.push({ code: 'unlisted-file', file: rel, detail: kind }),
  );
  return walked.map((f) => ({
    path: f.rel,
    size: f.size,
    async *read() {
      const fh = await fsp.open(join(root, fromPosix(f.rel)), 'r');
      try {
        const buf = Buffer.allocUnsafe(1024 * 1024);
        for (;;) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          yield Buffer.from(buf.subarray(0, bytesRead));
        }
      } finally {
        await fh.close();
      }
    },
  }));
}

/** Reads and checks the disc or image at `source`. Never throws for a bad disc. */
export async function verifyDisc(
  source: DiscSource,
  opts: DiscVerifyOptions = {},
): Promise<DiscVerifyReport> {
  const problems: DiscProblem[] = [];
  const report: DiscVerifyReport = {
    ok: false,
    source: source.path,
    index: null,
    indexSha256: null,
    bundles: [],
    problems,
    filesChecked: 0,
    bytesRead: 0,
  };
  const files =
    source.kind === 'iso'
      ? await isoFiles(source.path, opts.bin, problems)
      : await dirFiles(source.path, problems);
  if (!files) return report;

  // 1. Read every file once.
  const hashed = new Map<string, Hashed>();
  const total = files.reduce((a, f) => a + f.size, 0);
  try {
    for (const f of files) {
      const h = new DualHasher();
      const keep = f.size <= KEEP_MAX && !f.path.includes('/data/');
      const parts: Buffer[] = [];
      try {
        for await (const chunk of f.read()) {
          h.update(chunk);
          if (keep) parts.push(chunk);
          report.bytesRead += chunk.length;
          opts.onProgress?.(report.bytesRead, total);
        }
      } catch (e) {
        problems.push({ code: 'read-error', file: f.path, detail: (e as Error).message });
        continue;
      }
      const d = h.digests();
      if (d.bytes !== f.size)
        problems.push({
          code: 'size-mismatch',
          file: f.path,
          detail: `directory says ${f.size} bytes, read ${d.bytes}`,
        });
      hashed.set(f.path, {
        size: d.bytes,
        sha256: d.sha256,
        sha512: d.sha512,
        bytes: keep ? Buffer.concat(parts) : null,
      });
      report.filesChecked++;
    }
  } finally {
    await closers.get(files)?.();
  }

  // 2. The disc index.
  const idx = hashed.get(DISC_INDEX);
  let index: DiscIndex | null = null;
  if (!idx?.bytes)
    problems.push({
      code: 'index-missing',
      file: DISC_INDEX,
      detail: 'not an Attest evidence disc, or the index is unreadable',
    });
  else {
    report.indexSha256 = idx.sha256;
    try {
      const parsed = JSON.parse(idx.bytes.toString('utf8')) as DiscIndex;
      if (
        parsed.format !== DISC_INDEX_FORMAT ||
        !Array.isArray(parsed.files) ||
        !Array.isArray(parsed.bundles)
      )
        throw new Error(`format ${String(parsed.format)}`);
      index = parsed;
    } catch (e) {
      problems.push({ code: 'index-invalid', file: DISC_INDEX, detail: (e as Error).message });
    }
    if (opts.expectedIndexSha256 && opts.expectedIndexSha256 !== idx.sha256)
      problems.push({
        code: 'index-mismatch',
        file: DISC_INDEX,
        detail: `expected SHA-256 ${opts.expectedIndexSha256}, found ${idx.sha256}: another disc, or a rewritten index`,
      });
  }
  report.index = index;
  if (index) {
    const listed = new Set<string>();
    for (const f of index.files) {
      listed.add(f.path);
      const h = hashed.get(f.path);
      if (!h) {
        if (!problems.some((p) => p.file === f.path))
          problems.push({
            code: 'file-missing',
            file: f.path,
            detail: 'listed in the disc index, not on the disc',
          });
        continue;
      }
      if (h.size !== f.bytes)
        problems.push({
          code: 'size-mismatch',
          file: f.path,
          detail: `index ${f.bytes} bytes, disc ${h.size}`,
        });
      else if (h.sha256 !== f.sha256)
        problems.push({
          code: 'hash-mismatch',
          file: f.path,
          detail: `SHA256: index ${f.sha256}, disc ${h.sha256}`,
        });
    }
    for (const p of hashed.keys())
      if (p !== DISC_INDEX && !listed.has(p))
        problems.push({
          code: 'unlisted-file',
          file: p,
          detail: 'on the disc but not in its index',
        });
  }

  // 3. Every bag: its manifests, tag manifest and signature.
  const roots = [...hashed.keys()]
    .filter((p) => p === 'bagit.txt' || p.endsWith('/bagit.txt'))
    .map((p) => p.slice(0, p.length - 'bagit.txt'.length))
    .sort();
  for (const root of roots) {
    const name = root.replace(/\/$/, '').split('/').pop() ?? root;
    const info = index?.bundles.find((b) => `${b.path}/` === root || b.name === name) ?? null;
    const elsewhere = new Map((info?.elsewhere ?? []).map((e) => [e.path, e.disc]));
    const check: BundleCheck = {
      name,
      part: info?.part ?? null,
      ok: true,
      filesChecked: 0,
      elsewhere: 0,
      tagManifestSha512: null,
      signature: null,
    };
    const before = problems.length;
    const text = (rel: string) => hashed.get(root + rel)?.bytes?.toString('utf8') ?? null;
    const manifests = new Map<'sha512' | 'sha256', Map<string, string>>();
    for (const alg of ['sha512', 'sha256'] as const) {
      const t = text(`manifest-${alg}.txt`);
      if (t === null) {
        problems.push({ code: 'manifest-missing', file: `${root}manifest-${alg}.txt`, detail: '' });
        continue;
      }
      manifests.set(alg, new Map(parseManifest(t, alg).entries.map((e) => [e.path, e.digest])));
    }
    const listed = new Set<string>();
    for (const [alg, m] of manifests)
      for (const [rel, digest] of m) {
        listed.add(rel);
        const h = hashed.get(root + rel);
        if (!h) {
          if (elsewhere.has(rel)) continue;
          if (!problems.some((p) => p.file === root + rel))
            problems.push({
              code: 'file-missing',
              file: root + rel,
              detail: 'listed in the bag manifest, not on the disc',
            });
          continue;
        }
        if (h[alg] !== digest)
          problems.push({
            code: 'hash-mismatch',
            file: root + rel,
            detail: `${alg.toUpperCase()}: manifest ${digest}, disc ${h[alg]}`,
          });
      }
    check.elsewhere = [...listed].filter((p) => !hashed.has(root + p) && elsewhere.has(p)).length;
    check.filesChecked = [...listed].filter((p) => hashed.has(root + p)).length;
    for (const p of hashed.keys())
      if (p.startsWith(`${root}data/`) && !listed.has(p.slice(root.length)))
        problems.push({
          code: 'unlisted-file',
          file: p,
          detail: 'in data/ but in no manifest of the bag',
        });
    const tagText = text('tagmanifest-sha512.txt');
    const tag = hashed.get(`${root}tagmanifest-sha512.txt`);
    if (tagText === null || !tag)
      problems.push({
        code: 'manifest-missing',
        file: `${root}tagmanifest-sha512.txt`,
        detail: '',
      });
    else {
      check.tagManifestSha512 = tag.sha512;
      if (info && info.tagManifestSha512 !== tag.sha512)
        problems.push({
          code: 'tag-manifest-differs',
          file: `${root}tagmanifest-sha512.txt`,
          detail: `disc index ${info.tagManifestSha512}, disc ${tag.sha512}`,
        });
      for (const e of parseManifest(tagText, 'sha512').entries) {
        const h = hashed.get(root + e.path);
        if (!h)
          problems.push({
            code: 'file-missing',
            file: root + e.path,
            detail: 'listed in the tag manifest, not on the disc',
          });
        else if (h.sha512 !== e.digest)
          problems.push({
            code: 'tag-hash-mismatch',
            file: root + e.path,
            detail: `SHA512: tag manifest ${e.digest}, disc ${h.sha512}`,
          });
      }
      const p7s = hashed.get(`${root}seal/tagmanifest-sha512.txt.p7s`)?.bytes;
      if (!p7s)
        problems.push({
          code: 'signature-invalid',
          file: `${root}seal/tagmanifest-sha512.txt.p7s`,
          detail: 'missing',
        });
      else {
        const v = await verifyDetachedCms(
          p7s,
          Buffer.from(tag.bytes ?? Buffer.from(tagText, 'utf8')),
        );
        check.signature = {
          valid: v.signatureValid,
          subject: v.signer?.subject ?? null,
          fingerprintSha256: v.signer?.fingerprintSha256 ?? null,
          error: v.error,
        };
        if (!v.signatureValid)
          problems.push({
            code: 'signature-invalid',
            file: `${root}seal/tagmanifest-sha512.txt.p7s`,
            detail: v.error ?? '',
          });
      }
    }
    check.ok = problems.length === before;
    report.bundles.push(check);
  }
  if (index)
    for (const b of index.bundles)
      if (!roots.includes(`${b.path}/`))
        problems.push({
          code: 'file-missing',
          file: `${b.path}/bagit.txt`,
          detail: 'a bundle of the disc index is not on the disc',
        });
  if (roots.length === 0 && !index)
    problems.push({
      code: 'file-missing',
      file: `${BUNDLES_DIR}/`,
      detail: 'no bundle (bagit.txt) on the disc',
    });

  report.ok = problems.length === 0;
  return report;
}

const MESSAGES: Record<'zh-CN' | 'en', Record<DiscProblemCode, string>> = {
  'zh-CN': {
    unreadable: '无法读取光盘或映像',
    'read-error': '读取出错',
    'index-missing': '缺少光盘索引',
    'index-invalid': '光盘索引格式错误',
    'index-mismatch': '光盘索引与刻录时不一致',
    'file-missing': '文件缺失',
    'size-mismatch': '文件大小不符',
    'hash-mismatch': '文件哈希与清单不符（文件已损坏或被改动）',
    'tag-hash-mismatch': '标签文件哈希与标签清单不符',
    'unlisted-file': '清单之外的文件',
    'manifest-missing': '缺少清单',
    'signature-invalid': '封存签名无效',
    'tag-manifest-differs': '标签清单与光盘索引记载不符',
    'joliet-differs': 'Windows（Joliet）目录与 Linux（Rock Ridge）目录不一致',
  },
  en: {
    unreadable: 'the disc or image cannot be read',
    'read-error': 'read error',
    'index-missing': 'no disc index',
    'index-invalid': 'the disc index is malformed',
    'index-mismatch': 'the disc index is not the one burned',
    'file-missing': 'file missing',
    'size-mismatch': 'size differs',
    'hash-mismatch': 'checksum differs from the manifest (the file is damaged or altered)',
    'tag-hash-mismatch': 'tag file differs from the tag manifest',
    'unlisted-file': 'file in no manifest',
    'manifest-missing': 'manifest missing',
    'signature-invalid': 'the seal signature is not valid',
    'tag-manifest-differs': 'the tag manifest is not the one the disc index records',
    'joliet-differs': 'the Windows (Joliet) tree differs from the Linux (Rock Ridge) tree',
  },
};

export function problemMessage(code: DiscProblemCode, locale = 'zh-CN'): string {
  return MESSAGES[locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'][code];
}

/** The report for people, in Chinese or English. */
export function formatDiscReport(r: DiscVerifyReport, locale = 'zh-CN'): string {
  const zh = locale.toLowerCase().startsWith('zh');
  const lines: string[] = [];
  lines.push(zh ? 'Attest 证据光盘核验报告' : 'Attest evidence disc verification');
  lines.push(`${zh ? '来源' : 'Source'}: ${r.source}`);
  if (r.index) {
    lines.push(
      zh
        ? `光盘: 第 ${r.index.disc.number}/${r.index.disc.of} 张，批次 ${r.index.setNo}，卷标 ${r.index.volumeId}${r.index.case ? `，案件 ${r.index.case.caseNo}` : ''}`
        : `Disc: ${r.index.disc.number} of ${r.index.disc.of}, set ${r.index.setNo}, volume ${r.index.volumeId}${r.index.case ? `, case ${r.index.case.caseNo}` : ''}`,
    );
  }
  lines.push(
    zh
      ? `结论: ${r.ok ? '通过' : '未通过'}（读取 ${r.filesChecked} 个文件，${r.bytesRead} 字节；问题 ${r.problems.length} 个）`
      : `Result: ${r.ok ? 'PASSED' : 'FAILED'} (${r.filesChecked} files, ${r.bytesRead} bytes read; ${r.problems.length} problems)`,
  );
  for (const b of r.bundles) {
    const sig = b.signature
      ? b.signature.valid
        ? zh
          ? '签名有效'
          : 'signature valid'
        : zh
          ? '签名无效'
          : 'signature INVALID'
      : zh
        ? '无签名'
        : 'no signature';
    lines.push(
      `  [${b.ok ? (zh ? '完好' : 'intact') : zh ? '损坏' : 'BROKEN'}] ${b.name}${b.part ? ` (${b.part.number}/${b.part.of})` : ''}: ${b.filesChecked} ${zh ? '个文件' : 'files'}${b.elsewhere ? (zh ? `，另有 ${b.elsewhere} 个在其他光盘` : `, ${b.elsewhere} on other discs`) : ''}; ${sig}`,
    );
    if (b.tagManifestSha512)
      lines.push(`      SHA-512(tagmanifest-sha512.txt) ${b.tagManifestSha512}`);
  }
  if (r.problems.length > 0) {
    lines.push(zh ? '问题:' : 'Problems:');
    for (const p of r.problems)
      lines.push(
        `  ✗ ${p.file ? `${p.file}: ` : ''}${problemMessage(p.code, locale)}${p.detail ? ` — ${p.detail}` : ''}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
