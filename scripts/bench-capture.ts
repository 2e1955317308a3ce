/**
 * Capture benchmark: records 1, 2, 3 and 4 fake cameras at 1280x720@30, with the
 * microphone and the program file, through the real session screen in Debian's Chromium.
 *
 *   npx electron-vite build                      # the web host and renderer under out/
 *   node scripts/bench-capture.ts [--seconds 30] [--counts 1,2,3,4] [--keep]
 *
 * Starts the built web host on a fresh data directory and seeds, through the contract, an
 * administrator, two officers, five numbered cameras and a microphone, and one planned
 * interview per camera count. For each count it opens that session's screen in Chromium with
 * `--use-fake-device-for-media-stream=device-count=5,fps=30` (fake_device_1 is the emulated
 * depth camera the pre-flight refuses), runs the pre-flight, ticks the first N usable
 * cameras, confirms, starts, records until the UI's elapsed time reaches --seconds, and ends
 * with the confirmation. Figures per count:
 *
 *   captured  frames the cameras delivered over what each file covers: its packets plus
 *             the holes in its timing (a hole of k frame intervals is k−1 frames that never
 *             reached the file, dropped anywhere: before the encoder worker read them, by
 *             the encoder queue, or by the device);
 *   encoded   video packets in the camera files and the program file;
 *   dropped   captured − encoded, as a share of captured (cameras and program together);
 *   engine    the workers' own counters (frames read, encoded, dropped by the encoder
 *             queue), read by wrapping the page's Worker constructor (the app is unchanged);
 *   cpu       the whole machine over the recording, from /proc/stat (100% = every core busy),
 *             and this benchmark's own processes (Chromium and the web host) in cores;
 *   mbps      bytes of every file of the session over the recorded time.
 *
 * It ends with one line per count, `capture: cams=N dropped=…% cpu=…% mbps=…`; the last one
 * is for the largest count. Machine CPU includes anything else running: on a shared machine
 * the figures are noisy. Runs on Node 24 with type stripping; no build step of its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import WebSocket from 'ws';

const ROOT = resolve(import.meta.dirname, '..');
const WEB = join(ROOT, 'out/main/web.js');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    counts: { type: 'string', default: '1,2,3,4' },
    /** Keeps the data directory (the recorded files) and prints where it is. */
    keep: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const COUNTS = values.counts.split(',').map(Number);
const ADMIN = { username: 'bench', password: 'bench-password-1', displayName: '基准测试' };
const CASE_NO = '京人防罚〔2026〕88号';
/** The fake cameras Chromium offers; fake_device_1 is the depth camera nobody can encode. */
const FAKE_CAMERAS = [
  'fake_device_0',
  'fake_device_1',
  'fake_device_2',
  'fake_device_3',
  'fake_device_4',
];
const USABLE = FAKE_CAMERAS.filter((c) => c !== 'fake_device_1');

