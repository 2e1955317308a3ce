/**
 * What the recording benchmarks share: the built web host on a fresh data directory, a
 * contract connection made as the renderer makes it, a seeded case with numbered devices,
 * Chromium with fake devices driving the real session screen, CPU counters, and ffprobe's
 * view of the files on disk. Runs on Node 24 with type stripping; no build step of its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const WEB = join(ROOT, 'out/main/web.js');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const ADMIN = { username: 'bench', password: 'bench-password-1', displayName: '基准测试' };
/** The interviewing officer's account: on the case's team, so the transcript is theirs to type. */
export const OFFICER = { username: 'zhangwei', password: 'bench-password-2' };
export const CASE_NO = '京人防罚〔2026〕88号';
/** The fake cameras Chromium offers; fake_device_1 is the depth camera nobody can encode. */
export const FAKE_CAMERAS = [
  'fake_device_0',
  'fake_device_1',
  'fake_device_2',
  'fake_device_3',
  'fake_device_4',
];
export const USABLE_CAMERAS = FAKE_CAMERAS.filter((c) => c !== 'fake_device_1');

export interface Host {
  url: string;
  pid: number;
  /** Stops the host and resolves once it has exited (its files closed, its anchor written). */
  stop(): Promise<void>;
}

/** Starts the built web host on `dataDir` with any further flags; resolves with its URL. */
export function startHost(dataDir: string, args: readonly string[] = []): Promise<Host> {
  const child = spawn(process.execPath, [WEB, '--port', '0', '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolveHost, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${out}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        const stop = () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          });
        resolveHost({ url: m[1]!, stop, pid: child.pid! });
      }
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${out}`)));
  });
}

export interface Contract {
  call<T>(method: string, input: unknown): Promise<T>;
  close(): void;
}

/** A contract connection as the renderer makes it: the page's token, our own origin. */
export async function contract(url: string): Promise<Contract> {
  const html = await (await fetch(url)).text();
  const token = /name="attest-host-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the web host page has no token');
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/rpc?token=${encodeURIComponent(token)}`, {
    headers: { Origin: u.origin },
  });
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  let next = 0;
  const waiting = new Map<number, { res: (v: unknown) => void; rej: (e: Error) => void }>();
  ws.on('message', (d: Buffer) => {
    const f = JSON.parse(d.toString()) as {
      t: string;
      id: number;
      ok: boolean;
      value: unknown;
      error: { code: string; message: string };
    };
    if (f.t !== 'res') return;
    const p = waiting.get(f.id)!;
    waiting.delete(f.id);
    if (f.ok) p.res(f.value);
    else p.rej(new Error(`${f.error.code}: ${f.error.message}`));
  });
  return {
    call<T>(method: string, input: unknown): Promise<T> {
      return new Promise<T>((res, rej) => {
        const id = ++next;
        waiting.set(id, { res: res as (v: unknown) => void, rej });
        ws.send(JSON.stringify({ t: 'req', id, method, input }));
      });
    },
    close: () => ws.close(),
  };
}

/**
 * Sets up the administrator, two officers, five numbered cameras and a microphone, and one
 * case; signs the connection in. Returns the case and officer ids.
 */
export async function seedCase(api: Contract): Promise<{ caseId: number; officerIds: number[] }> {
  await api.call('auth.setup', ADMIN);
  await api.call('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  const officers = [
    await api.call<{ id: number }>('officers.create', {
      name: '张伟',
      certificateNo: 'ZF-1101-0001',
    }),
    await api.call<{ id: number }>('officers.create', {
      name: '李娜',
      certificateNo: 'ZF-1101-0002',
    }),
  ];
  await api.call('users.create', {
    username: OFFICER.username,
    displayName: '张伟',
    password: OFFICER.password,
    roles: ['officer'],
    officerId: officers[0]!.id,
  });
  for (let i = 1; i <= FAKE_CAMERAS.length; i++)
    await api.call('devices.register', {
      deviceNo: `CAM-0${i}`,
      kind: 'camera',
      label: `摄像机 ${i}`,
    });
  await api.call('devices.register', { deviceNo: 'MIC-01', kind: 'microphone', label: '拾音器' });
  const c = await api.call<{ id: number }>('cases.create', {
    caseNo: CASE_NO,
    cause: '未按规定修建防空地下室',
    matterKind: 'penalty',
    origin: { kind: 'ex_officio', reason: '日常巡查' },
    officerIds: officers.map((o) => o.id),
  });
  return { caseId: c.id, officerIds: officers.map((o) => o.id) };
}

