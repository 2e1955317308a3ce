import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DISK_FAIL_BYTES,
  DISK_WARN_BYTES,
  displayWidth,
  exitCodeFor,
  formatReport,
  runDoctor,
  versionFrom,
} from '../../../electron/cli/doctor';
import type { Check, Probes, RunResult } from '../../../electron/cli/doctor';
import { COMMANDS, main } from '../../../electron/cli/index';

const GiB = 1024 ** 3;

/** Banners of the tools on a healthy Debian machine. */
const BANNERS: Record<string, string> = {
  ffmpeg: 'ffmpeg version 6.1.1-3 Copyright (c) 2000-2023 the FFmpeg developers',
  ffprobe: 'ffprobe version 6.1.1-3 Copyright (c) 2007-2023 the FFmpeg developers',
  xorriso: 'xorriso 1.5.6 : RockRidge filesystem manipulator, libburnia project.',
  pdftoppm: 'pdftoppm version 24.02.0',
  pdfsig: 'pdfsig version 24.02.0',
  qpdf: 'qpdf version 11.9.0',
  'fc-list':
    'Noto Sans CJK JP,Noto Sans CJK JP Regular\nNoto Sans CJK SC,Noto Sans CJK SC Regular\n',
  '/usr/bin/chromium': 'Chromium 131.0.6778.85 built on Debian GNU/Linux 12 (bookworm)',
};

interface Machine {
  missing?: string[];
  node?: string;
  electron?: string;
  freeGiB?: number;
  platform?: NodeJS.Platform;
  fonts?: string[];
  fcList?: string;
  devices?: string[];
  accessible?: string[];
  dirs?: Record<string, 'dir' | 'file'>;
  writable?: string[];
  ranWith?: Array<[string, readonly string[]]>;
}

/** A simulated machine: everything present unless told otherwise. */
function probes(machine: Machine = {}): Partial<Probes> {
  const dirs = machine.dirs ?? { '/': 'dir', '/data': 'dir', '/data/attest': 'dir' };
  return {
    platform: machine.platform ?? 'linux',
    versions: { node: machine.node ?? '24.11.0', electron: machine.electron },
    async run(command, args): Promise<RunResult> {
      machine.ranWith?.push([command, args]);
      if (machine.missing?.includes(command)) return { found: false, error: 'not found' };
      if (command === 'fc-list' && machine.fcList !== undefined)
        return { found: true, exitCode: 0, stdout: machine.fcList, stderr: '' };
      const banner = BANNERS[command];
      if (banner === undefined) return { found: false, error: 'not found' };
      // poppler prints its version on stderr
      return command.startsWith('pdf')
        ? { found: true, exitCode: 0, stdout: '', stderr: banner }
        : { found: true, exitCode: 0, stdout: banner, stderr: '' };
    },
    async stat(path) {
      const kind = dirs[path];
      return kind ? { isDirectory: kind === 'dir' } : null;
    },
    async access(path) {
      if (path.startsWith('/dev/'))
        return (machine.accessible ?? ['/dev/video0', '/dev/video1']).includes(path);
      return (machine.writable ?? ['/', '/data', '/data/attest']).includes(path);
    },
    async writeProbe(dir) {
      if (!(machine.writable ?? ['/', '/data', '/data/attest']).includes(dir)) {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      }
    },
    freeBytes: () => (machine.freeGiB ?? 500) * GiB,
    async list(dir) {
      if (dir.endsWith('fonts')) return machine.fonts ?? [];
      if (dir === '/dev') return machine.devices ?? ['video0', 'video1', 'vda'];
      return [];
    },
  };
}

async function doctor(machine: Machine = {}, dataDir = '/data/attest'): Promise<Check[]> {
  return runDoctor({
    dataDir,
    resourcesDir: '/app/resources',
    probes: probes(machine),
  });
}

