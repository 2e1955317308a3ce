/**
 * Sealing end to end in Chromium against the real web host and core: a session ready to
 * seal is built through the contract by the demo's builder (synthetic media streamed into the
 * recorder, the record signed page by page and by two officers) on a scripted clock that
 * ended the recording 21 hours ago; the officer seals it on the session screen, sees the
 * bundle (where, its tag-manifest hash) and the verification report "通过"; the storage
 * deadline shows amber (within 4 hours of the 24); an admin adds a folder target in the
 * storage settings and tests it; the session then shows "已存储并核验", and still does after
 * a reload. Waits on UI state only.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSession } from '../../electron/core/demo/session';
import { removeTree } from '../../electron/core/platform/fs';
import { launchChromium } from '../helpers/browser';
import { signedDemoSession } from '../helpers/sealing';
import { ROOT, startWebHost, type RunningHost } from '../helpers/webhost';
import { SignInPage } from './pages/auth';

const SHOTS = join(ROOT, 'test-results');
const DESK = { width: 1440, height: 900 };

let browser: Browser;
let context: BrowserContext | null = null;
let host: RunningHost | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.stop();
  for (const d of dirs) await removeTree(d).catch(() => undefined);
});

/**
 * A data directory holding a signed, ended interview whose recording ended 21 h ago: the
 * same contract and services as the app, on a scripted clock (the workstation identity is
 * made for that clock too, so the record's signing time lies inside its validity).
 */
async function seed(): Promise<{ dataDir: string; demo: DemoSession }> {
  const made = await signedDemoSession('attest-e2e-seal-', 21 + 10 / 60, 6);
  dirs.push(made.dataDir);
  return made;
}