/** A planned interview of the seeded case. */
export async function createInterview(
  api: Contract,
  caseId: number,
  officerIds: number[],
): Promise<number> {
  const s = await api.call<{ id: number }>('sessions.create', {
    caseId,
    kind: 'interview',
    place: '市人防办执法大队',
    room: '2号询问室',
    officers: [
      { officerId: officerIds[0]!, role: 'interviewer' },
      { officerId: officerIds[1]!, role: 'recorder' },
    ],
    participants: [{ role: 'party', name: '王小明' }],
  });
  return s.id;
}

/** Headless Chromium with five fake cameras (one of them the depth camera) and a microphone. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream=device-count=5,fps=30',
    ],
  });
}

/** Signs in as the interviewing officer and opens the session screen. */
export async function openSession(
  page: Page,
  url: string,
  session: { caseId: number; sessionId: number },
): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  await page.getByLabel('用户名').fill(OFFICER.username);
  await page.getByLabel('密码').fill(OFFICER.password);
  await page.getByLabel('密码').press('Enter');
  await page.getByRole('navigation', { name: '主导航' }).waitFor();
  await page.evaluate(`location.hash = '#/cases/${session.caseId}/sessions/${session.sessionId}'`);
}

/** Pre-flight (every camera tried with the encoder; the first `cams` usable ones ticked), then the start. */
export async function preflightAndStart(page: Page, cams: number): Promise<void> {
  await page.getByRole('button', { name: '开始录制前检查' }).click();
  await page.getByRole('button', { name: '确认检查结果' }).waitFor({ timeout: 60_000 });
  await page
    .locator('.rec__check--checking')
    .first()
    .waitFor({ state: 'detached', timeout: 60_000 });
  for (const [i, label] of USABLE_CAMERAS.entries())
    await page.getByRole('checkbox', { name: `录制 ${label}`, exact: true }).setChecked(i < cams);
  const confirm = page.getByRole('button', { name: '确认检查结果' });
  if (await confirm.isDisabled()) {
    const problems = await page.getByRole('list', { name: '检查未通过' }).textContent();
    throw new Error(`the pre-flight did not pass: ${problems}`);
  }
  await confirm.click();
  await page.getByRole('button', { name: '已确认，可开始录制' }).waitFor();

  await page.getByRole('button', { name: '开始记录' }).click();
  const start = page.getByRole('dialog', { name: '开始记录' });
  await start.getByRole('button', { name: '开始记录' }).click();
  await start.waitFor({ state: 'detached' });
  await page.getByTestId('recording-indicator').waitFor();
}

/** Ends the recording with its confirmation (and the second one when procedure steps are missing). */
export async function endRecording(page: Page): Promise<void> {
  await page.getByRole('button', { name: '结束记录' }).click();
  const end = page.getByRole('dialog', { name: '结束记录' });
  await end.getByRole('button', { name: '结束记录' }).click();
  const again = end.getByRole('button', { name: '仍然结束' });
  await Promise.race([again.waitFor(), end.waitFor({ state: 'detached', timeout: 60_000 })]);
  if (await again.count()) await again.click();
  await end.waitFor({ state: 'detached', timeout: 60_000 });
  await page.getByTestId('session-status').filter({ hasText: '已结束' }).waitFor();
}

