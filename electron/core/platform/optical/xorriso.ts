/**
 * xorriso at its command-line boundary: building an image, reading an image's (or a disc's)
 * file extents back, and the Linux drive operations. Always an argument array, never a
 * shell string; names are passed and read as UTF-8 (`-local_charset UTF-8 -charset UTF-8`)
 * whatever the machine's locale, so Chinese names arrive on the disc intact.
 *
 * The image format (FINDINGS "Discs", ARCHITECTURE §6):
 * - ISO 9660 level 3 with Rock Ridge (Linux, macOS and most readers see the real names and
 *   the bag's read-only permissions) and Joliet with long names (Windows reads this tree);
 * - files of 4 GiB and more are stored as several file sections ("multi-extent", ECMA-119
 *   §6.5.1, allowed at level 3). libisofs writes them in both the ISO 9660 and the Joliet
 *   tree. Linux reads them since 2.6.35; Windows XP and later read multi-extent files through
 *   Joliet (not exercised here: no Windows machine);
 * - no UDF: xorriso cannot write it and Debian has no tool that writes a UDF bridge image
 *   without mounting one (mkudffs formats a file system that must then be mounted to fill);
 * - written from LBA 0 (`no_emul_toc`) with xorriso's 300 KiB padding, so the file is a plain
 *   single-session image that any burner (IMAPI2 included) writes as it is.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { findProgram } from '../programs';

/** What a disc check reads: an ISO image file, or a mounted disc or a folder. */
export type DiscSource = { kind: 'iso'; path: string } | { kind: 'directory'; path: string };

export const DEFAULT_XORRISO = process.env.ATTEST_XORRISO ?? 'xorriso';

export class XorrisoError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Text arguments every run gets: UTF-8 names, stop at the first real failure. */
const COMMON = ['-abort_on', 'FAILURE', '-local_charset', 'UTF-8', '-charset', 'UTF-8'];

/**
 * Runs xorriso (or a stand-in with the same interface) and streams each output line to
 * `onLine` as it comes (progress arrives on stderr as `xorriso : UPDATE : ...`).
 */
