/**
 * Soak benchmark: a long recording through the real session screen in Debian's Chromium,
 * with the file length shortened so the file change happens many times, and the clerk
 * typing 问/答 turns along the way. Everything it judges is measured from the files on disk
 * (ffprobe), not from the app's own counters.
 *
 *   npx electron-vite build
 *   npm run bench:soak -- --minutes 60 --segment-seconds 300 --cams 4 [--turn-every 60] [--keep]
 *
 * It starts the built web host with `--segment-seconds`, seeds a case with numbered devices,
 * records `--cams` fake cameras with the microphone and the program file for `--minutes`
 * of session time, then ends the recording and reads every file of the session:
 *
 *   rotation  for every source and every change from one file to the next, on the session
 *             clock (each file's timestamps are session time): the overlap (a frame in both
 *             files, or sound whose last real sample ends after the next file's first) and,
 *             for video, the frames missing across the change (a step of k frame intervals
 *             is k − 1);
 *   lost      camera frames missing inside files and across changes;
 *   memory    the resident memory of the page's renderer process and its JS heap, sampled
 *             every minute (the series is printed); the start figure is the first sample a
 *             minute in, once every source's capture and encoder runs.
 *
 * Its last two lines are
 *   rotation: sources=K changes=C max_overlap_ms=X max_hole_frames=Y
 *   soak: minutes=M cams=N lost_frames=L renderer_mib_start=A renderer_mib_end=B
 * The goal is X = 0 and Y = 0 for 4 cameras over 60 minutes with 5-minute files, and flat
 * memory. The machine is shared with whatever else runs: figures are noisy.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import {
  WEB,
  audioTable,
  contract,
  createInterview,
  elapsedSeconds,
  endRecording,
  frameInterval,
  launchChromium,
  missingFrames,
  openSession,
  opusPreSkip,
  packetTimes,
  preflightAndStart,
  rendererMiB,
  seedCase,
  startHost,
} from './bench/harness.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    'segment-seconds': { type: 'string', default: '300' },
    cams: { type: 'string', default: '4' },
    /** Seconds between the turns the clerk types. */
    'turn-every': { type: 'string', default: '60' },
    /** Keeps the data directory (the recorded files) and prints where it is. */
    keep: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const SEGMENT_SECONDS = Number(values['segment-seconds']);
const CAMS = Number(values.cams);
const TURN_EVERY = Number(values['turn-every']);

const QUESTIONS = [
  ['请说明你的姓名和身份证号码。', '我叫王小明，身份证号码是……'],
  ['该项目是否修建了防空地下室？', '没有修建。'],
  ['你是否知道应当修建防空地下室？', '知道，但是资金不足。'],
  ['是否缴纳了易地建设费？', '还没有缴纳。'],
  ['以上情况是否属实？', '属实。'],
] as const;

/** Types the n-th turn (1-based): Enter at the end of a turn opens the next, the other speaker. */
async function typeTurn(page: Page, n: number, text: string): Promise<void> {
  if (n === 1) {
    await page.getByRole('button', { name: '新增第一段（问）' }).click();
  } else {
    await page.getByRole('textbox', { name: new RegExp(`^第 ${n - 1} 段（`) }).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
  }
  await page.keyboard.type(text, { delay: 20 });
}

interface Memory {
  minute: number;
  rssMiB: number;
  heapMiB: number;
}

interface Boundary {
  source: string;
  stream: 'video' | 'audio';
  from: string;
  to: string;
  overlapMs: number;
  holeFrames: number;
  holeMs: number;
}

/** Every change from one file to the next of each source, measured from the files. */
function measureChanges(dir: string): { boundaries: Boundary[]; sources: number; lost: number } {
  const bySource = new Map<string, string[]>();
  for (const name of readdirSync(dir).sort()) {
    const m = /^(.+)-(\d+)\.mp4$/.exec(name);
    if (!m) continue;
    bySource.set(m[1]!, [...(bySource.get(m[1]!) ?? []), name]);
  }
  const boundaries: Boundary[] = [];
  let lost = 0;
  for (const [source, files] of bySource) {
    for (const stream of ['video', 'audio'] as const) {
      const runs = files.map((f) => ({
        name: f,
        packets: packetTimes(join(dir, f), stream === 'video' ? 'v:0' : 'a:0'),
      }));
      if (runs.every((r) => r.packets.length === 0)) continue;
      const interval = frameInterval(runs.flatMap((r) => r.packets.map((p) => p.pts)));
      if (stream === 'video' && source.startsWith('cam'))
        for (const r of runs)
          lost += missingFrames(
            r.packets.map((p) => p.pts),
            interval,
          );
      for (let i = 1; i < runs.length; i++) {
        const a = runs[i - 1]!.packets.at(-1);
        const b = runs[i]!.packets[0];
        if (!a || !b) continue;
        // Sound ends where its sample table ends, less the Opus pre-skip the last packet
        // carries (a decoder drops it at the start of the next file); pictures where the
        // last frame's duration ends.
        const end =
          stream === 'audio'
            ? audioTable(join(dir, runs[i - 1]!.name)).end -
              opusPreSkip(join(dir, runs[i - 1]!.name))
            : a.pts + (a.dur || interval);
        // Pictures overlap when a frame is in both files: the old file's last frame starts at
        // or after the new file's first (its declared duration is only the muxer's guess).
        const overlapS =
          stream === 'video' ? (a.pts >= b.pts ? a.pts - b.pts + interval : 0) : end - b.pts;
        const holeFrames =
          stream === 'video' && interval > 0
            ? Math.max(0, Math.round((b.pts - a.pts) / interval) - 1)
            : 0;
        if (stream === 'video' && source.startsWith('cam')) lost += holeFrames;
        boundaries.push({
          source,
          stream,
          from: runs[i - 1]!.name,
          to: runs[i]!.name,
          overlapMs: Math.max(0, overlapS * 1000),
          holeFrames,
          holeMs: Math.max(0, (b.pts - end) * 1000),
        });
      }
    }
  }
  return { boundaries, sources: bySource.size, lost };
}

