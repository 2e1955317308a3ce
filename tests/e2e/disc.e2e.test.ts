/**
 * The clerk's disc screen end to end, in Debian's Chromium against the real web host and
 * core: a demonstration case sealed by `attest demo` (synthetic media, signed transcript,
 * sealed bundle), then on #/cases/<id>/discs the bundle is chosen, the plan shown against
 * the medium, the image built (the real xorriso) with progress, saved as the copy (there is
 * no drive here, so the screen offers "save image"), read back and shown verified; the label
 * sheet and the case file index are produced. Waits on UI state, never on time.
 *
 * Needs the route hook (`#/cases/<id>/discs` in renderer/src/app/route.ts and AppShell); the
 * file skips itself, saying so, until that is wired.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../electron/core/demo';
import { launchChromium } from '../helpers/browser';
import { freshDataDir, ROOT, startWebHost, type RunningHost } from '../helpers/webhost';

describe('the evidence disc screen', () => {
  let browser: Browser;
  let host: RunningHost;
  let out: string;
  /** The case's own officer: the case team makes its discs (R6.1). */
  let officer = { username: '', password: '' };

  beforeAll(async () => {
    out = freshDataDir('attest-e2e-disc-');
    let text = '';
    const result = await runDemo(
      { out, seconds: 4, replica: false, verify: { ffprobe: null, pdfsig: null } },
      { out: (t) => (text += t), err: () => undefined },
    );
    expect(result.code).toBe(0);
    const m = /(demo-zhangwei) \/ (\S+) \(officer\)/.exec(text)!;
    officer = { username: m[1]!, password: m[2]! };
    host = await startWebHost({ dataDir: result.dataDir! });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByLabel('用户名').fill(officer.username);
    await page.getByLabel('密码').fill(officer.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('current-user').waitFor();
    return page;
  }

  it('plans, images, saves and verifies a disc, prints its labels and the case file index', async () => {
    const page = await signedIn();
    await page.goto(`${host.url}#/cases/1/discs`);
    await page.getByRole('heading', { name: '证据光盘与案卷目录' }).waitFor();
    const bundles = page.getByTestId('disc-bundles');
    await expect.poll(() => bundles.locator('tbody tr').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('disc-plan').textContent())
      .toMatch(/需 1 张光盘 × 2 份 = 2 张/);
    await page.getByTestId('disc-build').click();
    const set = page.getByTestId('disc-set');
    await set.waitFor({ timeout: 120_000 });
    await expect.poll(() => set.textContent()).toMatch(/第 1 张映像/);
    await page.getByTestId('disc-burn-1-1').click();
    const results = page.getByTestId('disc-results');
    await results.locator('tr[data-result=verified]').first().waitFor({ timeout: 120_000 });
    expect(await results.textContent()).toMatch(/-D1-C1/);
    await page.getByTestId('disc-labels').click();
    await page.getByText(/已生成：.*-labels\.pdf/).waitFor({ timeout: 60_000 });
    const index = page.getByTestId('case-file-index');
    await expect.poll(() => index.textContent()).toMatch(/证据光盘 .*-D1-C1/);
    await page.screenshot({ path: join(ROOT, 'test-results', 'disc-screen.png'), fullPage: true });
    await page.context().close();
  }, 300_000);
});
