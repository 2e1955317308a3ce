/**
 * Typing latency in a 5,000-turn transcript (item 5).
 *
 *   npx electron-vite build                        # the web host and renderer under out/
 *   node scripts/bench-transcript.ts [--turns 5000] [--keys 200]
 *
 * Starts the built web host on a fresh data directory, seeds an interview through the
 * contract (a second WebSocket from the page: setup, officers, case, session, start, then
 * `transcripts.apply` in batches of 200 turns), opens the session screen in Debian's
 * Chromium, puts the caret at the end of a turn near the end of the transcript and presses
 * keys one at a time. For each key it takes, inside the page:
 *
 *   frame    keydown (event time stamp) → the next animation frame, checked to show the new
 *            text: what the brief calls per-keystroke latency (the headline figures);
 *   work     keydown → the DOM updated and laid out (end of the input task, layout forced):
 *            the main-thread cost of a keystroke, without waiting for the display's frame;
 *   painted  keydown → after that frame was produced (rAF, then a posted message).
 *
 * Keys are pressed one after another, each once the previous one was painted, so a sample
 * is never queued behind another. Runs on Node 24 with type stripping; no build step.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startHost, WEB } from './bench/harness.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '5000' },
    keys: { type: 'string', default: '200' },
    /** Also print where the renderer's main thread spent its time while typing. */
    profile: { type: 'boolean', default: false },
    /** Saves screenshots (after typing, and scrolled to the middle) to this path prefix. */
    screenshot: { type: 'string' },
  },
});
const TURNS = Number(values.turns);
const KEYS = Number(values.keys);
const ADMIN = { username: 'bench', password: 'bench-password-1', displayName: '基准测试' };

/** The few browser globals the page functions use (this file type-checks with Node's lib). */
interface PageGlobals {
  document: {
    activeElement: { value?: string } | null;
    querySelector(s: string): { content?: string } | null;
    querySelectorAll(s: string): { length: number };
    addEventListener(type: string, l: (e: { timeStamp: number }) => void, capture?: boolean): void;
    body: { offsetHeight: number };
  };
  location: { host: string; hash: string };
  performance: { now(): number };
  requestAnimationFrame(cb: () => void): number;
  MessageChannel: new () => {
    port1: { onmessage: (() => void) | null };
    port2: { postMessage(v: unknown): void };
  };
  WebSocket: new (url: string) => {
    onopen: (() => void) | null;
    onerror: ((e: unknown) => void) | null;
    onmessage: ((e: { data: string }) => void) | null;
    send(text: string): void;
    close(): void;
  };
  bench?: { frame: number[]; work: number[]; painted: number[]; done: number; lengths: number[] };
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
}

const f1 = (n: number) => n.toFixed(1);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function over the typing run, the top 15 (idle and program excluded). */
function printProfile(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let busy = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const dt = (profile.timeDeltas?.[i] ?? 0) / 1000;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return;
    busy += dt;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  console.log(`profile: ${f1(busy)} ms of script and GC while typing; top self times:`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`  ${f1(ms).padStart(7)} ms  ${name}`);
}