function byName(checks: Check[], name: string): Check {
  const check = checks.find((c) => c.name === name);
  if (!check) throw new Error(`no check named ${name}: ${checks.map((c) => c.name).join(', ')}`);
  return check;
}

describe('attest doctor on a healthy machine', () => {
  it('passes every check, with versions', async () => {
    const checks = await doctor();
    expect(checks.map((c) => c.name)).toEqual([
      'node',
      'data-dir',
      'disk',
      'ffmpeg',
      'ffprobe',
      'xorriso',
      'pdftoppm',
      'pdfsig',
      'qpdf',
      'cjk-font',
      'chromium',
      'camera',
    ]);
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(byName(checks, 'ffprobe').detail).toBe('6.1.1-3');
    expect(byName(checks, 'xorriso').detail).toBe('1.5.6');
    expect(byName(checks, 'pdfsig').detail).toBe('24.02.0');
    expect(byName(checks, 'cjk-font').detail).toContain('Noto Sans CJK SC');
    expect(byName(checks, 'camera').detail).toContain('/dev/video0');
    expect(exitCodeFor(checks)).toBe(0);
  });

  it('runs programs as argument lists, never through a shell', async () => {
    const ranWith: Array<[string, readonly string[]]> = [];
    await doctor({ ranWith });
    for (const [command, args] of ranWith) {
      expect(command).not.toMatch(/\s|;|\||&/);
      expect(Array.isArray(args)).toBe(true);
    }
    expect(ranWith).toContainEqual(['ffprobe', ['-version']]);
  });
});

