/**
 * The renderer end to end, in Debian's Chromium against the real web host and core: first
 * run, officers, a case with a party, an interview, and all of it still there after the
 * host restarts on the same data directory. Also: refused input keeps what was typed, and
 * the UI switches to English. Waits on UI state only (locators, polling), never on time.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunningHost } from '../helpers/webhost';
import { e2eHarness, SHOTS } from './pages/harness';
import { SetupPage, SignInPage } from './pages/auth';
import { CaseDetailPage, CaseListPage } from './pages/cases';
import { ADMIN, badResidentId, OFFICERS, PARTY } from './pages/fixtures';
import { OfficersPage } from './pages/officers';
import { Shell } from './pages/shell';

const DESK = { width: 1440, height: 900 };
const TABLET = { width: 820, height: 1180 };

const e2e = e2eHarness();

function host(dataDir?: string): Promise<RunningHost> {
  return e2e.host(dataDir ? { dataDir } : {});
}

async function openPage(
  url: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<Page> {
  const context = await e2e.context({ viewport: DESK, locale: 'zh-CN', ...options });
  // Generous for 2 shared cores, but a missing element fails well before the test timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => {
    if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
  });
  await page.goto(url);
  return page;
}

/** The accessible name of the focused control: its label, aria-label or text. */
function focusedName(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return (
      el?.getAttribute('aria-label') ??
      el?.labels?.[0]?.textContent ??
      el?.textContent?.trim() ??
      undefined
    );
  });
}

/** First run: the administrator is created, then signs in. */
async function setUpAndSignIn(page: Page): Promise<void> {
  const setup = new SetupPage(page);
  await setup.waitForIt();
  await setup.createAdmin(ADMIN);
  await new SignInPage(page).signIn(ADMIN.username, ADMIN.password);
}

async function registerOfficers(page: Page): Promise<void> {
  await new Shell(page).goTo('执法人员');
  const officers = new OfficersPage(page);
  for (const o of OFFICERS) await officers.register(o);
}