async function main() {
  if (!existsSync(WEB)) throw new Error(`${WEB} is missing: run npx electron-vite build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const host = await startHost(dataDir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(host.url);
    await page.getByRole('heading', { name: '创建管理员账户' }).waitFor();

    const seeded = Date.now();
    const ids = await page.evaluate(
      async ({ admin, turns }) => {
        const w = globalThis as unknown as PageGlobals;
        const token = w.document.querySelector('meta[name="attest-host-token"]')?.content ?? '';
        const ws = new w.WebSocket(`ws://${w.location.host}/rpc?token=${token}`);
        await new Promise<void>((res, rej) => {
          ws.onopen = () => res();
          ws.onerror = rej;
        });
        let next = 0;
        const waiting = new Map<number, { res: (v: unknown) => void; rej: (e: Error) => void }>();
        ws.onmessage = (e) => {
          const f = JSON.parse(e.data) as {
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
          else p.rej(new Error(`${f.error.code}: ${f.error.message} ${JSON.stringify(f.error)}`));
        };
        const call = <T>(method: string, input: unknown) =>
          new Promise<T>((res, rej) => {
            const id = ++next;
            waiting.set(id, {
              res: res as (v: unknown) => void,
              rej: (e) => rej(new Error(`${method}: ${e.message}`)),
            });
            ws.send(JSON.stringify({ t: 'req', id, method, input }));
          });
        await call('auth.setup', admin);
        await call('auth.signIn', { username: admin.username, password: admin.password });
        const a = await call<{ id: number }>('officers.create', {
          name: '张伟',
          certificateNo: 'ZF-1101-0001',
        });
        const b = await call<{ id: number }>('officers.create', {
          name: '李娜',
          certificateNo: 'ZF-1101-0002',
        });
        const c = await call<{ id: number }>('cases.create', {
          caseNo: '京人防罚〔2026〕99号',
          cause: '未按规定修建防空地下室',
          matterKind: 'penalty',
          origin: { kind: 'ex_officio', reason: '日常巡查' },
          officerIds: [a.id, b.id],
        });
        const s = await call<{ id: number }>('sessions.create', {
          caseId: c.id,
          kind: 'interview',
          place: '市人防办执法大队',
          room: '2号询问室',
          officers: [
            { officerId: a.id, role: 'interviewer' },
            { officerId: b.id, role: 'recorder' },
          ],
          participants: [{ role: 'party', name: '王小明' }],
        });
        await call('sessions.start', { id: s.id });
        // Turns of realistic length: a question, a longer answer, now and then two lines.
        const sentence =
          '关于该住宅项目防空地下室的建设情况，请你如实说明当时的设计、审批和施工经过。';
        // The interview's first steps, on the timeline among the first turns.
        const steps = ['identity_shown', 'recording_announced', 'rights_explained'];
        let seq = (
          await call<{ seq: number }>('transcripts.apply', {
            sessionId: s.id,
            baseSeq: 0,
            actions: steps.map((kind, k) => ({
              type: 'marker.add',
              id: `m${k}`,
              kind,
              at: k * 4000 + 500,
              note: '',
            })),
          })
        ).seq;
        for (let start = 0; start < turns; start += 200) {
          const actions = [];
          for (let i = start; i < Math.min(turns, start + 200); i++) {
            const text =
              i % 2 === 0
                ? `第${i + 1}问：${sentence.slice(0, 20 + (i % 17))}？`
                : `${sentence}${i % 25 === 1 ? `\n补充说明：第${i}项材料已提交。` : ''}`;
            actions.push({
              type: 'turn.add',
              id: `t${i}`,
              speaker: i % 2 === 0 ? 'question' : 'answer',
              text,
              at: i * 3000,
            });
          }
          seq = (
            await call<{ seq: number }>('transcripts.apply', {
              sessionId: s.id,
              baseSeq: seq,
              actions,
            })
          ).seq;
        }
        ws.close();
        return { caseId: c.id, sessionId: s.id };
      },
      { admin: ADMIN, turns: TURNS },
    );
    const seedMs = Date.now() - seeded;

    // Sign in through the UI (the page still shows first-run setup: reload), then open the
    // session screen.
    await page.reload();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByLabel('用户名').fill(ADMIN.username);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByLabel('密码').press('Enter');
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    const opened = Date.now();
    await page.evaluate(({ caseId, sessionId }) => {
      (globalThis as unknown as PageGlobals).location.hash =
        `#/cases/${caseId}/sessions/${sessionId}`;
    }, ids);
    const target = TURNS - 5;
    const box = page.getByRole('textbox', { name: new RegExp(`^第 ${target} 段（`) });
    await box.waitFor();
    const openMs = Date.now() - opened;
    await page.getByTestId('save-state').filter({ hasText: '已保存' }).waitFor();
    await box.click();
    await page.keyboard.press('Control+End');
    const rendered = await page.evaluate(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelectorAll('.transcript__row').length,
    );

    await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      const bench = {
        frame: [] as number[],
        work: [] as number[],
        painted: [] as number[],
        done: 0,
        lengths: [] as number[],
      };
      w.bench = bench;
      w.document.addEventListener(
        'keydown',
        (e) => {
          const t0 = e.timeStamp;
          // After React's work for the input event (its updates flush in microtasks).
          w.document.addEventListener(
            'input',
            () => {
              queueMicrotask(() => {
                void w.document.body.offsetHeight; // style and layout, as the frame would
                bench.work.push(w.performance.now() - t0);
              });
            },
            { once: true } as unknown as boolean,
          );
          w.requestAnimationFrame(() => {
            bench.frame.push(w.performance.now() - t0);
            bench.lengths.push(w.document.activeElement?.value?.length ?? -1);
            const ch = new w.MessageChannel();
            ch.port1.onmessage = () => {
              bench.painted.push(w.performance.now() - t0);
              bench.done++;
            };
            ch.port2.postMessage(0);
          });
        },
        true,
      );
    });

    const cdp = values.profile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const startLength = (await box.inputValue()).length;
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < KEYS; i++) {
      await page.keyboard.press(letters[i % letters.length]!);
      await page.waitForFunction(
        (n) => ((globalThis as unknown as PageGlobals).bench?.done ?? 0) >= n,
        i + 1,
        { polling: 'raf' },
      );
    }
    if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
    const bench = await page.evaluate(() => (globalThis as unknown as PageGlobals).bench!);
    const finalLength = (await box.inputValue()).length;
    if (finalLength !== startLength + KEYS)
      throw new Error(`typed ${KEYS} keys but the turn grew by ${finalLength - startLength}`);
    // Every frame after a key already showed that key's text.
    const late = bench.lengths.filter((len, i) => len !== startLength + i + 1).length;
    await page.getByTestId('save-state').filter({ hasText: '已保存' }).waitFor();

    if (values.screenshot) {
      await page.screenshot({ path: `${values.screenshot}-end.png` });
      // Scroll to the middle by hand, as a reader would, and let the rows be measured.
      const scroller = page.getByTestId('transcript-scroll');
      await scroller.evaluate((el: unknown) => {
        const box = el as { scrollTop: number; scrollHeight: number };
        box.scrollTop = box.scrollHeight / 2;
      });
      await page
        .getByRole('textbox', { name: /^第 2\d{3} 段（/ })
        .first()
        .waitFor();
      await page.mouse.move(900, 600);
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(300); // a screenshot for a person to look at, not a test
      await page.screenshot({ path: `${values.screenshot}-middle.png` });
    }

    const frame = stats(bench.frame);
    const work = stats(bench.work);
    const painted = stats(bench.painted);
    console.log(
      `seeded ${TURNS} turns in ${seedMs} ms; session screen showed turn ${target} after ${openMs} ms`,
    );
    console.log(
      `rows in the DOM: ${rendered} of ${TURNS + 3}; frames not yet showing their key: ${late}`,
    );
    console.log(
      `work    (keydown → DOM updated, laid out): p50 ${f1(work.p50)}  p95 ${f1(work.p95)}  max ${f1(work.max)} ms`,
    );
    console.log(
      `painted (keydown → after the next frame):  p50 ${f1(painted.p50)}  p95 ${f1(painted.p95)}  max ${f1(painted.max)} ms`,
    );
    console.log(
      `transcript: turns=${TURNS} keys=${KEYS} p50_ms=${f1(frame.p50)} p95_ms=${f1(frame.p95)} max_ms=${f1(frame.max)} work_p95_ms=${f1(work.p95)}`,
    );
  } finally {
    await browser.close();
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
