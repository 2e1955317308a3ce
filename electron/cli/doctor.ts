/**
 * `attest doctor`: checks that this machine can run Attest and says plainly what is missing
 * and how to get it. Every probe of the outside world goes through {@link Probes}, so tests
 * can simulate a machine without ffmpeg or without disk space; the real probes are the
 * default. External programs are run with `execFile` (no shell) and a timeout.
 */
import { execFile } from 'node:child_process';
import { constants, promises as fsp, statfsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProgram } from '../core/platform/programs';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the report. */
export interface Check {
  /** Stable id, for scripts (`--json`). */
  name: string;
  /** Chinese-first bilingual title shown in the table. */
  label: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warn or fail. */
  fix?: string;
}

/** The outcome of running an external program. */
export type RunResult =
  | { found: true; exitCode: number; stdout: string; stderr: string }
  | { found: false; error: string };

/** Everything the doctor learns about the machine. */
export interface Probes {
  platform: NodeJS.Platform;
  /** `process.versions` (node, and electron when running inside Electron). */
  versions: Readonly<Record<string, string | undefined>>;
  /** Runs a program without a shell; `found: false` when it is not installed or hangs. */
  run(command: string, args: readonly string[]): Promise<RunResult>;
  /** `stat` of a path, or null when it does not exist. */
  stat(path: string): Promise<{ isDirectory: boolean } | null>;
  /** Whether the process may read (and write, if asked) the path. */
  access(path: string, write: boolean): Promise<boolean>;
  /** Creates and removes a small file in `dir`; throws with the reason when it cannot. */
  writeProbe(dir: string): Promise<void>;
  /** Bytes available to this user on the file system holding `path`. */
  freeBytes(path: string): number;
  /** Names in a directory; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
}

export interface DoctorOptions {
  dataDir: string;
  /** The app's resources folder (fonts are looked for in resources/fonts). */
  resourcesDir?: string;
  probes?: Partial<Probes>;
}

const GiB = 1024 ** 3;
/** Below this the doctor warns: an interview with three cameras takes several GiB an hour. */
export const DISK_WARN_BYTES = 20 * GiB;
/** Below this a recording may not even finish. */
export const DISK_FAIL_BYTES = 2 * GiB;
const RUN_TIMEOUT_MS = 10_000;

/** The real probes. */
export const realProbes: Probes = {
  platform: process.platform,
  versions: process.versions,
  run(command, args) {
    const path = findProgram(command);
    if (!path) return Promise.resolve({ found: false, error: 'not found' });
    return new Promise((done) => {
      execFile(
        path,
        [...args],
        { timeout: RUN_TIMEOUT_MS, windowsHide: true, maxBuffer: 4 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = (error as NodeJS.ErrnoException | null)?.code;
          if (error && (code === 'ENOENT' || code === 'EACCES')) {
            done({ found: false, error: code === 'ENOENT' ? 'not found' : 'not executable' });
          } else if (error && (error as { killed?: boolean }).killed) {
            done({ found: false, error: `no answer within ${RUN_TIMEOUT_MS / 1000} s` });
          } else {
            // A non-zero exit still proves the program is there (some print -v and exit 99).
            const exitCode = error ? (typeof code === 'number' ? code : 1) : 0;
            done({ found: true, exitCode, stdout: String(stdout), stderr: String(stderr) });
          }
        },
      );
    });
  },
  async stat(path) {
    try {
      return { isDirectory: (await fsp.stat(path)).isDirectory() };
    } catch {
      return null;
    }
  },
  async access(path, write) {
    try {
      await fsp.access(path, constants.R_OK | (write ? constants.W_OK : 0));
      return true;
    } catch {
      return false;
    }
  },
  async writeProbe(dir) {
    const file = join(dir, `.attest-doctor-${process.pid}`);
    await fsp.writeFile(file, 'attest doctor\n', { flag: 'wx' });
    await fsp.unlink(file);
  },
  freeBytes(path) {
    const s = statfsSync(path);
    return Number(s.bavail) * Number(s.bsize);
  },
  async list(dir) {
    try {
      return await fsp.readdir(dir);
    } catch {
      return [];
    }
  },
};

/** The repository's (or the unpacked app's) resources folder, from this file or out/main/cli.js. */
export function defaultResourcesDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources');
}

/** Pulls a version out of a program's banner: `ffprobe version 6.1.1 ...` → `6.1.1`. */
export function versionFrom(output: string): string {
  const line = output.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const named = /\bversion\s+v?(\S+)/i.exec(line);
  if (named?.[1]) return named[1];
  const dotted = /\b(\d+(?:\.\d+)+\S*)/.exec(line);
  if (dotted?.[1]) return dotted[1];
  return line.trim().slice(0, 60) || 'unknown version';
}