describe('attest doctor on a machine that lacks things', () => {
  it('fails without ffprobe, says how to install it, and exits 1', async () => {
    const checks = await doctor({ missing: ['ffprobe'] });
    const ffprobe = byName(checks, 'ffprobe');
    expect(ffprobe.status).toBe('fail');
    expect(ffprobe.detail).toContain('not found');
    expect(ffprobe.fix).toContain('sudo apt install ffmpeg');
    expect(exitCodeFor(checks)).toBe(1);
  });

  it.each([
    ['ffmpeg', 'fail', 'sudo apt install ffmpeg'],
    ['xorriso', 'fail', 'sudo apt install xorriso'],
    ['pdftoppm', 'warn', 'sudo apt install poppler-utils'],
    ['pdfsig', 'warn', 'sudo apt install poppler-utils'],
    ['qpdf', 'warn', 'sudo apt install qpdf'],
  ])('without %s: %s, fix "%s"', async (tool, status, fix) => {
    const checks = await doctor({ missing: [tool] });
    expect(byName(checks, tool)).toMatchObject({ status, fix: expect.stringContaining(fix) });
    expect(exitCodeFor(checks)).toBe(status === 'fail' ? 1 : 0);
  });

  it('warns, without failing, when Chromium (tests only) is missing', async () => {
    const checks = await doctor({ missing: ['/usr/bin/chromium'] });
    expect(byName(checks, 'chromium')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('sudo apt install chromium'),
    });
    expect(exitCodeFor(checks)).toBe(0);
  });

  it('gives platform-specific install hints', async () => {
    const mac = await doctor({ platform: 'darwin', missing: ['pdfsig'] });
    expect(byName(mac, 'pdfsig').fix).toContain('brew install poppler');
    const win = await doctor({ platform: 'win32', missing: ['ffmpeg'] });
    expect(byName(win, 'ffmpeg').fix).toContain('winget');
    // Windows burns through IMAPI2; no xorriso line there, and no Chromium check.
    expect(win.map((c) => c.name)).not.toContain('xorriso');
    expect(win.map((c) => c.name)).not.toContain('chromium');
  });

  it('fails on Node older than 24, and accepts any Node inside Electron', async () => {
    const old = byName(await doctor({ node: '20.19.0' }), 'node');
    expect(old.status).toBe('fail');
    expect(old.fix).toMatch(/Node\.js 24/);
    const electron = byName(await doctor({ node: '22.20.0', electron: '45.4.1' }), 'node');
    expect(electron).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('Electron 45.4.1'),
    });
  });

  it.each([
    [500, 'ok'],
    [DISK_WARN_BYTES / GiB + 0.1, 'ok'],
    [19.9, 'warn'],
    [DISK_FAIL_BYTES / GiB + 0.1, 'warn'],
    [1.9, 'fail'],
    [0, 'fail'],
  ])('with %d GiB free the disk check is %s', async (free, status) => {
    const checks = await doctor({ freeGiB: free });
    const disk = byName(checks, 'disk');
    expect(disk.status).toBe(status);
    if (status !== 'ok') expect(disk.fix).toMatch(/--data-dir/);
  });

  it('fails when the data directory is not writable', async () => {
    const checks = await doctor({ writable: ['/'] });
    expect(byName(checks, 'data-dir')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('not writable'),
      fix: expect.stringContaining('--data-dir'),
    });
    expect(exitCodeFor(checks)).toBe(1);
  });

  it('fails when the data directory is a file', async () => {
    const checks = await doctor({ dirs: { '/': 'dir', '/data': 'dir', '/data/attest': 'file' } });
    expect(byName(checks, 'data-dir')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('not a directory'),
    });
  });

  it('accepts a data directory that does not exist yet when its parent is writable', async () => {
    const ok = await doctor({}, '/data/new/deeper');
    expect(byName(ok, 'data-dir')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('will be created'),
    });
    const no = await doctor({ writable: [] }, '/data/new/deeper');
    expect(byName(no, 'data-dir')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('/data'),
    });
  });

  it('prefers a bundled font in resources/fonts', async () => {
    const checks = await doctor({ fonts: ['README.md', 'NotoSerifSC-Regular.otf'] });
    expect(byName(checks, 'cjk-font')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('resources/fonts/NotoSerifSC-Regular.otf'),
    });
  });

  it('fails without any Chinese font and names the Debian package', async () => {
    const empty = await doctor({ fcList: '' });
    expect(byName(empty, 'cjk-font')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('sudo apt install fonts-noto-cjk'),
    });
    const noFontconfig = await doctor({ missing: ['fc-list'] });
    expect(byName(noFontconfig, 'cjk-font').status).toBe('fail');
  });

  it('warns when there is no camera, or none the user may open', async () => {
    const none = byName(await doctor({ devices: ['vda', 'null'] }), 'camera');
    expect(none).toMatchObject({ status: 'warn', fix: expect.stringContaining('v4l-utils') });
    const locked = byName(await doctor({ accessible: [] }), 'camera');
    expect(locked).toMatchObject({ status: 'warn', fix: expect.stringContaining('video') });
    const partly = byName(await doctor({ accessible: ['/dev/video1'] }), 'camera');
    expect(partly).toMatchObject({ status: 'ok', detail: expect.stringContaining('1/2') });
  });

  it('leaves cameras to the app pre-flight outside Linux', async () => {
    const camera = byName(await doctor({ platform: 'darwin' }), 'camera');
    expect(camera.detail).toContain('pre-flight');
  });
});