async function shot(page: Page, name: string, selector?: string): Promise<void> {
  const path = join(SHOTS, name);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

describe('sealing in the app', () => {
  it('seals a session, verifies it, and shows it stored once a target is configured', async () => {
    const { dataDir, demo } = await seed();
    host = await startWebHost({ dataDir });
    context = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    // The case's own officer seals (the case team sees where the bag lies).
    await new SignInPage(page).signIn(
      demo.accounts.officer.username,
      demo.accounts.officer.password,
    );

    // The session screen: the record is complete, so the panel offers to seal it.
    await page.goto(`${host.url}#/cases/${demo.caseId}/sessions/${demo.sessionId}`);
    const panel = page.getByTestId('seal-panel');
    await panel.getByText('记录已完整，可以封存').waitFor();
    // No time-stamping authority here: the panel says the seal's time is this clock's alone.
    await panel.getByTestId('seal-no-tsa').getByText('未配置可信时间戳服务').waitFor();
    // Before the seal, the compliance report: every rule the interview meets, with its evidence.
    const compliance = panel.getByTestId('compliance');
    await compliance.getByText('各项均符合').waitFor();
    await compliance.getByText(/事先告知当事人正在录音录像：于 \d{2}:\d{2}:\d{2} 标记/).waitFor();
    expect(await compliance.getByTestId('compliance-item').count()).toBe(9);
    await shot(page, 'sealing-0-no-tsa.png', '[data-testid="seal-panel"]');
    await panel.getByTestId('seal-button').click();
    const dialog = page.getByRole('dialog', { name: '封存本次记录' });
    await dialog.getByLabel('随案卷保存 3 年').waitFor();
    expect(await dialog.getByLabel('随案卷保存 3 年').isChecked()).toBe(true);
    // Long-term retention asks for its reason (R4.4).
    await dialog.getByLabel('长期保存').check();
    await dialog.getByRole('button', { name: '确认封存' }).click();
    await dialog.getByText('长期保存的理由').waitFor();
    expect(await dialog.getByRole('alert').count()).toBeGreaterThan(0);
    await dialog.getByLabel('长期保存的理由').fill('当事人对调查结论有异议');
    await shot(page, 'sealing-1-dialog.png', 'dialog[open]');
    await dialog.getByRole('button', { name: '确认封存' }).click();

    // The bundle: sealed, where it lies, the hash the signature vouches for.
    const facts = panel.getByTestId('bundle-facts');
    await facts.waitFor();
    const path = (await panel.getByTestId('bundle-path').textContent())!;
    expect(path).toContain(join(dataDir, 'archive'));
    expect(existsSync(path)).toBe(true);
    expect(await panel.getByTestId('bundle-hash').textContent()).toMatch(/^[0-9a-f]{128}$/);
    expect(await facts.textContent()).toContain('长期保存：当事人对调查结论有异议');
    await page.getByTestId('session-status').getByText('已封存').waitFor();

    // Verification: the report says 通过, check by check.
    await panel.getByTestId('verify-button').click();
    await panel.getByTestId('verify-verdict').getByText('核验通过').waitFor();
    const report = panel.getByTestId('verify-report');
    expect(await report.textContent()).toContain('结论: 通过');
    expect(await panel.locator('.seal__check--fail').count()).toBe(0);
    expect(await panel.locator('.seal__check--pass').count()).toBeGreaterThanOrEqual(7);

    // The 24-hour rule: no target yet, and the deadline is under 4 hours away: amber.
    const deadline = panel.getByTestId('storage-deadline');
    await deadline.getByText(/须于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前存储/).waitFor();
    expect(await deadline.getAttribute('data-tone')).toBe('warn');
    expect(await deadline.textContent()).toMatch(/即将到期，剩余 [23] 小时 \d+ 分/);
    await panel.getByText('尚未配置存储目标').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'sealing-2-sealed-verified.png', '[data-testid="seal-panel"]');

    // Storage settings (admin): a folder target, tested by a probe read back. The
    // administrator is not on the case team: the bag's place is not shown to them.
    await page.reload();
    await new SignInPage(page).signIn(demo.accounts.admin.username, demo.accounts.admin.password);
    await page.goto(`${host.url}#/cases/${demo.caseId}/sessions/${demo.sessionId}`);
    await panel.getByTestId('bundle-path-hidden').waitFor();
    await page.goto(`${host.url}#/cases`);
    const share = mkdtempSync(join(tmpdir(), 'attest-e2e-share-'));
    dirs.push(share);
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '存储设置' })
      .click();
    await page.getByRole('heading', { level: 1, name: '存储目标' }).waitFor();
    const form = page.getByRole('form', { name: '添加存储目标' });
    await form.getByLabel('名称').fill('档案室 NAS');
    expect(await form.getByLabel('类型').inputValue()).toBe('folder');
    await form.getByLabel(/文件夹路径/).fill(share);
    await form.getByRole('button', { name: '添加存储目标' }).click();
    await page.getByText('已添加存储目标“档案室 NAS”。').waitFor();
    const table = page.getByTestId('storage-targets');
    const row = table.getByRole('row', { name: /档案室 NAS/ });
    await row.getByText('已存储 1，待复制 0').waitFor();
    await row.getByRole('button', { name: '测试' }).click();
    await page
      .getByTestId('storage-test-result')
      .getByText(/测试通过/)
      .waitFor();
    // The SFTP form asks for its secrets as password inputs.
    await form.getByLabel('类型').selectOption('sftp');
    expect(await form.getByLabel('密码', { exact: true }).getAttribute('type')).toBe('password');
    await form.getByLabel('类型').selectOption('folder');
    await shot(page, 'sealing-3-storage-settings.png');

    // Back on the session: stored and verified, and still so after a reload.
    await page.goBack();
    await page.goBack();
    await page.goto(`${host.url}#/cases/${demo.caseId}/sessions/${demo.sessionId}`);
    await panel.getByTestId('storage-deadline').getByText('已存储并核验').first().waitFor();
    expect(await panel.getByTestId('storage-deadline').getAttribute('data-tone')).toBe('stored');
    await panel.getByTestId('replication-row').getByText('档案室 NAS').waitFor();
    await page.reload();
    await new SignInPage(page).signIn(demo.accounts.admin.username, demo.accounts.admin.password);
    await panel.getByTestId('storage-deadline').getByText('已存储并核验').first().waitFor();
    await panel.getByTestId('verify-verdict').getByText('核验通过').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'sealing-4-stored.png', '[data-testid="seal-panel"]');
    await shot(page, 'sealing-5-session-page.png');

    // English.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await panel.getByText('Stored and verified').first().waitFor();
    await panel.getByText('Verification passed').waitFor();
    await shot(page, 'sealing-6-english.png', '[data-testid="seal-panel"]');
    expect(errors).toEqual([]);
  }, 240_000);
});
