/**
 * Live viewing benchmark: glass-to-glass latency of the live room and what viewers cost the
 * workstation.
 *
 *   npm run build                          # the web host and renderer under out/
 *   npm run bench:observe [-- --seconds 20 --viewers 1,5,10]
 *
 * The desk records the counter clip (tests/helpers/fakeCapture.ts) seen as two cameras in
 * Debian's Chromium through the real session screen, and forwards it live. A legal reviewer
 * with an approved viewing grant watches in a second Chromium (its own browser process), on
 * the observer page. Both pages read the frame counter out of the pictures they show (the
 * desk its own camera preview, the observer the live picture of the same camera) at each
 * frame's display time (requestVideoFrameCallback), on the machine's one clock: the latency
 * of a frame is when the observer shows it minus when the desk showed it.
 *
 * For each count N of --viewers, N headless viewers (mediasoup-client on @roamhq/wrtc, in
 * this process) join as observers with the same grant and take every source: the sound
 * through WebRTC, each picture as a consumer the SFU forwards to them (wrtc decodes no H.264,
 * so those packets go unread, but the SFU sends and encrypts every one). Over --seconds:
 *
 *   p50_ms, p95_ms  the measuring observer's latency over the frames both pages showed;
 *   cpu_core        the web host's process tree (the core and the SFU's worker), in % of one core;
 *   cpu_desk        the desk's Chromium (capture, encoding once, the preview), in % of one core.
 *
 * Prints `observe: viewers=N frames=… p50_ms=… p95_ms=… cpu_core=…% cpu_desk=…%` per count.
 * On a shared 2-core machine the figures are noisy; the desk's share should not grow with N.
 *
 * With `--relay`, `attest relay` runs beside it and the room is piped there: every viewer
 * (the measuring observer too) receives at the relay, and the line adds `cpu_relay`; the
 * workstation's share should then not grow with N at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../tests/helpers/browser';
import { LiveObserver, RelayViewer } from '../tests/helpers/live-peer';
import { startRelay } from '../tests/helpers/webhost';
import { mediasoupWorkerEnv } from '../tests/helpers/worker-bin';
import { openRecordingRoom } from '../tests/e2e/pages/recordingRoom';
import { contractClient } from '../tests/e2e/pages/signing';
import { SignInPage } from '../tests/e2e/pages/auth';
import { reviewerWithGrant } from '../tests/e2e/pages/live';
import { treeTicks } from './bench/harness';

Object.assign(process.env, mediasoupWorkerEnv());

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    viewers: { type: 'string', default: '1,5,10' },
    relay: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const COUNTS = values.viewers.split(',').map(Number);
const PASSWORD = 'bench-password-9';
const TICKS_PER_SECOND = 100;

/**
 * Installs, in a page, a reader of the counter strip on the first video matching `selector`
 * whose caption matches `label`: each counter seen first at its display time (epoch ms).
 */
function watchCounter(page: Page, selector: string, label: string): Promise<void> {
  return page.evaluate(
    ({ selector, label }) => {
      const w = window as unknown as { __seen?: Record<number, number> };
      const seen: Record<number, number> = (w.__seen = {});
      const video = [...document.querySelectorAll<HTMLVideoElement>(selector)].find((v) =>
        (v.closest('figure, .camera__tile, div')?.textContent ?? '').includes(label),
      );
      if (!video) throw new Error(`no video of ${label}`);
      const canvas = new OffscreenCanvas(160, 90);
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
        ctx.drawImage(video, 0, 0, 160, 90);
        const row = ctx.getImageData(0, 45, 160, 1).data;
        let word = 0;
        for (let b = 0; b < 16; b++) word = (word << 1) | (row[(b * 10 + 5) * 4]! > 128 ? 1 : 0);
        const counter = word >> 4;
        const sum =
          ((counter & 0xf) ^ ((counter >> 4) & 0xf) ^ ((counter >> 8) & 0xf) ^ 0b1010) & 0xf;
        if ((word & 0xf) === sum && seen[counter] === undefined)
          seen[counter] = performance.timeOrigin + meta.expectedDisplayTime;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    },
    { selector, label },
  );
}

async function seenOf(page: Page): Promise<Map<number, number>> {
  const raw = await page.evaluate(
    () => (window as unknown as { __seen: Record<number, number> }).__seen,
  );
  const out = new Map<number, number>();
  for (const [k, v] of Object.entries(raw)) out.set(Number(k), v);
  return out;
}

/** The main process of the Chromium whose command line carries `marker` (the desk's: its fake camera). */
function browserPid(marker: string): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(marker) && !cmd.includes('--type=')) return Number(name);
    } catch {
      // ended meanwhile
    }
  }
  return undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const relay = values.relay ? await startRelay() : null;