export function runXorriso(
  args: readonly string[],
  opts: {
    bin?: string;
    onLine?: (line: string) => void;
    signal?: AbortSignal;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<RunResult> {
  const bin = opts.bin ?? DEFAULT_XORRISO;
  const path = findProgram(bin);
  if (!path)
    return Promise.reject(
      new Error(`xorriso is not installed (${bin}): install the xorriso package`),
    );
  return new Promise((resolve, reject) => {
    const child = spawn(path, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      windowsHide: true,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    const liner = (sink: (s: string) => void) => {
      let rest = '';
      return (chunk: Buffer) => {
        const text = rest + chunk.toString('utf8');
        const lines = text.split(/\r?\n|\r/);
        rest = lines.pop() ?? '';
        for (const l of lines) {
          sink(l);
          opts.onLine?.(l);
        }
      };
    };
    child.stdout.on(
      'data',
      liner((l) => (stdout += `${l}\n`)),
    );
    child.stderr.on(
      'data',
      liner((l) => (stderr += `${l}\n`)),
    );
    child.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      reject(
        code === 'ENOENT'
          ? new XorrisoError(
              'xorriso is not installed (Debian: apt-get install xorriso)',
              null,
              String(e),
            )
          : e,
      );
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function lastProblem(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /: (FAILURE|SORRY|FATAL|ABORT|MISHAP) :/.test(l));
  return (lines.at(-1) ?? stderr.trim().split('\n').at(-1) ?? '').replace(/^xorriso : /, '');
}

/** One file tree to put on the image: `src` on disk → `dst` (absolute path in the image). */
export interface ImageEntry {
  src: string;
  dst: string;
}

export interface ImageOptions {
  /** The image file to create; it must not exist. */
  out: string;
  /** ISO volume id: up to 16 of [A-Z0-9_] so the Joliet volume name is the same. */
  volumeId: string;
  entries: readonly ImageEntry[];
  /** Refuse before writing when the image would need more 2048-byte blocks than this. */
  maxSectors?: number;
  bin?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface ImageResult {
  path: string;
  /** Blocks of the ISO file system, padding excluded (xorriso's "ISO image produced"). */
  isoSectors: number;
  /** Size of the image file. */
  bytes: number;
}

/** A volume id ECMA-119 and Joliet both keep whole: A–Z, 0–9, '_' and at most 16. */
export function safeVolumeId(text: string): string {
  const v = text
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 16);
  return v || 'ATTEST';
}

function imageArgs(o: ImageOptions, target: string, tail: string[]): string[] {
  const args = [
    ...COMMON,
    '-report_about',
    'UPDATE',
    '-outdev',
    `stdio:${target}`,
    '-volid',
    o.volumeId,
    '-application_id',
    'ATTEST EVIDENCE DISC',
    '-joliet',
    'on',
    '-rockridge',
    'on',
    '-compliance',
    'iso_9660_level=3:joliet_long_names:joliet_long_paths:no_emul_toc',
  ];
  for (const e of o.entries) args.push('-map', e.src, e.dst);
  // Neither the workstation's user id nor write permission goes onto the disc.
  args.push(
    '-chown_r',
    '0',
    '/',
    '--',
    '-chgrp_r',
    '0',
    '/',
    '--',
    '-chmod_r',
    'a+r,a-w',
    '/',
    '--',
  );
  return [...args, ...tail];
}

/** Blocks the image would take (file system only; xorriso adds 150 blocks of padding). */
export async function printSize(o: ImageOptions): Promise<number> {
  // -print_size needs an output drive; /dev/null as a stdio drive is never written.
  const r = await runXorriso(imageArgs(o, '/dev/null', ['-print_size']), {
    ...(o.bin ? { bin: o.bin } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const m = /Image size\s*:\s*(\d+)s/.exec(r.stdout + r.stderr);
  if (r.code !== 0 || !m) {
    throw new XorrisoError(
      `xorriso could not lay out the image: ${lastProblem(r.stderr)}`,
      r.code,
      r.stderr,
    );
  }
  return Number(m[1]);
}

/** Progress lines of image writing (`Writing:  1234s  27.4%`) and of burning (`12 of 300 MB written`). */
export function parseProgress(line: string): number | null {
  const w = /UPDATE : Writing:\s+\d+s\s+([\d.]+)%/.exec(line);
  if (w) return Math.min(1, Number(w[1]) / 100);
  const b = /UPDATE :\s+(\d+) of\s+(\d+) MB written/.exec(line);
  if (b && Number(b[2]) > 0) return Math.min(1, Number(b[1]) / Number(b[2]));
  return null;
}

/**
 * Builds the image at `o.out`: written under a temporary name beside it and renamed when
 * xorriso reports success, so a crash never leaves a half image under the final name.
 */
export async function buildImage(o: ImageOptions): Promise<ImageResult> {
  if (o.maxSectors !== undefined) {
    const need = (await printSize(o)) + 150;
    if (need > o.maxSectors) {
      throw new XorrisoError(
        `the image needs ${need} blocks, the medium holds ${o.maxSectors}`,
        null,
        '',
      );
    }
  }
  const tmp = `${o.out}.part-${process.pid}-${Date.now()}`;
  try {
    const r = await runXorriso(imageArgs(o, tmp, ['-commit']), {
      ...(o.bin ? { bin: o.bin } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      onLine: (l) => {
        const f = parseProgress(l);
        if (f !== null) o.onProgress?.(f);
      },
    });
    if (r.code !== 0 || !/completed successfully/.test(r.stdout + r.stderr)) {
      throw new XorrisoError(
        `xorriso failed to write the image: ${lastProblem(r.stderr)}`,
        r.code,
        r.stderr,
      );
    }
    const m = /ISO image produced:\s*(\d+) sectors/.exec(r.stdout + r.stderr);
    const fh = await fsp.open(tmp, 'r');
    await fh.sync();
    await fh.close();
    await fsp.link(tmp, o.out); // fails if the final name exists: an image is never replaced
    await fsp.unlink(tmp);
    const st = await fsp.stat(o.out);
    o.onProgress?.(1);
    return {
      path: o.out,
      isoSectors: m ? Number(m[1]) : Math.ceil(st.size / 2048),
      bytes: st.size,
    };
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/** One file section on the medium. */
export interface Extent {
  lba: number;
  blocks: number;
}

export interface IsoFile {
  /** Path in the image without the leading '/'. */
  path: string;
  size: number;
  /** In order of their extent number. */
  extents: Extent[];
}

/**
 * Undoes xorriso's quoting of a name in result lines: `'text'` runs, with a single quote
 * written as `'"'"'` (closing quote, the quote in double quotes, opening quote).
 */
export function unquoteXorriso(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const q = s[i];
    if (q === "'" || q === '"') {
      const end = s.indexOf(q, i + 1);
      if (end < 0) return out + s.slice(i + 1);
      out += s.slice(i + 1, end);
      i = end + 1;
    } else {
      out += q;
      i++;
    }
  }
  return out;
}

/** Parses `-find / -exec report_lba` output into files with their extents. */
export function parseReportLba(stdout: string): IsoFile[] {
  const files = new Map<string, IsoFile & { xt: Map<number, Extent> }>();
  for (const line of stdout.split('\n')) {
    const m = /^File data lba:\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(.+)$/.exec(line);
    if (!m) continue;
    const path = unquoteXorriso(m[5]!.trim()).replace(/^\/+/, '');
    let f = files.get(path);
    if (!f) {
      f = { path, size: Number(m[4]), extents: [], xt: new Map() };
      files.set(path, f);
    }
    f.xt.set(Number(m[1]), { lba: Number(m[2]), blocks: Number(m[3]) });
  }
  return [...files.values()]
    .map((f) => ({
      path: f.path,
      size: f.size,
      extents: [...f.xt.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** xorriso's name for a source: a device path as it is, an image file as `stdio:` drive. */
export async function xorrisoDrive(source: string): Promise<string> {
  if (source.startsWith('stdio:') || source.startsWith('mmc:')) return source;
  const st = await fsp.stat(source).catch(() => null);
  if (st && (st.isBlockDevice() || st.isCharacterDevice())) return source;
  return `stdio:${source}`;
}

/**
 * The files of the image or disc at `source` as one tree presents them: `rockridge` (the
 * names Linux shows) or `joliet` (the names Windows shows).
 */
export async function listFiles(
  source: string,
  tree: 'rockridge' | 'joliet',
  bin?: string,
): Promise<IsoFile[]> {
  const drive = await xorrisoDrive(source);
  const treeArgs = tree === 'joliet' ? ['-read_fs', 'norock', '-joliet', 'on'] : [];
  const r = await runXorriso(
    [
      ...COMMON,
      ...treeArgs,
      '-indev',
      drive,
      '-find',
      '/',
      '-type',
      'f',
      '-exec',
      'report_lba',
      '--',
    ],
    bin ? { bin } : {},
  );
  if (r.code !== 0) {
    throw new XorrisoError(
      `xorriso cannot read ${source}: ${lastProblem(r.stderr)}`,
      r.code,
      r.stderr,
    );
  }
  // Empty files are listed too (a 0-block extent), so this is every file of the tree.
  return parseReportLba(r.stdout);
}

/**
 * Reads a file's bytes from the medium through its extents (the blocks the directory
 * records point at, as any reader would), `chunk` bytes at a time.
 */
export async function* readExtents(
  fh: FileHandle,
  file: IsoFile,
  chunk = 1024 * 1024,
): AsyncGenerator<Buffer> {
  let remaining = file.size;
  for (const e of file.extents) {
    let pos = e.lba * 2048;
    let inExtent = Math.min(remaining, e.blocks * 2048);
    while (inExtent > 0) {
      const want = Math.min(chunk, inExtent);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, pos);
      if (bytesRead === 0) throw new Error(`the medium ends before ${file.path} does`);
      yield bytesRead === want ? buf : buf.subarray(0, bytesRead);
      pos += bytesRead;
      inExtent -= bytesRead;
      remaining -= bytesRead;
    }
  }
  if (remaining > 0)
    throw new Error(
      `${file.path}: its extents hold ${file.size - remaining} of ${file.size} bytes`,
    );
}