function formatBytes(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}

/** How to install a tool on this platform; Debian package names on Linux. */
function installHint(
  platform: NodeJS.Platform,
  pkg: { debian: string; brew?: string; windows?: string },
): string {
  if (platform === 'darwin') return `安装 install: brew install ${pkg.brew ?? pkg.debian}`;
  if (platform === 'win32')
    return `安装 install: ${pkg.windows ?? `${pkg.debian}, and put it on PATH`}`;
  return `安装 install: sudo apt install ${pkg.debian}`;
}

interface ToolSpec {
  name: string;
  label: string;
  command: string;
  args: string[];
  /** 'fail' when the app cannot do its job without it, 'warn' when only some tasks need it. */
  missing: 'fail' | 'warn';
  purpose: string;
  pkg: { debian: string; brew?: string; windows?: string };
}

async function checkTool(probes: Probes, spec: ToolSpec): Promise<Check> {
  const result = await probes.run(spec.command, spec.args);
  if (!result.found) {
    return {
      name: spec.name,
      label: spec.label,
      status: spec.missing,
      detail: `未找到 not found (${result.error}); ${spec.purpose}`,
      fix: installHint(probes.platform, spec.pkg),
    };
  }
  const version = versionFrom(`${result.stdout}\n${result.stderr}`.trim());
  return { name: spec.name, label: spec.label, status: 'ok', detail: version };
}

function checkNode(probes: Probes): Check {
  const label = '运行时 Node.js';
  const electron = probes.versions['electron'];
  const node = probes.versions['node'] ?? '0';
  if (electron) {
    return { name: 'node', label, status: 'ok', detail: `Electron ${electron} (Node ${node})` };
  }
  const major = Number.parseInt(node, 10);
  if (major >= 24) return { name: 'node', label, status: 'ok', detail: `v${node}` };
  return {
    name: 'node',
    label,
    status: 'fail',
    detail: `v${node}: 需要 24 或更高 Node.js >= 24 is required`,
    fix:
      '安装 Node.js 24+ install Node.js 24 or later (https://nodejs.org, or the NodeSource ' +
      'repository on Debian: the distribution’s nodejs package is older)',
  };
}