/** The recording indicator's elapsed time, in seconds. */
export async function elapsedSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('recording-indicator').textContent()) ?? '';
  const m = /(\d{2}):(\d{2}):(\d{2})/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

/** Machine CPU: busy and total jiffies of all cores. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + (f[4] ?? 0);
  const total = f.reduce((s, v) => s + v, 0);
  return { busy: total - idle, total };
}

/** The processes under /proc: parent, CPU jiffies (user + system), resident KiB, command line. */
function processes(): Map<number, { parent: number; ticks: number; rssKiB: number; cmd: string }> {
  const out = new Map<number, { parent: number; ticks: number; rssKiB: number; cmd: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      out.set(Number(name), {
        parent: Number(rest[1]),
        ticks: Number(rest[11]) + Number(rest[12]),
        rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
        cmd: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '),
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function descends(all: ReturnType<typeof processes>, pid: number, root: number): boolean {
  for (let p: number | undefined = pid; p !== undefined && p > 1; p = all.get(p)?.parent)
    if (p === root) return true;
  return false;
}

/** CPU jiffies of every live process descending from `root`. */
export function treeTicks(root: number): number {
  const all = processes();
  let sum = 0;
  for (const [pid, p] of all) if (descends(all, pid, root)) sum += p.ticks;
  return sum;
}

/** Resident memory (MiB) of the largest Chromium renderer process under `root`: the app's page. */
export function rendererMiB(root: number): number {
  const all = processes();
  let most = 0;
  for (const [pid, p] of all)
    if (p.cmd.includes('--type=renderer') && descends(all, pid, root))
      most = Math.max(most, p.rssKiB);
  return most / 1024;
}

/** Every packet of one stream of a file, in presentation order: time and duration (s). */
export function packetTimes(file: string, stream: string): { pts: number; dur: number }[] {
  const r = spawnSync(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', stream],
      ...['-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file],
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`ffprobe ${file}: ${r.stderr.toString()}`);
  return r.stdout
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [pts, dur] = line.split(',');
      return { pts: Number(pts), dur: Number(dur) || 0 };
    })
    .sort((a, b) => a.pts - b.pts);
}

/** The typical step between frames: the median of consecutive differences. */
export function frameInterval(pts: readonly number[]): number {
  const d = pts.slice(1).map((v, i) => v - pts[i]!);
  return [...d].sort((a, b) => a - b)[Math.floor(d.length / 2)] ?? 0;
}

/** Frames missing inside a run of packet times: a hole of k intervals is k − 1 frames. */
export function missingFrames(pts: readonly number[], interval = frameInterval(pts)): number {
  let missing = 0;
  for (let i = 1; i < pts.length; i++) {
    const d = pts[i]! - pts[i - 1]!;
    if (interval > 0 && d > 1.5 * interval) missing += Math.round(d / interval) - 1;
  }
  return missing;
}

/** The audio stream's sample table: first and end time (s) (ffprobe start_pts, duration_ts). */
export function audioTable(file: string): { start: number; end: number } {
  const r = spawnSync(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', 'a', '-show_entries'],
      ...['stream=start_pts,duration_ts,time_base', '-of', 'json', file],
    ],
    { encoding: 'utf8' },
  );
  const s = (JSON.parse(r.stdout) as { streams: Record<string, string | number>[] }).streams[0]!;
  const [num, den] = String(s.time_base).split('/').map(Number) as [number, number];
  return {
    start: (Number(s.start_pts) * num) / den,
    end: (Number(s.duration_ts) * num) / den,
  };
}

/**
 * The Opus pre-skip of a file (dOps: version, channels, then pre-skip, big-endian), in s.
 * A file's sample table ends this much after its last real sample: the encoder's look-ahead,
 * which a decoder drops at the start of the next file.
 */
export function opusPreSkip(file: string): number {
  const bytes = readFileSync(file);
  const at = bytes.indexOf('dOps');
  if (at < 0) throw new Error(`${file}: no dOps box`);
  return bytes.readUInt16BE(at + 6) / 48_000;
}