function startHost(dataDir: string): Promise<{ url: string; stop: () => void; pid: number }> {
  const child = spawn(process.execPath, [WEB, '--port', '0', '--data-dir', dataDir], {
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
        resolveHost({ url: m[1]!, stop: () => child.kill('SIGTERM'), pid: child.pid! });
      }
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${out}`)));
  });
}

/** A contract connection as the renderer makes it: the page's token, our own origin. */
async function contract(url: string) {
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

/** Machine CPU: busy and total jiffies of all cores. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + (f[4] ?? 0);
  const total = f.reduce((s, v) => s + v, 0);
  return { busy: total - idle, total };
}

/** CPU jiffies (user + system) of every live process descending from `root`. */
function treeTicks(root: number): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(rest[1]));
      ticks.set(Number(name), Number(rest[11]) + Number(rest[12]));
    } catch {
      // the process ended meanwhile
    }
  }
  let sum = 0;
  for (const [pid, t] of ticks) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        sum += t;
        break;
      }
    }
  }
  return sum;
}

/** Packets, the holes in their timing, and what the file covers, for one video stream. */
function videoTiming(
  file: string,
  stream: string,
): { packets: number; missing: number; span: number } {
  const r = spawnSync('ffprobe', [
    ...['-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts_time'],
    ...['-of', 'csv=p=0', file],
  ]);
  if (r.status !== 0) throw new Error(`ffprobe ${file}: ${r.stderr.toString()}`);
  const t = r.stdout
    .toString()
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
  if (t.length < 3) return { packets: t.length, missing: 0, span: 0 };
  const d = t.slice(1).map((v, i) => v - t[i]!);
  const interval = [...d].sort((a, b) => a - b)[Math.floor(d.length / 2)]!;
  let missing = 0;
  for (const x of d) if (x > 1.5 * interval) missing += Math.round(x / interval) - 1;
  return { packets: t.length, missing, span: t.at(-1)! - t[0]! };
}

/** Wraps the page's Worker: keeps each encoder worker's latest stats by source id. */
const WORKER_STATS = `(() => {
  const Real = window.Worker;
  const stats = (window.__captureStats = {});
  window.Worker = class extends Real {
    constructor(url, opts) {
      super(url, opts);
      let id = null;
      const post = this.postMessage.bind(this);
      this.postMessage = (m, t) => {
        if (m && typeof m === 'object' && typeof m.sourceId === 'string') id = m.sourceId;
        return post(m, t);
      };
      this.addEventListener('message', (e) => {
        const d = e.data;
        if (id && d && (d.type === 'stats' || d.type === 'ended')) stats[id] = d.stats;
      });
    }
  };
})();`;

interface WorkerStats {
  framesIn: number;
  framesEncoded: number;
  framesDropped: number;
}

async function elapsedSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('recording-indicator').textContent()) ?? '';
  const m = /(\d{2}):(\d{2}):(\d{2})/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

interface Result {
  cams: number;
  seconds: number;
  captured: number;
  encoded: number;
  dropped: number;
  engine: { in: number; encoded: number; dropped: number };
  machineCpu: number;
  benchCores: number;
  bytes: number;
  perFile: string[];
}

async function record(
  url: string,
  dataDir: string,
  session: { caseId: number; sessionId: number },
  cams: number,
): Promise<Result> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream=device-count=5,fps=30',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.setDefaultTimeout(30_000);
    await page.addInitScript({ content: WORKER_STATS });
    await page.goto(url);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByLabel('用户名').fill(ADMIN.username);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByLabel('密码').press('Enter');
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await page.evaluate(
      `location.hash = '#/cases/${session.caseId}/sessions/${session.sessionId}'`,
    );

    // Pre-flight: every camera tried with the encoder; the first N usable ones ticked.
    await page.getByRole('button', { name: '开始录制前检查' }).click();
    await page.getByRole('button', { name: '确认检查结果' }).waitFor({ timeout: 60_000 });
    await page
      .locator('.rec__check--checking')
      .first()
      .waitFor({ state: 'detached', timeout: 60_000 });
    for (const [i, label] of USABLE.entries())
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
    // Measure once every source is running (the first stats have arrived).
    await page.waitForFunction(
      (n) =>
        Object.keys((globalThis as { __captureStats?: object }).__captureStats ?? {}).length >= n,
      cams + 2,
      { timeout: 60_000 },
    );
    const m0 = machineTicks();
    const b0 = treeTicks(process.pid);
    const e0 = await elapsedSeconds(page);
    while ((await elapsedSeconds(page)) - e0 < SECONDS) await page.waitForTimeout(250);
    const m1 = machineTicks();
    const b1 = treeTicks(process.pid);
    const wall = (m1.total - m0.total) / cpus().length / 100; // jiffies are 1/100 s

    await page.getByRole('button', { name: '结束记录' }).click();
    const end = page.getByRole('dialog', { name: '结束记录' });
    await end.getByRole('button', { name: '结束记录' }).click();
    // With procedure steps missing (nothing was marked here) it asks a second time.
    const again = end.getByRole('button', { name: '仍然结束' });
    await Promise.race([again.waitFor(), end.waitFor({ state: 'detached', timeout: 60_000 })]);
    if (await again.count()) await again.click();
    await end.waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByTestId('session-status').filter({ hasText: '已结束' }).waitFor();
    const engine = (await page.evaluate('window.__captureStats')) as Record<string, WorkerStats>;

    const dir = join(dataDir, 'sessions', String(session.sessionId), 'media');
    let captured = 0;
    let encoded = 0;
    let bytes = 0;
    let span = 0;
    const perFile: string[] = [];
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      bytes += statSync(file).size;
      if (name.startsWith('mic')) continue;
      const v = videoTiming(file, 'v:0');
      captured += v.packets + v.missing;
      encoded += v.packets;
      span = Math.max(span, v.span);
      const id = name.replace(/-\d+\.mp4$/, '');
      const s = engine[id];
      perFile.push(
        `${name}: ${v.packets} frames over ${v.span.toFixed(1)} s (${(v.packets / v.span).toFixed(2)} fps), ` +
          `${v.missing} missing; engine read ${s?.framesIn ?? '?'}, encoded ${s?.framesEncoded ?? '?'}, ` +
          `dropped ${s?.framesDropped ?? '?'}`,
      );
    }
    const sum = (k: keyof WorkerStats) =>
      Object.entries(engine)
        .filter(([id]) => !id.startsWith('mic'))
        .reduce((s, [, v]) => s + v[k], 0);
    return {
      cams,
      seconds: span,
      captured,
      encoded,
      dropped: captured - encoded,
      engine: { in: sum('framesIn'), encoded: sum('framesEncoded'), dropped: sum('framesDropped') },
      machineCpu: (100 * (m1.busy - m0.busy)) / (m1.total - m0.total),
      benchCores: (b1 - b0) / 100 / wall,
      bytes,
      perFile,
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  if (!existsSync(WEB)) throw new Error(`${WEB} is missing: run npx electron-vite build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-capture-'));
  const host = await startHost(dataDir);
  const results: Result[] = [];
  try {
    const api = await contract(host.url);
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
    console.log(
      `capture benchmark: ${COUNTS.join(', ')} cameras at 1280x720@30 + microphone + program, ` +
        `${SECONDS} s each, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`,
    );
    for (const cams of COUNTS) {
      const s = await api.call<{ id: number }>('sessions.create', {
        caseId: c.id,
        kind: 'interview',
        place: '市人防办执法大队',
        room: '2号询问室',
        officers: [
          { officerId: officers[0]!.id, role: 'interviewer' },
          { officerId: officers[1]!.id, role: 'recorder' },
        ],
        participants: [{ role: 'party', name: '王小明' }],
      });
      const r = await record(host.url, dataDir, { caseId: c.id, sessionId: s.id }, cams);
      results.push(r);
      const pct = (100 * r.dropped) / Math.max(1, r.captured);
      console.log(
        `\n${cams} camera(s) + program: captured ${r.captured}, encoded ${r.encoded}, dropped ${r.dropped} ` +
          `(${pct.toFixed(2)}%); engine counters: read ${r.engine.in}, encoded ${r.engine.encoded}, ` +
          `dropped by the encoder queue ${r.engine.dropped}`,
      );
      console.log(
        `  cpu: machine ${r.machineCpu.toFixed(0)}% of ${cpus().length} cores; Chromium + web host ` +
          `${r.benchCores.toFixed(2)} cores; written ${(r.bytes / 1e6).toFixed(1)} MB ` +
          `(${((r.bytes * 8) / r.seconds / 1e6).toFixed(2)} Mb/s)`,
      );
      for (const line of r.perFile) console.log(`  ${line}`);
    }
    api.close();
  } finally {
    host.stop();
    if (values.keep) console.log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('');
  for (const r of results)
    console.log(
      `capture: cams=${r.cams} dropped=${((100 * r.dropped) / Math.max(1, r.captured)).toFixed(2)}% ` +
        `cpu=${r.machineCpu.toFixed(0)}% mbps=${((r.bytes * 8) / r.seconds / 1e6).toFixed(1)}`,
    );
}

await main();