describe('the report', () => {
  it('pulls versions out of banners', () => {
    expect(versionFrom('ffprobe version 5.1.9-0+deb12u1 Copyright (c)')).toBe('5.1.9-0+deb12u1');
    expect(versionFrom('\nxorriso 1.5.4 : RockRidge filesystem')).toBe('1.5.4');
    expect(versionFrom('Chromium 156.0.8078.79 built on Debian')).toBe('156.0.8078.79');
    expect(versionFrom('ffmpeg version N-112233-gabc')).toBe('N-112233-gabc');
    expect(versionFrom('')).toBe('unknown version');
  });

  it('counts CJK characters as two columns', () => {
    expect(displayWidth('ffprobe')).toBe(7);
    expect(displayWidth('视频检验 ffprobe')).toBe(16);
    expect(displayWidth('正常 ok')).toBe(7);
  });

  it('aligns the status and detail columns whatever the script', async () => {
    const checks = await doctor({ missing: ['qpdf'] });
    const text = formatReport(checks);
    const rows = text
      .split('\n')
      .slice(1, 1 + checks.length + 1)
      .filter((l) => !l.trimStart().startsWith('→'));
    const statusColumn = (line: string) => {
      const idx = line.search(/(正常 ok|注意 warn|失败 fail)/);
      return displayWidth(line.slice(0, idx));
    };
    const columns = new Set(rows.map(statusColumn));
    expect(columns.size).toBe(1);
    expect(text).toMatch(/PDF 结构检验 qpdf\s+注意 warn\s+未找到 not found/);
    expect(text).toMatch(/→ 安装 install: sudo apt install qpdf/);
  });

  it('ends with a verdict', async () => {
    expect(formatReport(await doctor())).toMatch(/一切就绪 all checks passed\n$/);
    expect(formatReport(await doctor({ missing: ['ffmpeg'] }))).toMatch(/1 check\(s\) failed/);
  });
});

describe('the attest command line', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
  }
  const doctorContext = (machine: Machine = {}) => ({
    resourcesDir: '/app/resources',
    probes: probes(machine),
  });

  it('prints the version from package.json', async () => {
    const c = capture();
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(await main(['--version'], { io: c.io })).toBe(0);
    expect(c.out.join('')).toBe(`attest ${pkg.version}\n`);
  });

  it('prints help listing every command', async () => {
    const c = capture();
    expect(await main(['--help'], { io: c.io })).toBe(0);
    for (const command of Object.values(COMMANDS)) expect(c.out.join('')).toContain(command.usage);
  });

  it.each([[['frobnicate']], [['__proto__']], [['constructor']], [[]]])(
    'prints usage to stderr and exits 2 for %j',
    async (argv) => {
      const c = capture();
      expect(await main(argv, { io: c.io })).toBe(2);
      expect(c.err.join('')).toContain('attest doctor');
      expect(c.out).toEqual([]);
    },
  );

  it('exits 2 with the verify usage when verify has no bundle path', async () => {
    const c = capture();
    expect(await main(['verify'], { io: c.io })).toBe(2);
    expect(c.err.join('')).toContain('attest verify PATH');
    expect(c.out).toEqual([]);
  });

  it('exits 2 on an unknown doctor option', async () => {
    const c = capture();
    expect(await main(['doctor', '--frob'], { io: c.io, doctor: doctorContext() })).toBe(2);
    expect(c.err.join('')).toContain('--frob');
  });

  it('doctor exits 0 on a healthy machine and 1 when a required tool is missing', async () => {
    const healthy = capture();
    expect(
      await main(['doctor', '--data-dir', '/data/attest'], {
        io: healthy.io,
        doctor: doctorContext(),
      }),
    ).toBe(0);
    expect(healthy.out.join('')).toMatch(/视频检验 ffprobe\s+正常 ok\s+6\.1\.1-3/);
    const broken = capture();
    expect(
      await main(['doctor', '--data-dir=/data/attest'], {
        io: broken.io,
        doctor: doctorContext({ missing: ['ffmpeg', 'ffprobe'] }),
      }),
    ).toBe(1);
    expect(broken.out.join('')).toContain('sudo apt install ffmpeg');
  });

  it('doctor --json prints the checks as an array', async () => {
    const c = capture();
    const code = await main(['doctor', '--json', '--data-dir', '/data/attest'], {
      io: c.io,
      doctor: doctorContext({ missing: ['xorriso'] }),
    });
    expect(code).toBe(1);
    const checks = JSON.parse(c.out.join('')) as Check[];
    expect(Array.isArray(checks)).toBe(true);
    expect(byName(checks, 'xorriso')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('xorriso'),
    });
    for (const check of checks) expect(['ok', 'warn', 'fail']).toContain(check.status);
  });
});
