/**
 * The supervision screen in Chromium against the real web host and core, on a generated year
 * of records: the legal-affairs office counts 2026 for every unit and for one, every figure on
 * the screen equals the count this test makes from what was generated, a number and a chart
 * bar each open the cases behind them, and the CSV downloaded carries the screen's numbers.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core';
import { connectInMemory } from '../../electron/core/transports/memory';
import { openDatabase } from '../../electron/core/platform/db/database';
import { removeTree } from '../../electron/core/platform/fs';
import type { StatsScope } from '../../electron/shared/api/statistics';
import { STAT_METRIC_INFO, STAT_METRICS } from '../../electron/shared/rules/statistics';
import { launchChromium } from '../helpers/browser';
import { ADMIN } from '../helpers/core';
import { expectedFigures, generateYear, type YearData } from '../helpers/stats-data';
import { freshDataDir, ROOT, startWebHost, type RunningHost } from '../helpers/webhost';
import { SignInPage } from './pages/auth';

const SHOTS = join(ROOT, 'test-results');
const FROM = Date.UTC(2025, 11, 31, 16);
const TO = Date.UTC(2026, 11, 31, 16);
const UNITS = ['执法一队', '执法二队', null] as const;

let browser: Browser;
let host: RunningHost;
let data: YearData;
let filingDays: number;
const dataDir = freshDataDir('attest-e2e-stats-');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const core = openCore({ dataDir, log: () => undefined });
  const client = connectInMemory(core);
  await client.invoke('auth.setup', ADMIN);
  await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  await client.invoke('app.setTimeZone', { timeZone: 'Asia/Shanghai' });
  client.close();
  core.close();
  const db = openDatabase(join(dataDir, 'attest.db'));
  try {
    const admin = db.prepare('SELECT id FROM users').get() as { id: number };
    data = generateYear(db, {
      cases: 160,
      sessions: 700,
      audit: 4000,
      from: FROM,
      units: UNITS,
      userId: admin.id,
      seed: 11,
    });
    filingDays = (
      db.prepare('SELECT filing_days FROM case_file_policy').get() as { filing_days: number }
    ).filing_days;
  } finally {
    db.close();
  }
  host = await startWebHost({ dataDir });
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await removeTree(dataDir).catch(() => undefined);
});

/** Every number the screen shows, by metric and part, from the buttons' values. */
async function shown(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('[data-testid^="stat-"][data-value]')].map(
        (el) => [el.dataset.testid!.slice(5), Number(el.dataset.value)],
      ),
    ),
  );
}

/** The same, counted from what was generated, as of the moment the screen counted. */
function wanted(scope: StatsScope, now: number): Record<string, number> {
  const want = expectedFigures(data, scope, now, filingDays);
  const out: Record<string, number> = {};
  for (const metric of STAT_METRICS) {
    const parts = want.get(metric) ?? new Map();
    let total = 0;
    for (const f of parts.values()) total += f.value;
    out[`${metric}-total`] = total;
    for (const key of STAT_METRIC_INFO[metric].keys ?? [])
      out[`${metric}-${key}`] = parts.get(key)?.value ?? 0;
  }
  return out;
}

async function count(page: Page, unit: string): Promise<number> {
  const form = page.getByRole('form', { name: '统计期间' });
  await form.getByLabel('起始日期').fill('2026-01-01');
  await form.getByLabel('截止日期').fill('2026-12-31');
  await form.getByLabel('承办单位').selectOption({ label: unit });
  const before = await page.getByTestId('stats-counted-at').getAttribute('data-at');
  await form.getByRole('button', { name: '统计', exact: true }).click();
  await page.waitForFunction(
    (b) =>
      document.querySelector('[data-testid="stats-counted-at"]')?.getAttribute('data-at') !== b,
    before,
  );
  return Number(await page.getByTestId('stats-counted-at').getAttribute('data-at'));
}

describe('the supervision screen', () => {
  it('shows every figure as the records say, drills down, and exports the same numbers', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await new SignInPage(page).signIn(ADMIN.username, ADMIN.password);
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: '统计监督' })
      .click();
    await page.getByRole('heading', { name: '统计监督' }).waitFor();
    await page.getByTestId('stats-counted-at').waitFor();

    let at = await count(page, '全部单位');
    expect(await shown(page)).toEqual(wanted({ from: FROM, to: TO }, at));
    await page.getByTestId('stat-cases_by_phase').locator('svg').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'statistics.png'), fullPage: true });

    at = await count(page, '执法二队');
    const unitScope = { from: FROM, to: TO, unit: '执法二队' };
    expect(await shown(page)).toEqual(wanted(unitScope, at));

    // A number opens the cases behind it: each listed once, all of them of the unit.
    const want = expectedFigures(data, unitScope, at, filingDays);
    const disk = want.get('interruptions')!;
    const [reason, figure] = [...disk].sort((a, b) => b[1].value - a[1].value)[0]!;
    await page.getByTestId(`stat-interruptions-${reason}`).click();
    const drill = page.getByTestId('stats-drill');
    await drill.getByRole('table').waitFor();
    const caseNos = await drill.locator('tbody tr td:first-child').allInnerTexts();
    const numberOf = new Map(data.cases.map((c, i) => [c.id, `统计〔11〕${i + 1}号`]));
    expect(new Set(caseNos)).toEqual(new Set([...figure.cases].map((id) => numberOf.get(id))));
    expect(await drill.locator('tbody tr td:nth-child(4)').allInnerTexts()).toEqual(
      caseNos.map(() => '执法二队'),
    );
    await page.screenshot({ path: join(SHOTS, 'statistics-drill.png') });
    await drill.getByRole('button', { name: '关闭' }).click();

    // A bar of the chart opens its part: the phases' chart, the bar of 调查取证.
    // The bars are the paths in the series' colour, in the order of the phases.
    const chart = page.getByTestId('stat-chart-cases_by_phase');
    await chart.getByText('调查取证').waitFor();
    const investigation = want.get('cases_by_phase')!.get('investigation')!;
    await chart.locator('path[fill="#3b6fd4"]').nth(1).click();
    await drill.getByRole('table').waitFor();
    expect(await drill.getByRole('heading').innerText()).toContain('调查取证');
    expect(await drill.locator('tbody tr').count()).toBe(investigation.cases.size);

    // The CSV carries the screen's numbers.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    const total = (metric: string) =>
      String((wanted(unitScope, at) as Record<string, number>)[`${metric}-total`]);
    expect(csv).toContain('单位,执法二队');
    expect(csv).toMatch(new RegExp(`拒绝签名,合计,${total('refusals')},`));
    expect(csv).toMatch(new RegExp(`封存文件查看,合计,${total('evidence_views')},`));
    await page.getByRole('status').filter({ hasText: '已导出' }).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