async function main() {
  if (!existsSync(WEB)) throw new Error(`${WEB} is missing: run npx electron-vite build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-soak-'));
  const host = await startHost(dataDir, ['--segment-seconds', String(SEGMENT_SECONDS)]);
  const browser = await launchChromium();
  const memory: Memory[] = [];
  try {
    const api = await contract(host.url);
    const { caseId, officerIds } = await seedCase(api);
    const sessionId = await createInterview(api, caseId, officerIds);
    api.close();
    console.log(
      `soak benchmark: ${CAMS} camera(s) + microphone + program for ${MINUTES} min, ` +
        `a new file every ${SEGMENT_SECONDS} s, a turn typed every ${TURN_EVERY} s`,
    );

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.setDefaultTimeout(60_000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const sample = async (minute: number) => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      const m: Memory = { minute, rssMiB: rendererMiB(process.pid), heapMiB: heap / 2 ** 20 };
      memory.push(m);
      console.log(
        `  minute ${minute}: renderer ${m.rssMiB.toFixed(0)} MiB resident, JS heap ${m.heapMiB.toFixed(1)} MiB`,
      );
    };

    await openSession(page, host.url, { caseId, sessionId });
    await preflightAndStart(page, CAMS);
    await sample(0);
    let turn = 0;
    let nextTurn = 5;
    let nextSample = 60;
    for (;;) {
      const t = await elapsedSeconds(page);
      if (t >= MINUTES * 60) break;
      if (t >= nextTurn) {
        const [q, a] = QUESTIONS[Math.floor(turn / 2) % QUESTIONS.length]!;
        await typeTurn(page, ++turn, q);
        await typeTurn(page, ++turn, a);
        nextTurn = t + TURN_EVERY;
      }
      if (t >= nextSample) {
        await sample(Math.round(t / 60));
        nextSample += 60;
      }
      await page.waitForTimeout(500);
    }
    await sample(MINUTES);
    await endRecording(page);

    const dir = join(dataDir, 'sessions', String(sessionId), 'media');
    const { boundaries, sources, lost } = measureChanges(dir);
    for (const b of boundaries)
      console.log(
        `  ${b.from} → ${b.to} ${b.stream}: overlap ${b.overlapMs.toFixed(1)} ms, ` +
          (b.stream === 'video'
            ? `${b.holeFrames} frame(s) missing`
            : `hole ${b.holeMs.toFixed(1)} ms`),
      );
    const maxOverlap = Math.max(0, ...boundaries.map((b) => b.overlapMs));
    const maxHole = Math.max(0, ...boundaries.map((b) => b.holeFrames));
    const maxAudioHole = Math.max(
      0,
      ...boundaries.filter((b) => b.stream === 'audio').map((b) => b.holeMs),
    );
    const changes = new Set(boundaries.map((b) => `${b.source}:${b.to}`)).size;
    console.log(
      `  turns typed: ${turn}; largest hole in sound at a change: ${maxAudioHole.toFixed(1)} ms`,
    );
    console.log(
      `rotation: sources=${sources} changes=${changes} max_overlap_ms=${maxOverlap.toFixed(1)} max_hole_frames=${maxHole}`,
    );
    console.log(
      `soak: minutes=${MINUTES} cams=${CAMS} lost_frames=${lost} ` +
        `renderer_mib_start=${(memory.find((m) => m.minute >= 1) ?? memory[0]!).rssMiB.toFixed(0)} ` +
        `renderer_mib_end=${memory.at(-1)!.rssMiB.toFixed(0)}`,
    );
  } finally {
    await browser.close();
    await host.stop();
    if (values.keep) console.log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
