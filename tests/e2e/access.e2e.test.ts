/**
 * Who may see and copy the evidence, in Chromium, each person in their own session: a clerk
 * off the case team is refused playback and asks for access; the leader approves until a
 * moment; playback works until the grant expires. A party's copy request is recorded by the
 * case officer, the legal-affairs office classifies the signed record, the leader grants the
 * request in part, the officer makes the copy; the copy verifies with the classified file
 * absent, and the signed register lists it. The audit viewer shows all of it and its case
 * report is signed. Screenshots in test-results/access-*.png.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { verifyCommand, VERIFY_EXIT } from '../../electron/cli/verify';
import { removeTree } from '../../electron/core/platform/fs';
import { wallClock } from '../../electron/shared/time';
import { signedDemoSession } from '../helpers/sealing';
import { SignInPage } from './pages/auth';
import { e2eHarness, SHOTS } from './pages/harness';
import { contractClient } from './pages/signing';

const h = e2eHarness();
const pad = (n: number) => String(n).padStart(2, '0');

async function signedIn(
  browser: Browser,
  url: string,
  account: { username: string; password: string },
): Promise<Page> {
  const context = await h.context({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(url);
  await new SignInPage(page).signIn(account.username, account.password);
  return page;
}

describe('access to evidence', () => {
  it('asks, approves, plays back until the grant expires; copies a party’s granted files', async () => {
    const { dataDir, demo } = await signedDemoSession('attest-e2e-access-', 2, 4);
    const host = await h.host({ dataDir });
    const { client, close } = await contractClient(host.url);
    h.cleanup(close);
    await client.invoke('auth.signIn', demo.accounts.officer);
    const bundle = await client.invoke('sessions.seal', { id: demo.sessionId });
    const info = await client.invoke('app.info', {});
    const session = `${host.url}#/cases/${demo.caseId}/sessions/${demo.sessionId}`;

    // The clerk, off the case team, is refused playback and asks for access from there.
    const clerk = await signedIn(h.browser, host.url, demo.accounts.clerk);
    await clerk.goto(session);
    const refused = clerk.getByTestId('playback-refused');
    await refused.getByText(/播放音像记录.*需要经负责人批准的查阅授权/).waitFor();
    await clerk
      .getByTestId('transcript-refused')
      .getByText(/查看笔录.*查阅授权/)
      .waitFor();
    await clerk.screenshot({ path: join(SHOTS, 'access-refused.png'), fullPage: true });
    await refused.getByRole('link', { name: '申请调阅本案记录' }).click();
    const form = clerk.getByTestId('access-request');
    await form.getByText(demo.caseNo).waitFor();
    await form.getByLabel('用途').fill('整理卷宗，核对询问录像');
    await form.getByLabel('期限（天）').fill('1');
    await form.getByRole('button', { name: '提交申请' }).click();
    await clerk.getByText('申请已提交，等待负责人审批。').waitFor();
    const mine = clerk.getByTestId('access-mine');
    await mine.getByTestId('grant-state').getByText('待审批').waitFor();

    // The leader decides in their own session: until a moment some seconds away.
    const leader = await signedIn(h.browser, host.url, demo.accounts.leader);
    await leader.getByRole('link', { name: '调阅授权' }).click();
    const pending = leader.getByTestId('access-pending');
    await pending.getByText('整理卷宗，核对询问录像').waitFor();
    await leader.screenshot({ path: join(SHOTS, 'access-pending.png'), fullPage: true });
    const until = Date.now() + 40_000;
    const w = wallClock(until, info.timeZone);
    await pending.getByLabel('审批意见').fill('同意查阅本案询问录像');
    await pending
      .getByLabel('有效期至')
      .fill(
        `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`,
      );
    await pending.getByRole('button', { name: '批准', exact: true }).click();
    await leader.getByText(/^已批准第 \d+ 号申请。$/).waitFor();

    // Playback works under the grant ...
    await clerk.goto(session);
    await clerk.getByTestId('playback').waitFor();
    await clerk.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="playback"] video')].some(
          (v) => (v as HTMLVideoElement).readyState >= 2,
        ),
      undefined,
      { timeout: 20_000 },
    );
    expect(await clerk.getByTestId('playback-refused').count()).toBe(0);
    // The written record too.
    await clerk.getByTestId('transcript-scroll').waitFor();
    expect(await clerk.getByTestId('transcript-refused').count()).toBe(0);
    await clerk.screenshot({ path: join(SHOTS, 'access-granted.png'), fullPage: true });
    // ... until it expires.
    await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now() + 1500)));
    await clerk.goto(`${host.url}#/cases/${demo.caseId}`);
    await clerk.goto(session);
    await clerk
      .getByTestId('playback-refused')
      .getByText(/查阅授权第 \d+ 号已于 .* 到期/)
      .waitFor();

    // The legal-affairs office classifies the signed record.
    await client.invoke('auth.signOut', {});
    await client.invoke('auth.signIn', demo.accounts.admin);
    await client.invoke('users.create', {
      username: 'fazhi',
      displayName: '法制科吴敏',
      password: 'legal-office-2026',
      roles: ['legal_reviewer'],
    });
    const files = await client.invoke('bundles.files', { bundleId: bundle.id });
    const pdfPath = files.find((f) => f.path.endsWith('.pdf'))!.path;
    const mp4Path = files.find((f) => f.path.endsWith('.mp4'))!.path;
    const logPath = 'data/session-events.jsonl';
    const reviewer = await signedIn(h.browser, host.url, {
      username: 'fazhi',
      password: 'legal-office-2026',
    });
    await reviewer.goto(`${host.url}#/cases/${demo.caseId}/access`);
    const table = reviewer.getByTestId('sealed-files');
    await table.getByLabel(`密级 · ${pdfPath}`).selectOption({ label: '个人隐私' });
    await table.getByLabel(`定密理由 · ${pdfPath}`).fill('笔录涉及证人的住址和联系方式');
    await table
      .getByRole('row')
      .filter({ hasText: pdfPath })
      .getByRole('button', { name: '标定' })
      .click();
    await reviewer.getByText(`已标定 ${pdfPath} 为「个人隐私」。`).waitFor();

    // The case officer records the party's request at the desk.
    const officer = await signedIn(h.browser, host.url, demo.accounts.officer);
    await officer.goto(`${host.url}#/cases/${demo.caseId}/access`);
    const copies = officer.getByTestId('party-copies');
    for (const p of [mp4Path, pdfPath, logPath])
      await copies.getByLabel(p, { exact: true }).check();
    await copies.getByLabel('用途').fill('申请陈述申辩，需要询问录像和笔录');
    await copies.getByRole('button', { name: '登记申请' }).click();
    await officer.getByText(/^已登记复制申请第 \d+ 号。$/).waitFor();

    // The leader grants it in part: not the event log.
    await leader.goto(`${host.url}#/cases/${demo.caseId}/access`);
    const card = leader.locator('[data-testid^="copy-request-"]').first();
    await card.getByLabel(`批准提供 ${logPath}`).uncheck();
    await card.getByLabel('审批意见').fill('同意提供询问录像和笔录；事件日志不予提供');
    await card.getByRole('button', { name: '提交审批意见' }).click();
    await card.getByText('部分批准', { exact: true }).waitFor();

    // The officer makes the copy; the classified record stays out.
    // The decision reaches the officer's screen as it is made (the core's event).
    const made = officer.locator('[data-testid^="copy-request-"]').first();
    await made.getByRole('button', { name: '制作复制件' }).click();
    await officer.getByText(/^复制件已制作：FZ\d{4}-0001。$/).waitFor();
    await officer.screenshot({ path: join(SHOTS, 'access-party-copy.png'), fullPage: true });
    const [request] = await client.invoke('copies.list', { caseId: demo.caseId });
    const copy = request!.copies[0]!;
    expect(copy.files).toEqual([mp4Path]);
    expect(existsSync(join(copy.path, pdfPath))).toBe(false);
    let out = '';
    const code = await verifyCommand(
      [copy.path, '--expect-fingerprint', bundle.signer.fingerprintSha256, '--no-media'],
      { out: (t) => (out += t), err: (t) => (out += t) },
    );
    expect(out).toContain('1/1 个文件与原封存包清单一致');
    expect(code).toBe(VERIFY_EXIT.passed);
    expect(readFileSync(join(copy.path, 'bag-info.txt'), 'utf8')).toContain(
      `Copy-Left-Out: ${pdfPath}（涉及个人隐私，不予提供）`,
    );

    // The register, printed by the leader, lists the copy and is signed.
    const download = leader.waitForEvent('download');
    await leader.getByRole('button', { name: '打印复制登记簿' }).click();
    const registerFile = join(dataDir, 'register.pdf');
    await (await download).saveAs(registerFile);
    expect(spawnSync('pdfsig', [registerFile], { encoding: 'utf8' }).stdout).toMatch(
      /Signature is Valid/,
    );
    expect(
      spawnSync('pdftotext', ['-layout', registerFile, '-'], { encoding: 'utf8' }).stdout,
    ).toContain(copy.copyNo);

    // The audit viewer shows the requests, decisions, reads and refusals; the report is signed.
    await leader.goto(`${host.url}#/audit`);
    await leader.getByLabel('案件编号').fill(demo.caseNo);
    await leader.getByLabel('类别').selectOption({ label: '调阅授权' });
    await leader.getByRole('button', { name: '查询' }).click();
    const rows = () =>
      leader
        .locator('[data-testid="audit-entries"] tbody tr')
        .evaluateAll((trs) => trs.map((r) => (r as HTMLElement).dataset.action ?? ''));
    await expect.poll(async () => (await rows()).every((a) => a.startsWith('access.'))).toBe(true);
    expect(await rows()).toEqual(
      expect.arrayContaining(['access.requested', 'access.approved', 'access.refused']),
    );
    await leader.screenshot({ path: join(SHOTS, 'access-audit.png'), fullPage: true });
    const report = leader.waitForEvent('download');
    await leader.getByRole('button', { name: '本案报告（PDF）' }).click();
    const reportFile = join(dataDir, 'case-report.pdf');
    await (await report).saveAs(reportFile);
    expect(spawnSync('pdfsig', [reportFile], { encoding: 'utf8' }).stdout).toMatch(
      /Signature is Valid/,
    );
    const text = spawnSync('pdftotext', ['-layout', reportFile, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('批准调阅');
    expect(text).toContain('制作当事人复制件');
    await removeTree(dataDir).catch(() => undefined);
  }, 240_000);
});
