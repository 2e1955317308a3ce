/**
 * The certificates and trust screen in Chromium against the real web host, as an agency
 * administrator would use it: the workstation's self-issued certificate is not vouched for;
 * the agency's CA (made with openssl) is registered by pasting its PEM; a certificate request
 * is made on the screen, issued by the CA, pasted back and installed, and the certificate is
 * then vouched for; the time-stamping authority is refused when it is not an http(s) address
 * and saved when it is; the CA is withdrawn with a reason. Screenshots in test-results/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgencyCa } from '../helpers/agencyCa';
import { launchChromium } from '../helpers/browser';
import { ROOT, startWebHost, type RunningHost } from '../helpers/webhost';
import { SignInPage } from './pages/auth';
import { ADMIN } from './pages/fixtures';
import { seedOfficers } from './pages/seed';
import { contractClient } from './pages/signing';

const SHOTS = join(ROOT, 'test-results');

let browser: Browser;
let host: RunningHost;
let work: string;
let closeClient: () => void = () => undefined;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'attest-e2e-trust-'));
  browser = await launchChromium();
  host = await startWebHost();
});
afterAll(async () => {
  closeClient();
  await browser?.close();
  await host?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('certificates and trust', () => {
  it('registers the agency CA, installs the certificate it issued for a request made here, sets the TSA, withdraws the CA', async () => {
    const { client, close } = await contractClient(host.url);
    closeClient = close;
    await seedOfficers(client);
    // The workstation makes its self-issued certificate at its first signature; a request
    // on this screen works the same before that.
    const ca = makeAgencyCa(join(work, 'ca'), '某市市场监督管理局 电子证据 CA');

    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await new SignInPage(page).signIn(ADMIN.username, ADMIN.password);
    // An account named after its role is not introduced twice in the header.
    const who = (await page.getByTestId('current-user').textContent()) ?? '';
    expect(who.split(ADMIN.displayName)).toHaveLength(2);
    await page.getByRole('link', { name: '证书与信任' }).click();
    await page.getByRole('heading', { name: '证书与信任', level: 1 }).waitFor();
    const register = page.getByTestId('trust-register');
    await register.getByText('登记册为空。').waitFor();
    await page.getByTestId('trust-tsa').getByText('未设置时间戳服务。').waitFor();

    // The agency CA, pasted as PEM.
    await register.getByLabel('证书（PEM）').fill(ca.certPem);
    await register.getByRole('button', { name: '登记证书' }).click();
    await page.getByText('已登记：').waitFor();
    await register.getByRole('rowheader', { name: /电子证据 CA/ }).waitFor();
    await register
      .getByTestId('trust-register-sha')
      .getByText(/登记册 SHA-256：[0-9a-f]{64}/)
      .waitFor();

    // A certificate request, issued by the CA and pasted back.
    const request = page.getByTestId('trust-request');
    await request.getByLabel('工作站名称（CN）').fill('Attest 工作站 询问室-3');
    await request.getByLabel('机构名称（O）').fill('某市市场监督管理局');
    await request.getByRole('button', { name: '生成证书申请' }).click();
    const pending = page.getByTestId('trust-pending');
    await pending.waitFor();
    const csr = await pending.locator('textarea[readonly]').inputValue();
    expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    await page.screenshot({ path: join(SHOTS, 'trust-1-request.png'), fullPage: true });
    await pending.getByLabel('签发的证书（PEM，可含上级 CA 证书）').fill(ca.issue(csr));
    await pending.getByRole('button', { name: '安装证书' }).click();
    await page.getByText(/已安装机构签发的证书：.*询问室-3/).waitFor();
    const workstation = page.getByTestId('trust-workstation');
    await workstation.getByText('机构证书登记册认可此证书。').waitFor();
    await workstation.getByText('机构 CA 签发（本机证书申请）').waitFor();

    // The time-stamping authority: refused unless http(s), then saved.
    const tsa = page.getByTestId('trust-tsa');
    await tsa.getByLabel('时间戳服务地址').fill('ftp://tsa.example.gov.cn');
    await tsa.getByRole('button', { name: '保存' }).click();
    await tsa.locator('.field__error').waitFor();
    await tsa.getByLabel('时间戳服务地址').fill('http://tsa.example.gov.cn/tsr');
    await tsa.getByRole('button', { name: '保存' }).click();
    await tsa.getByText('当前：http://tsa.example.gov.cn/tsr').waitFor();
    await page.screenshot({ path: join(SHOTS, 'trust-2-vouched.png'), fullPage: true });

    // Withdrawn with a reason: listed still, and the certificate no longer vouched for.
    await register.getByRole('button', { name: '撤下' }).click();
    const dialog = page.getByRole('dialog', { name: /撤下“.*电子证据 CA/ });
    await dialog.getByLabel('撤下原因').fill('CA 密钥更换，旧 CA 停用');
    await dialog.getByRole('button', { name: '撤下' }).click();
    await register.getByText(/已撤下（.*）：CA 密钥更换，旧 CA 停用/).waitFor();
    await workstation.getByText(/机构证书登记册不认可此证书/).waitFor();
    await page.screenshot({ path: join(SHOTS, 'trust-3-withdrawn.png'), fullPage: true });

    // No OS keystore in the web host: plain storage of secrets only once accepted, with why.
    const keys = page.getByTestId('trust-keystore');
    await keys.getByText(/本机没有可用的系统密钥库/).waitFor();
    await keys.getByLabel('接受明文存放的理由').fill('本机为单机询问室工作站，系统无密钥环');
    await keys.getByRole('button', { name: '接受明文存放' }).click();
    await keys.getByText(/已于 .* 接受明文存放：本机为单机询问室工作站/).waitFor();

    const audit = await client.invoke('audit.list', { entity: 'trust', limit: 20 });
    expect(audit.map((e) => e.action).sort()).toEqual([
      'trust.certificateRequested',
      'trust.identityInstalled',
      'trust.plainSecretsAccepted',
      'trust.timeStampAuthoritySet',
    ]);
    // Signing out here and in as an officer lands on the case list, not on this screen.
    const officers = await client.invoke('officers.list', {});
    await client.invoke('users.create', {
      username: 'zhangwei',
      displayName: '张伟',
      password: ADMIN.password,
      roles: ['officer'],
      officerId: officers[0]!.id,
    });
    await page.getByRole('button', { name: '退出登录' }).click();
    await new SignInPage(page).signIn('zhangwei', ADMIN.password);
    await page.getByRole('heading', { level: 1, name: '案件列表' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/cases');
    expect(await page.getByText('needs one of the roles').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