describe('a case from first run to a session that survives a restart', () => {
  it('records officers, a case with a party and an interview, and keeps them', async () => {
    const first = await host();
    const page = await openPage(first.url);
    await setUpAndSignIn(page);
    await expect
      .poll(() => page.getByTestId('current-user').textContent())
      .toContain(ADMIN.displayName);
    await registerOfficers(page);

    const caseNo = '京人防罚〔2026〕1号';
    await new Shell(page).goTo('案件列表');
    const newCase = await new CaseListPage(page).startNewCase();
    await newCase.fill({
      caseNo,
      cause: '未按规定修建防空地下室',
      matterKind: '行政处罚',
      reason: '日常巡查发现某住宅项目未按规定修建防空地下室',
      officers: OFFICERS.map((o) => o.name),
      party: PARTY,
    });
    await newCase.submit();

    const list = new CaseListPage(page);
    const detail = new CaseDetailPage(page);
    await detail.waitFor(caseNo);
    // The lead officer (first picked) is marked 主办 on the overview.
    await expect
      .poll(() => page.getByRole('region', { name: '本案执法人员' }).textContent())
      .toContain('主办');

    await detail.openInterview({
      place: '市人防办执法大队',
      room: '2号询问室',
      officers: [
        { name: OFFICERS[0].name, role: '询问人' },
        { name: OFFICERS[1].name, role: '记录人' },
      ],
      party: PARTY.name,
    });
    const session = detail.sessionsTable().getByRole('row').filter({ hasText: '询问' });
    await session.waitFor();
    const sessionText = await session.textContent();
    expect(sessionText).toContain(`${OFFICERS[0].name}（询问人）`);
    expect(sessionText).toContain(`${OFFICERS[1].name}（记录人）`);
    expect(sessionText).toContain(`${PARTY.name}（当事人）`);

    await detail.tab('概况');
    await page.screenshot({ path: join(SHOTS, 'case-detail.png') });
    await detail.tab('询问与听证');
    await page.screenshot({ path: join(SHOTS, 'case-detail-sessions.png') });

    // Tablet: a touch screen at 820 px, same case (the hash route keeps the place).
    const tablet = await openPage(page.url(), { viewport: TABLET, hasTouch: true, isMobile: true });
    await new SignInPage(tablet).signIn(ADMIN.username, ADMIN.password);
    await tablet.getByRole('heading', { level: 1, name: caseNo }).waitFor();
    expect(await tablet.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    // Touch targets are at least 44 px high.
    const advance = await tablet.getByRole('button', { name: /进入下一阶段/ }).boundingBox();
    expect(advance?.height).toBeGreaterThanOrEqual(44);
    await tablet.screenshot({
      path: join(SHOTS, 'case-detail-tablet-sessions.png'),
      fullPage: true,
    });
    await new CaseDetailPage(tablet).tab('概况');
    await tablet.screenshot({ path: join(SHOTS, 'case-detail-tablet.png'), fullPage: true });

    // Restart the host on the same data directory: a new port and token, same records.
    await first.stop();
    const second = await host(first.dataDir);
    await page.goto(second.url);
    await new SignInPage(page).signIn(ADMIN.username, ADMIN.password);
    await new Shell(page).goTo('案件列表');
    await list.search(PARTY.name);
    await list.row(caseNo).waitFor();
    // Phase 启动 and one session in the list row.
    await expect.poll(() => list.row(caseNo).textContent()).toContain('启动');
    const reopened = await list.open(caseNo);
    await reopened.tab('询问与听证');
    const kept = reopened.sessionsTable().getByRole('row').filter({ hasText: '询问' });
    await kept.waitFor();
    expect(await kept.textContent()).toContain(`${PARTY.name}（当事人）`);
    expect(await kept.textContent()).toContain('2号询问室');
  });
});

describe('forms under refusal, keyboard and language', () => {
  it('keeps typed text next to the error, closes dialogs with Esc, and speaks English', async () => {
    const h = await host();
    const page = await openPage(h.url);
    await setUpAndSignIn(page);
    await new Shell(page).goTo('执法人员');
    const officers = new OfficersPage(page);

    // Client-side refusal (the shared zod schema): a certificate number with a space and "#".
    await officers.fill({ name: '赵磊', certificateNo: 'ZF 01#' });
    await officers.submit();
    await page.getByText('只能使用字母、数字和短横线').waitFor();
    expect(await officers.name().inputValue()).toBe('赵磊');
    expect(await officers.certificateNo().inputValue()).toBe('ZF 01#');
    expect(await officers.certificateNo().getAttribute('aria-invalid')).toBe('true');
    // Focus moved to the field to fix.
    expect(await officers.certificateNo().evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await officers.certificateNo().fill('ZF-0101');
    await officers.submit();
    await officers.row('ZF-0101').waitFor();
    await officers.register({ name: '钱芳', certificateNo: 'ZF-0102' });

    // The core's refusal: the same certificate number again is a CONFLICT, shown at the field.
    await officers.fill({ name: '孙强', certificateNo: 'ZF-0101' });
    await officers.submit();
    await page.getByText('该执法证号已登记').waitFor();
    expect(await officers.name().inputValue()).toBe('孙强');

    // A case with an invalid resident ID: refused before sending, everything typed is kept.
    await new Shell(page).goTo('案件列表');
    const form = await new CaseListPage(page).startNewCase();
    const draft = {
      caseNo: '京人防罚〔2026〕2号',
      cause: '拒绝接受人防监督检查',
      matterKind: '行政处罚',
      reason: '投诉举报反映',
      officers: ['赵磊', '钱芳'],
      party: { name: '周某', idNumber: badResidentId('11010519491231002') },
    };
    await form.fill(draft);
    await form.submit();
    await expect.poll(() => form.errorOf('证件号码')).toContain('居民身份证号码无效');
    expect(await form.field('案件编号').inputValue()).toBe(draft.caseNo);
    expect(await form.field('案由').inputValue()).toBe(draft.cause);
    expect(await form.field('证件号码').inputValue()).toBe(draft.party.idNumber);
    await page.screenshot({ path: join(SHOTS, 'new-case-error.png'), fullPage: true });

    // Complaints need a complainant (R1.2).
    await form.field('来源类型').selectOption({ label: '投诉举报' });
    await form.field('证件号码').fill(PARTY.idNumber);
    await form.submit();
    await expect.poll(() => form.errorOf('投诉举报人')).toContain('投诉举报案件须记录投诉举报人');
    await form.field('投诉举报人').fill('匿名群众');
    await form.submit();
    const detail = new CaseDetailPage(page);
    await detail.waitFor(draft.caseNo);

    // Dialogs: Esc closes, focus returns to the button that opened it.
    await detail.tab('当事人');
    const add = page.getByRole('button', { name: '添加当事人' });
    await add.click();
    const dialog = page.getByRole('dialog', { name: '添加当事人' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await add.evaluate((el) => el === document.activeElement)).toBe(true);

    // English, remembered across a reload.
    await new Shell(page).switchTo('English');
    await page.getByRole('tab', { name: 'Parties', selected: true }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Cases' })
      .waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    // Keyboard: Tab walks the form in order, with a visible focus ring; Enter submits.
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Password');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Sign in');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe(
      'solid',
    );
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: draft.caseNo }).waitFor();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByText('Administrative penalty').first().waitFor();
    await page.getByRole('button', { name: 'Advance to: Investigation' }).waitFor();
  });
});