/** The nearest existing ancestor of `path` (the path itself when it exists). */
async function nearestExisting(probes: Probes, path: string): Promise<string> {
  let current = resolve(path);
  for (;;) {
    if (await probes.stat(current)) return current;
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

async function checkDataDir(probes: Probes, dataDir: string): Promise<Check[]> {
  const name = 'data-dir';
  const label = '数据目录 data directory';
  const dir = resolve(dataDir);
  const fixDir = '用 --data-dir 指定可写目录，或修正权限 use --data-dir DIR or fix the permissions';
  const stat = await probes.stat(dir);
  let dirCheck: Check;
  if (stat && !stat.isDirectory) {
    dirCheck = {
      name,
      label,
      status: 'fail',
      detail: `${dir}: 不是目录 not a directory`,
      fix: fixDir,
    };
  } else if (stat) {
    try {
      await probes.writeProbe(dir);
      dirCheck = { name, label, status: 'ok', detail: `${dir} (可写 writable)` };
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? String(error);
      dirCheck = {
        name,
        label,
        status: 'fail',
        detail: `${dir}: 不可写 not writable (${why})`,
        fix: fixDir,
      };
    }
  } else {
    const parent = await nearestExisting(probes, dir);
    dirCheck = (await probes.access(parent, true))
      ? { name, label, status: 'ok', detail: `${dir} (首次运行时创建 will be created)` }
      : {
          name,
          label,
          status: 'fail',
          detail: `${dir}: 无法创建 cannot be created (${parent} 不可写 is not writable)`,
          fix: fixDir,
        };
  }

  const diskLabel = '磁盘空间 free disk';
  let disk: Check;
  try {
    const free = probes.freeBytes(await nearestExisting(probes, dir));
    const detail = `${formatBytes(free)} 可用 free`;
    const fix =
      '录像文件很大，请清理空间或把数据目录放到更大的磁盘 recordings are large: free space ' +
      'or move the data directory (--data-dir) to a larger disk';
    disk =
      free < DISK_FAIL_BYTES
        ? { name: 'disk', label: diskLabel, status: 'fail', detail, fix }
        : free < DISK_WARN_BYTES
          ? { name: 'disk', label: diskLabel, status: 'warn', detail, fix }
          : { name: 'disk', label: diskLabel, status: 'ok', detail };
  } catch (error) {
    disk = {
      name: 'disk',
      label: diskLabel,
      status: 'warn',
      detail: `无法读取 could not be read (${String(error)})`,
    };
  }
  return [dirCheck, disk];
}

const FONT_FILE = /\.(otf|ttf|ttc)$/i;

async function checkCjkFont(probes: Probes, resourcesDir: string): Promise<Check> {
  const name = 'cjk-font';
  const label = '中文字体 CJK font';
  const bundled = (await probes.list(join(resourcesDir, 'fonts'))).filter((f) => FONT_FILE.test(f));
  if (bundled.length > 0) {
    return {
      name,
      label,
      status: 'ok',
      detail: `resources/fonts/${bundled.sort()[0]} (随程序 bundled)`,
    };
  }
  const fix = {
    linux:
      '安装 install: sudo apt install fonts-noto-cjk (或把 .otf 放进 or put an .otf in resources/fonts)',
    other: '把中文 .otf/.ttf 字体放进 put a Chinese .otf/.ttf font in resources/fonts',
  };
  if (probes.platform === 'linux') {
    const result = await probes.run('fc-list', [':lang=zh', 'family']);
    if (result.found && result.exitCode === 0) {
      const families = result.stdout
        .split(/\r?\n/)
        .map((l) => l.split(',')[0]?.trim() ?? '')
        .filter((l) => l !== '');
      if (families.length > 0) {
        const unique = [...new Set(families)].sort();
        const first = unique.find((f) => /\bSC\b|Hans|Song|Hei|Kai/i.test(f)) ?? unique[0];
        return {
          name,
          label,
          status: 'ok',
          detail: `${first} 等 ${unique.length} 款 families (fontconfig)`,
        };
      }
    }
    return {
      name,
      label,
      status: 'fail',
      detail: result.found
        ? '没有中文字体 no Chinese font (fc-list :lang=zh is empty)'
        : '没有中文字体 no Chinese font (fontconfig fc-list not found)',
      fix: fix.linux,
    };
  }
  const systemFonts =
    probes.platform === 'win32'
      ? {
          dir: join(process.env['WINDIR'] ?? 'C:\\Windows', 'Fonts'),
          names: ['msyh.ttc', 'simsun.ttc', 'simhei.ttf'],
        }
      : {
          dir: '/System/Library/Fonts',
          names: ['PingFang.ttc', 'STHeiti Light.ttc', 'Hiragino Sans GB.ttc'],
        };
  const present = new Set((await probes.list(systemFonts.dir)).map((f) => f.toLowerCase()));
  const found = systemFonts.names.find((f) => present.has(f.toLowerCase()));
  return found
    ? { name, label, status: 'ok', detail: `${join(systemFonts.dir, found)} (系统 system)` }
    : { name, label, status: 'fail', detail: '没有中文字体 no Chinese font', fix: fix.other };
}

async function checkCamera(probes: Probes): Promise<Check> {
  const name = 'camera';
  const label = '摄像头 camera';
  if (probes.platform !== 'linux') {
    return {
      name,
      label,
      status: 'ok',
      detail:
        '此处不检查，程序录制前的预检会检查 not checked here: the app’s pre-flight checks cameras',
    };
  }
  const devices = (await probes.list('/dev')).filter((d) => /^video\d+$/.test(d)).sort();
  if (devices.length === 0) {
    return {
      name,
      label,
      status: 'warn',
      detail: '没有找到摄像头 no camera found (/dev/video*)',
      fix: '连接 USB (UVC) 摄像头；查看设备 connect a UVC camera; list devices: sudo apt install v4l-utils && v4l2-ctl --list-devices',
    };
  }
  const usable: string[] = [];
  for (const d of devices) if (await probes.access(`/dev/${d}`, true)) usable.push(d);
  if (usable.length === 0) {
    return {
      name,
      label,
      status: 'warn',
      detail: `${devices.length} 个设备无权限访问 device(s) not accessible: ${devices.map((d) => `/dev/${d}`).join(' ')}`,
      fix: '把用户加入 video 组后重新登录 add the user to the video group, then log in again: sudo usermod -aG video $USER',
    };
  }
  return {
    name,
    label,
    status: 'ok',
    detail: `${usable.length}/${devices.length} 可用 usable: ${usable.map((d) => `/dev/${d}`).join(' ')}`,
  };
}

async function checkChromium(probes: Probes): Promise<Check | null> {
  if (probes.platform !== 'linux') return null; // only the Linux test machines need it
  const result = await probes.run('/usr/bin/chromium', ['--version']);
  if (!result.found) {
    return {
      name: 'chromium',
      label: '浏览器 Chromium',
      status: 'warn',
      detail: '未找到 not found (/usr/bin/chromium); 仅测试需要 only the e2e tests need it',
      fix: installHint(probes.platform, { debian: 'chromium' }),
    };
  }
  return {
    name: 'chromium',
    label: '浏览器 Chromium',
    status: 'ok',
    detail: versionFrom(result.stdout),
  };
}

function toolSpecs(platform: NodeJS.Platform): ToolSpec[] {
  const ffmpegPkg = { debian: 'ffmpeg', windows: 'winget install Gyan.FFmpeg' };
  const poppler = { debian: 'poppler-utils', brew: 'poppler' };
  const specs: ToolSpec[] = [
    {
      name: 'ffmpeg',
      label: '视频处理 ffmpeg',
      command: 'ffmpeg',
      args: ['-hide_banner', '-version'],
      missing: 'fail',
      purpose: '合成与封装录像需要 needed to compose and package recordings',
      pkg: ffmpegPkg,
    },
    {
      name: 'ffprobe',
      label: '视频检验 ffprobe',
      command: 'ffprobe',
      args: ['-version'],
      missing: 'fail',
      purpose: '检验录像需要 needed to verify recordings',
      pkg: ffmpegPkg,
    },
  ];
  // Windows burns discs through IMAPI2 (native/), not xorriso.
  if (platform !== 'win32') {
    specs.push({
      name: 'xorriso',
      label: '光盘刻录 xorriso',
      command: 'xorriso',
      args: ['-version'],
      missing: 'fail',
      purpose: '制作与刻录光盘需要 needed to make and burn discs',
      pkg: { debian: 'xorriso' },
    });
  }
  specs.push(
    {
      name: 'pdftoppm',
      label: 'PDF 渲染 pdftoppm',
      command: 'pdftoppm',
      args: ['-v'],
      missing: 'warn',
      purpose: '检验与测试笔录 PDF 需要 needed to check transcript PDFs',
      pkg: poppler,
    },
    {
      name: 'pdfsig',
      label: 'PDF 签名检验 pdfsig',
      command: 'pdfsig',
      args: ['-v'],
      missing: 'warn',
      purpose: '检验 PDF 签名需要 needed to verify PDF signatures',
      pkg: poppler,
    },
    {
      name: 'qpdf',
      label: 'PDF 结构检验 qpdf',
      command: 'qpdf',
      args: ['--version'],
      missing: 'warn',
      purpose: '检验 PDF 结构需要 needed to check PDF structure',
      pkg: { debian: 'qpdf' },
    },
  );
  return specs;
}

/**
 * Runs every check and returns them in display order. Never throws for a missing tool:
 * that is a `fail` or `warn` line with a fix.
 */
export async function runDoctor(options: DoctorOptions): Promise<Check[]> {
  const probes: Probes = { ...realProbes, ...options.probes };
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  const checks: Check[] = [checkNode(probes), ...(await checkDataDir(probes, options.dataDir))];
  // One at a time: the machine may be busy recording, and the order reads better.
  for (const spec of toolSpecs(probes.platform)) checks.push(await checkTool(probes, spec));
  checks.push(await checkCjkFont(probes, resourcesDir));
  const chromium = await checkChromium(probes);
  if (chromium) checks.push(chromium);
  checks.push(await checkCamera(probes));
  return checks;
}

/** 0 when nothing failed, 1 otherwise. */
export function exitCodeFor(checks: readonly Check[]): 0 | 1 {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

const STATUS_TEXT: Record<CheckStatus, string> = {
  ok: '正常 ok',
  warn: '注意 warn',
  fail: '失败 fail',
};

/** The report as an aligned table, with each fix on its own line under its check. */
export function formatReport(checks: readonly Check[]): string {
  const head = ['检查项 check', '状态 status', '详情 detail'] as const;
  const w0 = Math.max(displayWidth(head[0]), ...checks.map((c) => displayWidth(c.label)));
  const w1 = Math.max(
    displayWidth(head[1]),
    ...checks.map((c) => displayWidth(STATUS_TEXT[c.status])),
  );
  const lines = [`${pad(head[0], w0)}  ${pad(head[1], w1)}  ${head[2]}`];
  for (const c of checks) {
    lines.push(`${pad(c.label, w0)}  ${pad(STATUS_TEXT[c.status], w1)}  ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`${' '.repeat(w0 + w1 + 4)}→ ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  lines.push(
    failed > 0
      ? `${failed} 项失败，Attest 无法正常工作 ${failed} check(s) failed: Attest cannot work properly yet`
      : warned > 0
        ? `可以运行，${warned} 项需要注意 ready, with ${warned} warning(s)`
        : '一切就绪 all checks passed',
  );
  return `${lines.join('\n')}\n`;
}
