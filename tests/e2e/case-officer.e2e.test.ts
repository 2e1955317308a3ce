/**
 * What the case's own officer (a user with the role 执法人员, not an administrator) does on
 * the session screen, in Chromium against the real web host and core:
 * 1. Seals: a clerk (书记员) first sees the seal panel tell them which roles may seal, with
 *    no seal button; then the case's officer sees the panel, seals the session and sees the
 *    bundle.
 * 2. Pre-flight numbering: with five fake cameras (the second an emulated depth camera that
 *    cannot be encoded) and two registered camera numbers, the check gives the depth camera
 *    no number and numbers the usable cameras in order; the officer confirms it and the core
 *    accepts the numbers. Then the officer records across two file changes (the web host's
 *    file length set to 8 s): the live grid's fps and kb/s never go negative and the
 *    cameras' frame rate stays near 30 through each change.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoSession } from '../../electron/core/demo/session';
import { removeTree } from '../../electron/core/platform/fs';
import { fakeDeviceArgs, launchChromium } from '../helpers/browser';
import { signedDemoSession } from '../helpers/sealing';
import { ROOT, startWebHost, type RunningHost } from '../helpers/webhost';
import { SignInPage } from './pages/auth';
import { createInterviewCase, registerDevices, seedOfficers } from './pages/seed';
import { holdLadderScript, RecordingPanelPage } from './pages/recording';
import { SessionPage } from './pages/session';
import { contractClient } from './pages/signing';

/** Screenshots (ATTEST_E2E_SHOTS overrides where they go). */
const SHOTS = process.env.ATTEST_E2E_SHOTS ?? join(ROOT, 'test-results');
const DESK = { width: 1440, height: 900 };

const browsers: Browser[] = [];
const contexts: BrowserContext[] = [];
const hosts: RunningHost[] = [];
const closers: (() => void)[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  for (const b of browsers.splice(0)) await b.close();
  for (const close of closers.splice(0)) close();
  for (const h of hosts.splice(0)) await h.stop();
  for (const d of dirs.splice(0)) await removeTree(d).catch(() => undefined);
});

async function shot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

async function newPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
  contexts.push(context);
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  // The live rates checked here are the cameras' full rates: the capture ladder is held.
  await page.addInitScript(holdLadderScript());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

/** The file length this test records with (the web host's --segment-seconds). */
const FILE_SECONDS = 8;
/** The case the officer records in. */
const CASE_NO_32 = '京人防罚〔2026〕32号';

/** A data directory with an ended, signed interview (the demo's builder, as the sealing test). */
async function signedSession(): Promise<{ dataDir: string; demo: DemoSession }> {
  const made = await signedDemoSession('attest-e2e-officer-', 2, 4);
  dirs.push(made.dataDir);
  return made;
}

