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
 *   random    frames lost by no one's choice, as a share of the frames the cameras made (read,
 *             plus those the reader never got): dropped by an encoder queue that was full, or
 *             never delivered by the capture pipeline (the workers' counters); the capture
 *             ladder's steps are not counted here;
 *   stepped   seconds the sources spent stepped down the capture ladder, summed over sources
 *             (from the steps on the session's timeline);
 *   typing    during the largest count, 80 characters typed into the transcript 12 ms apart:
 *             each character's input event to the next animation frame, p50 and p95, and
 *             from the first key until all 80 are on the screen (80 × 12 ms is the floor).
 *
 * Each count runs once as is (`hog=0`) and once with a busy loop on one core started by the
 * benchmark itself (`hog=1`), as a busier machine would be (`--hog 0`, `--hog 1` for one).
 * It ends with one line per run, `capture: cams=N hog=H dropped=…% random=…% stepped=…s
 * cpu=…% mbps=…`, and `typing: p50_ms=… p95_ms=…`. Machine CPU includes anything else
 * running: on a shared machine the figures are noisy. Runs on Node 24 with type stripping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  WEB,
  contract,
  createInterview,
  elapsedSeconds,
  endRecording,
  launchChromium,
  machineTicks,
  missingFrames,
  openSession,
  packetTimes,
  preflightAndStart,
  seedCase,
  startHost,
  treeTicks,
} from './bench/harness.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    counts: { type: 'string', default: '1,2,3,4' },
    hog: { type: 'string', default: '0,1' },
    /** Keeps the data directory (the recorded files) and prints where it is. */
    keep: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const COUNTS = values.counts.split(',').map(Number);
const HOGS = values.hog.split(',').map(Number);
const TYPED =
  '请你说明该项目未按规定修建防空地下室的原因，以及是否已经缴纳易地建设费，什么时候缴纳的，缴了多少，有没有票据，现在能否提供？如果不能提供，请说明理由，并在七日内补交相关材料。';

/**
 * A typed character to the next animation frame (read back as window.__typing). Chinese comes
 * in as text input, not key presses, so it is timed from the \`beforeinput\` event.
 */
const TYPING = `(() => {
  const t = (window.__typing = []);
  document.addEventListener('beforeinput', (e) => {
    const t0 = e.timeStamp;
    requestAnimationFrame(() => t.push(performance.now() - t0));
  }, true);
})();`;

/** A busy loop on one core, as other work on a busy workstation would be. */
function startHog(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
/** Packets, the holes in their timing, and what the file covers, for one video stream. */
function videoTiming(
  file: string,
  stream: string,
): { packets: number; missing: number; span: number } {
  const t = packetTimes(file, stream).map((p) => p.pts);
  if (t.length < 3) return { packets: t.length, missing: 0, span: 0 };
  return { packets: t.length, missing: missingFrames(t), span: t.at(-1)! - t[0]! };
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
  framesQueueDropped: number;
  framesStepped?: number;
  delayMaxMs?: number;
}

interface TimelineEvent {
  kind: string;
  sourceId: string | null;
  atUs: number | null;
  data: { fps?: number; fullFps?: number };
}

/** Seconds each source spent below its full rate, summed, from the ladder's steps. */
function steppedSeconds(events: TimelineEvent[], endUs: number): number {
  const since = new Map<string, number>();
  let total = 0;
  for (const e of events) {
    if (e.kind !== 'capture.stepped' || !e.sourceId || e.atUs === null) continue;
    const was = since.get(e.sourceId);
    if (was !== undefined) total += e.atUs - was;
    since.delete(e.sourceId);
    if ((e.data.fps ?? 0) < (e.data.fullFps ?? 0)) since.set(e.sourceId, e.atUs);
  }
  for (const was of since.values()) total += endUs - was;
  return total / 1e6;
}

interface Result {
  cams: number;
  hog: number;
  random: number;
  /** Frames the cameras made: read by the workers, or lost before the reader got them. */
  read: number;
  stepped: number;
  typing: number[];
  /** From the first key to all 80 characters on the screen (ms). */
  typedMs: number;
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
  o: { hog: number; type: boolean; timeline: () => Promise<TimelineEvent[]> },
): Promise<Result> {
  const browser = await launchChromium();
  const hogs: ChildProcess[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.setDefaultTimeout(30_000);
    await page.addInitScript({ content: WORKER_STATS });
    await page.addInitScript({ content: TYPING });
    await openSession(page, url, session);
    await preflightAndStart(page, cams);
    // Measure once every source is running (the first stats have arrived).
    await page.waitForFunction(
      (n) =>
        Object.keys((globalThis as { __captureStats?: object }).__captureStats ?? {}).length >= n,
      cams + 2,
      { timeout: 60_000 },
    );
    for (let i = 0; i < o.hog; i++) hogs.push(startHog());
    const m0 = machineTicks();
    const b0 = treeTicks(process.pid);
    const e0 = await elapsedSeconds(page);
    let typed = false;
    let typedMs = 0;
    while ((await elapsedSeconds(page)) - e0 < SECONDS) {
      if (o.type && !typed && (await elapsedSeconds(page)) - e0 >= SECONDS / 3) {
        typed = true;
        await page.evaluate('window.__typing.length = 0');
        await page.getByRole('button', { name: '新增第一段（问）' }).click();
        const t0 = performance.now();
        await page.keyboard.type(TYPED.slice(0, 80), { delay: 12 });
        // Until all 80 are on the screen: what the clerk waits for (80 × 12 ms is the floor).
        await page
          .getByRole('textbox', { name: /^第 1 段（/ })
          .and(page.locator(':focus'))
          .waitFor();
        await page.waitForFunction('(document.activeElement?.value?.length ?? 0) >= 80');
        typedMs = performance.now() - t0;
      }
      await page.waitForTimeout(250);
    }
    const typing = o.type ? ((await page.evaluate('window.__typing')) as number[]) : [];
    const m1 = machineTicks();
    const b1 = treeTicks(process.pid);
    const wall = (m1.total - m0.total) / cpus().length / 100; // jiffies are 1/100 s

    for (const h of hogs.splice(0)) h.kill('SIGKILL');
    await endRecording(page);
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
          `dropped ${s?.framesDropped ?? '?'}, stepped ${s?.framesStepped ?? 0}; ` +
          `capture to chunk ${Math.round(s?.delayMaxMs ?? 0)} ms in the last second`,
      );
    }
    const pictures = Object.entries(engine).filter(([id]) => !id.startsWith('mic'));
    const sum = (k: 'framesIn' | 'framesEncoded' | 'framesDropped' | 'framesQueueDropped') =>
      pictures.reduce((s, [, v]) => s + v[k], 0);
    const events = await o.timeline();
    return {
      cams,
      hog: o.hog,
      random: sum('framesDropped'),
      // Frames the queue dropped were read; the rest of the dropped never reached the reader.
      read: sum('framesIn') + sum('framesDropped') - sum('framesQueueDropped'),
      stepped: steppedSeconds(events, Math.max(...events.map((e) => e.atUs ?? 0), span * 1e6)),
      typing,
      typedMs,
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
    for (const h of hogs) h.kill('SIGKILL');
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
    const { caseId, officerIds } = await seedCase(api);
    console.log(
      `capture benchmark: ${COUNTS.join(', ')} cameras at 1280x720@30 + microphone + program, ` +
        `${SECONDS} s each, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`,
    );
    for (const hog of HOGS)
      for (const cams of COUNTS) {
        const sessionId = await createInterview(api, caseId, officerIds);
        const r = await record(host.url, dataDir, { caseId, sessionId }, cams, {
          hog,
          type: cams === Math.max(...COUNTS),
          timeline: () => api.call<TimelineEvent[]>('recording.timeline', { sessionId }),
        });
        results.push(r);
        const pct = (100 * r.dropped) / Math.max(1, r.captured);
        console.log(
          `\n${cams} camera(s) + program, hog=${hog}: captured ${r.captured}, encoded ${r.encoded}, dropped ${r.dropped} ` +
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
    await host.stop();
    if (values.keep) console.log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('');
  for (const r of results)
    console.log(
      `capture: cams=${r.cams} hog=${r.hog} dropped=${((100 * r.dropped) / Math.max(1, r.captured)).toFixed(2)}% ` +
        `random=${((100 * r.random) / Math.max(1, r.read)).toFixed(2)}% stepped=${r.stepped.toFixed(0)}s ` +
        `cpu=${r.machineCpu.toFixed(0)}% mbps=${((r.bytes * 8) / r.seconds / 1e6).toFixed(1)}`,
    );
  for (const r of results.filter((x) => x.typing.length))
    console.log(
      `typing: cams=${r.cams} hog=${r.hog} keys=${r.typing.length} p50_ms=${pct(r.typing, 50).toFixed(1)} p95_ms=${pct(r.typing, 95).toFixed(1)} all_80_ms=${r.typedMs.toFixed(0)}`,
    );
}

await main();