const room = await openRecordingRoom({
  caseNo: '京人防罚〔2026〕77号',
  ...(relay
    ? {
        env: {
          ATTEST_RELAY_URL: relay.url,
          ATTEST_RELAY_FINGERPRINT: relay.fingerprint,
          ATTEST_RELAY_SECRET: relay.secret,
        },
      }
    : {}),
});
const observers: { close(): void }[] = [];
const closers: (() => void)[] = [];
try {
  const { client, host, page, panel, screen, caseId, sessionId } = room;
  await reviewerWithGrant(host.url, client, caseId, sessionId, PASSWORD);
  const as = async (username: string) => {
    const c = await contractClient(host.url);
    await c.client.invoke('auth.signIn', { username, password: PASSWORD });
    closers.push(() => c.close());
    return c.client;
  };

  await screen.start();
  while ((await panel.elapsedSeconds()) < 2) await page.waitForTimeout(200);
  const desk = page.getByTestId('live-desk');
  await desk.getByRole('button', { name: '开始实时转发' }).click();
  await desk.getByText(/正在实时转发 \d 路/).waitFor();

  const browser = await launchChromium([]);
  closers.push(() => void browser.close());
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    ignoreHTTPSErrors: true,
  });
  const watcher = await ctx.newPage();
  await watcher.goto(host.url);
  await new SignInPage(watcher).signIn('fazhi', PASSWORD);
  // Piped to the relay: the room reaches it within a second or two of forwarding.
  if (relay) await watcher.waitForTimeout(3000);
  await watcher.evaluate((h) => (location.hash = h), `#/live/${caseId}/${sessionId}`);
  await watcher.locator('[data-testid="live-grid"] video').nth(2).waitFor();
  await watcher.waitForTimeout(3000);

  const deskPid = browserPid('--use-file-for-fake-video-capture');
  const hostPid = host.process.pid;
  for (const n of COUNTS) {
    while (observers.length < n) {
      const client = await as('fazhi');
      if (relay) {
        // Admitted and audited by the workstation, received at the relay.
        const w = await client.invoke('live.watch', { sessionId });
        if (!w.relay) throw new Error('the room is not at the relay');
        const viewer = new RelayViewer();
        observers.push(viewer);
        const there = await viewer.enter(w.relay.url, relay.fingerprint, w.relay.ticket);
        for (const p of there.producers) {
          if (p.kind === 'audio') viewer.listen(await viewer.consume(p.producerId));
          else await viewer.forward(p.producerId);
        }
        continue;
      }
      const viewer = new LiveObserver(client);
      observers.push(viewer);
      const w = await viewer.join(sessionId);
      for (const p of w.producers) {
        if (p.kind === 'audio') viewer.listen(await viewer.consume(p.producerId));
      }
      // The pictures: forwarded to this viewer by the SFU (sent, encrypted, unread).
      for (const p of w.producers) if (p.kind === 'video') await viewer.forward(p.producerId);
    }
    await page.waitForTimeout(3000);
    await watchCounter(page, '[data-testid="camera-grid"] video', 'CAM-01');
    await watchCounter(watcher, '[data-testid="live-grid"] video', 'CAM-01');
    const core0 = hostPid ? treeTicks(hostPid) : 0;
    const desk0 = deskPid ? treeTicks(deskPid) : 0;
    const relay0 = relay?.pid ? treeTicks(relay.pid) : 0;
    const t0 = Date.now();
    await page.waitForTimeout(SECONDS * 1000);
    const wall = (Date.now() - t0) / 1000;
    const core1 = hostPid ? treeTicks(hostPid) : 0;
    const desk1 = deskPid ? treeTicks(deskPid) : 0;
    const relay1 = relay?.pid ? treeTicks(relay.pid) : 0;
    const shown = await seenOf(page);
    const watched = await seenOf(watcher);
    const lat: number[] = [];
    for (const [counter, at] of watched) {
      const d = shown.get(counter);
      if (d !== undefined && at - d > -50 && at - d < 5000) lat.push(at - d);
    }
    lat.sort((a, b) => a - b);
    const pct = (ticks: number) => ((100 * ticks) / TICKS_PER_SECOND / wall).toFixed(0);
    console.log(
      `observe: viewers=${n} frames=${lat.length} p50_ms=${lat.length ? percentile(lat, 50).toFixed(0) : 'n/a'} ` +
        `p95_ms=${lat.length ? percentile(lat, 95).toFixed(0) : 'n/a'} cpu_core=${pct(core1 - core0)}% ` +
        `cpu_desk=${pct(desk1 - desk0)}%` +
        (relay ? ` cpu_relay=${pct(relay1 - relay0)}%` : ''),
    );
  }
  await panel.end();
} finally {
  for (const o of observers) o.close();
  for (const c of closers) c();
  await room.close();
  await relay?.stop();
}
// node-webrtc's native peers can crash Node as it tears them down at exit: leave at once
// once every peer is closed and the figures are out.
setTimeout(() => process.exit(0), 500);
