/**
 * What every end-to-end file needs around its tests: one Debian Chromium for the file, and
 * per test the web hosts it started (stopped, their data directories removed), the browser
 * contexts it opened and whatever else it asked to close, all cleaned away after the test.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from '../../helpers/browser';
import { ROOT, startWebHost, type RunningHost } from '../../helpers/webhost';

/** Screenshots kept with the test results. */
export const SHOTS = join(ROOT, 'test-results');

export interface E2eHarness {
  /** The file's Chromium (after `beforeAll`). */
  readonly browser: Browser;
  /** A new browser context, closed after the test. */
  context(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
  /** A web host on a fresh (or the given) data directory, stopped and removed after the test. */
  host(options?: Parameters<typeof startWebHost>[0]): Promise<RunningHost>;
  /** Runs `close` after the test (a contract client, say). */
  cleanup(close: () => void): void;
}

/** Call once at the top of an e2e file: registers the hooks and hands out the pieces. */
export function e2eHarness(): E2eHarness {
  let browser: Browser | undefined;
  const hosts: RunningHost[] = [];
  const contexts: BrowserContext[] = [];
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    for (const close of closers.splice(0)) close();
    const stopped = hosts.splice(0);
    for (const h of stopped) await h.stop();
    // Each test made its own data directories; nothing of them is needed afterwards.
    for (const dir of new Set(stopped.map((h) => h.dataDir)))
      rmSync(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    get browser() {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    async context(options) {
      const context = await this.browser.newContext(options);
      contexts.push(context);
      return context;
    },
    async host(options) {
      const h = await startWebHost(options);
      hosts.push(h);
      return h;
    },
    cleanup(close) {
      closers.push(close);
    },
  };
}