describe('the case’s officer on the session screen', () => {
  it('a clerk is told who may seal; the case’s officer seals the session', async () => {
    const { dataDir, demo } = await signedSession();
    const host = await startWebHost({ dataDir });
    hosts.push(host);
    const { client, close } = await contractClient(host.url);
    closers.push(close);
    await client.invoke('auth.signIn', demo.accounts.admin);
    const clerk = { username: 'clerk-zhao', password: 'clerk-password-2026' };
    await client.invoke('users.create', { ...clerk, displayName: '赵书记', roles: ['clerk'] });
    const browser = await launchChromium();
    browsers.push(browser);
    const sessionUrl = `${host.url}#/cases/${demo.caseId}/sessions/${demo.sessionId}`;

    // The clerk: the panel is there, says why there is no seal button, and offers none.
    const asClerk = await newPage(browser, host.url);
    await new SignInPage(asClerk.page).signIn(clerk.username, clerk.password);
    await asClerk.page.goto(sessionUrl);
    const clerkPanel = asClerk.page.getByTestId('seal-panel');
    await clerkPanel.getByText('记录已完整，可以封存').waitFor();
    expect(await clerkPanel.getByTestId('seal-denied').textContent()).toBe(
      '当前账户无封存权限，只有以下角色可以封存：执法人员、听证主持人、系统管理员。您可以查看本次记录，但不能封存。',
    );
    expect(await clerkPanel.getByTestId('seal-button').count()).toBe(0);
    await shot(asClerk.page, 'officer-1-clerk-seal-panel.png', '[data-testid="seal-panel"]');
    expect(asClerk.errors).toEqual([]);

    // The case's officer (role 执法人员 only): the seal button, the dialog, the bundle.
    const me = await client.invoke('auth.signIn', demo.accounts.officer);
    expect(me.roles).toEqual(['officer']);
    const { page, errors } = await newPage(browser, host.url);
    await new SignInPage(page).signIn(
      demo.accounts.officer.username,
      demo.accounts.officer.password,
    );
    await page.goto(sessionUrl);
    const panel = page.getByTestId('seal-panel');
    await panel.getByText('记录已完整，可以封存').waitFor();
    expect(await panel.getByTestId('seal-denied').count()).toBe(0);
    await shot(page, 'officer-2-seal-panel.png', '[data-testid="seal-panel"]');
    await panel.getByTestId('seal-button').click();
    const dialog = page.getByRole('dialog', { name: '封存本次记录' });
    expect(await dialog.getByLabel('随案卷保存 3 年').isChecked()).toBe(true);
    await shot(page, 'officer-3-seal-dialog.png', 'dialog[open]');
    await dialog.getByRole('button', { name: '确认封存' }).click();
    await panel.getByTestId('bundle-facts').waitFor({ timeout: 60_000 });
    expect(await panel.getByTestId('bundle-hash').textContent()).toMatch(/^[0-9a-f]{128}$/);
    await page.getByTestId('session-status').getByText('已封存').waitFor();
    // The core sealed it as the officer.
    const bundles = await client.invoke('bundles.list', { sessionId: demo.sessionId });
    expect(bundles.map((b) => b.sealedBy)).toEqual([me.displayName]);
    expect(await panel.getByTestId('bundle-facts').textContent()).toContain(me.displayName);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'officer-4-sealed.png', '[data-testid="seal-panel"]');
    expect(errors).toEqual([]);
  }, 180_000);

  it('pre-flight numbers the usable cameras, not the depth camera; live rates hold across files', async () => {
    const host = await startWebHost({ segmentSeconds: FILE_SECONDS });
    hosts.push(host);
    dirs.push(host.dataDir);
    const { client, close } = await contractClient(host.url);
    closers.push(close);
    const officers = await seedOfficers(client);
    const officer = { username: 'zhangwei', password: 'officer-password-2026' };
    await client.invoke('users.create', {
      ...officer,
      displayName: '张伟',
      roles: ['officer'],
      officerId: officers[0]!.id,
    });
    // Two camera numbers for a room with five camera devices, one of them a depth camera.
    await registerDevices(client, [
      ['CAM-01', '询问室近景摄像机'],
      ['CAM-02', '询问室全景摄像机'],
    ]);
    await client.invoke('auth.signIn', officer);
    const { caseId, sessionId } = await createInterviewCase(
      client,
      '京人防罚〔2026〕32号',
      officers,
    );

    const browser = await launchChromium(fakeDeviceArgs(5));
    browsers.push(browser);
    const { page, errors } = await newPage(browser, host.url);
    await new SignInPage(page).signIn(officer.username, officer.password);
    await page.evaluate(
      (hash) => (location.hash = hash),
      `#/cases/${caseId}/sessions/${sessionId}`,
    );
    await new SessionPage(page).waitFor('询问', CASE_NO_32);
    const panel = new RecordingPanelPage(page);
    const rows = await panel.discover();
    const cams = rows.filter((r) => r.sourceId.startsWith('cam'));
    expect(
      cams.map((r) => [r.label, r.check.replace(/[（：].*/, ''), r.included, r.deviceNo]),
    ).toEqual([
      ['fake_device_0', '可录制', true, 'CAM-01'],
      ['fake_device_1', '无法录制', false, ''],
      ['fake_device_2', '可录制', true, 'CAM-02'],
      ['fake_device_3', '可录制', false, ''],
      ['fake_device_4', '可录制', false, ''],
    ]);
    expect(rows.find((r) => r.sourceId === 'mic1')).toMatchObject({
      included: true,
      deviceNo: 'MIC-01',
    });
    // The depth camera is offered no number at all.
    const depthNo = panel.row('cam2').getByRole('combobox', { name: 'fake_device_1 的设备编号' });
    expect(await depthNo.isDisabled()).toBe(true);
    expect(await depthNo.locator('option').allTextContents()).toEqual(['（不分配编号）']);
    // The usable cameras got the close-up and the wide view.
    expect(
      await panel.row('cam1').getByRole('combobox', { name: 'fake_device_0 的用途' }).inputValue(),
    ).toBe('interviewee_closeup');
    expect(
      await panel.row('cam3').getByRole('combobox', { name: 'fake_device_2 的用途' }).inputValue(),
    ).toBe('room_wide');
    expect(await panel.problems()).toEqual([]);
    await panel.row('cam3').scrollIntoViewIfNeeded();
    await shot(page, 'officer-5-preflight.png');
    // The core accepts the proposal: registered, active numbers of the right kind.
    await panel.confirm();
    const timeline = await client.invoke('recording.timeline', { sessionId });
    const saved = timeline.filter((e) => e.kind === 'preflight.saved');
    expect(saved.map((e) => (e.data as { sources: unknown }).sources)).toEqual([
      [
        { sourceId: 'mic1', deviceNo: 'MIC-01', role: 'ambient' },
        { sourceId: 'cam1', deviceNo: 'CAM-01', role: 'interviewee_closeup' },
        { sourceId: 'cam3', deviceNo: 'CAM-02', role: 'room_wide' },
      ],
    ]);

    // Recording across two file changes: the live grid's figures stay positive and steady.
    await new SessionPage(page).start();
    // The live grid names each camera by its registered number and role, not the browser's.
    await page.locator('.rec__tile figcaption').first().waitFor();
    expect(await page.locator('.rec__tile figcaption').allTextContents()).toEqual([
      'CAM-01 · 被询问人近景',
      'CAM-02 · 全景',
    ]);
    const seen: { at: number; id: string; fps: number | null; kbps: number; segment: number }[] =
      [];
    const t0 = Date.now();
    while (Date.now() - t0 < FILE_SECONDS * 2_000 + 6_000) {
      for (const h of await panel.healthLines()) {
        const rate = /(-?[\d.]+) (kb|Mb)\/s/.exec(h.text);
        const segment = /#(\d+)/.exec(h.text);
        if (!rate || !segment) continue;
        const kbps = Number(rate[1]) * (rate[2] === 'Mb' ? 1000 : 1);
        seen.push({ at: Date.now() - t0, id: h.sourceId, fps: h.fps, kbps, segment: +segment[1]! });
      }
      await page.waitForTimeout(250);
    }
    await shot(page, 'officer-6-live.png');
    await panel.end();
    const cam1 = seen.filter((x) => x.id === 'cam1');
    const segments = [...new Set(cam1.map((x) => x.segment))];
    console.log(
      `cam1 across files ${segments.join(', ')}: fps ${cam1.map((x) => x.fps?.toFixed(1)).join(' ')}\n` +
        `kb/s ${cam1.map((x) => Math.round(x.kbps)).join(' ')}`,
    );
    expect(segments.length).toBeGreaterThanOrEqual(2);
    for (const x of seen) {
      expect(x.kbps, `${x.id} at ${x.at} ms`).toBeGreaterThanOrEqual(0);
      if (x.fps !== null) expect(x.fps, `${x.id} at ${x.at} ms`).toBeGreaterThanOrEqual(0);
    }
    // Once the window is full (5 s), the cameras' frame rate stays near the devices' 30 fps,
    // through every file change.
    for (const x of seen.filter((v) => v.id.startsWith('cam') && v.at > 6_000))
      expect(x.fps, `${x.id} at ${x.at} ms`).toBeGreaterThan(15);
    expect(errors).toEqual([]);
  }, 180_000);
});
