/**
 * The case around its session, in Chromium against the real web host and core, as its users
 * would: the administrator sets the agency's name and uploads its seal; the handler proposes
 * the decision on the approval form and signs on the pad, the legal reviewer and the leader
 * sign their opinions in turn; the decision is issued from its template with the seal, served
 * directly with the recipient signing on the pad, and its execution recorded; the legal
 * reviewer reviews the table of contents and signs, and the case is filed; the filing board
 * no longer lists it. A complaint is registered at the window and not opened, with the reason.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSealPng } from '../../electron/core/platform/pdf/seal-image';
import { removeTree } from '../../electron/core/platform/fs';
import { launchChromium } from '../helpers/browser';
import { signedDemoSession } from '../helpers/sealing';
import { ROOT, startWebHost, type RunningHost } from '../helpers/webhost';
import { SignInPage } from './pages/auth';
import { contractClient, draw, scribble } from './pages/signing';
import { CaseListPage } from './pages/cases';
import { seedOfficers } from './pages/seed';

const SHOTS = join(ROOT, 'test-results');
const DESK = { width: 1440, height: 1000 };
const REVIEWER = { username: 'zhoufz', password: 'long enough pw 1' };

let browser: Browser;
let host: RunningHost | null = null;
const dirs: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  for (const d of dirs) await removeTree(d).catch(() => undefined);
});

async function open(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(url);
  return page;
}

/** Writes on the pad named `label` and confirms it. */
/** Opens a case from an intake entry's decision form: number, cause, the two officers. */
async function openCaseFrom(entry: Locator, caseNo: string, cause: string): Promise<void> {
  const decide = entry.getByTestId('intake-decide');
  await decide.getByLabel('案件编号').fill(caseNo);
  await decide.getByLabel('案由').fill(cause);
  await decide.getByRole('checkbox', { name: /张伟/ }).check();
  await decide.getByRole('checkbox', { name: /李娜/ }).check();
  await decide.getByRole('button', { name: '作出处理' }).click();
}

async function sign(page: Page, label: string): Promise<void> {
  const canvas = page.getByRole('img', { name: label });
  await draw(page, canvas, 'mouse', scribble(3), 50);
  await canvas
    .locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " sigpad ")][1]')
    .getByRole('button', { name: '确认签名' })
    .click();
}

describe('the case around its session in the app', () => {
  it('approves, issues with the seal, serves with a signature, and files the case', async () => {
    const { dataDir, demo } = await signedDemoSession('attest-e2e-casework-', 2, 6);
    dirs.push(dataDir);
    host = await startWebHost({ dataDir });
    const { client, close } = await contractClient(host.url);
    try {
      await client.invoke('auth.signIn', demo.accounts.admin);
      await client.invoke('users.create', {
        ...REVIEWER,
        displayName: '周法制',
        roles: ['legal_reviewer'],
      });
      await client.invoke('auth.signIn', demo.accounts.officer);
      for (const to of ['investigation', 'review'] as const)
        await client.invoke('cases.advancePhase', { id: demo.caseId, to });
      await client.invoke('sessions.seal', { id: demo.sessionId });
    } finally {
      close();
    }
    const caseUrl = (tab: string) => `${host!.url}#/cases/${demo.caseId}/${tab}`;

    // The administrator: the agency's name, short name and seal image.
    const admin = await open(host.url);
    await new SignInPage(admin).signIn(demo.accounts.admin.username, demo.accounts.admin.password);
    await admin.goto(`${host.url}#/settings`);
    const identity = admin.getByTestId('agency-identity');
    await identity.getByLabel('机关全称').fill('石家庄市人民防空办公室');
    await identity.getByLabel('机关简称（用于文号）').fill('石人防');
    const seal = join(dataDir, 'seal.png');
    writeFileSync(seal, drawSealPng());
    await identity.locator('input[type=file]').setInputFiles(seal);
    await identity.getByRole('button', { name: '保存' }).click();
    await identity.getByText('已保存').waitFor();
    await identity.getByRole('img', { name: '印章图像（PNG，透明背景）' }).waitFor();
    await admin.screenshot({ path: join(SHOTS, 'casework-1-seal.png'), fullPage: true });

    // 张伟, the handler, proposes the decision and signs.
    const desk = await open(host.url);
    await new SignInPage(desk).signIn(
      demo.accounts.officer.username,
      demo.accounts.officer.password,
    );
    await desk.goto(caseUrl('approvals'));
    const propose = desk.getByTestId('approval-propose');
    await propose.getByLabel('案件事实').fill('当事人新建民用建筑未按规定修建防空地下室。');
    await propose.getByRole('checkbox').first().check();
    await propose.getByLabel('证据（每行一项）').fill('现场检查照片\n建设工程规划许可证');
    await propose.getByLabel('法律依据').fill('《中华人民共和国人民防空法》第四十八条');
    await propose.getByLabel('裁量理由').fill('初次违法，从轻处罚');
    await propose.getByLabel('处理意见').fill('拟给予警告，并处罚款伍万元整');
    await sign(desk, '张伟 本人签名');
    await desk.getByTestId('approval-stage').getByText('待法制审核').waitFor();

    // The legal reviewer, then the leader, each signing their opinion.
    const reviewer = await open(host.url);
    await new SignInPage(reviewer).signIn(REVIEWER.username, REVIEWER.password);
    await reviewer.goto(caseUrl('approvals'));
    const review = reviewer.getByTestId('approval-review');
    await review.getByLabel('意见内容').fill('事实清楚，证据确凿，适用依据正确');
    await sign(reviewer, '周法制 本人签名');
    await reviewer.getByTestId('approval-stage').getByText('待负责人审批').waitFor();
    const leader = await open(host.url);
    await new SignInPage(leader).signIn(
      demo.accounts.leader.username,
      demo.accounts.leader.password,
    );
    await leader.goto(caseUrl('approvals'));
    await leader.getByTestId('approval-decide').getByLabel('意见内容').fill('同意');
    const leaderName = (await leader
      .getByTestId('approval-decide')
      .getByRole('img')
      .getAttribute('aria-label'))!;
    await sign(leader, leaderName);
    await leader.getByTestId('approval-stage').getByText('已批准').waitFor();
    await leader.getByText('可据此送达执行').waitFor();
    await leader.screenshot({ path: join(SHOTS, 'casework-2-approval.png'), fullPage: true });

    // The handler moves the case on and issues the decision from its template.
    await desk.goto(`${host.url}#/cases/${demo.caseId}`);
    await desk.getByRole('button', { name: /进入.*送达执行/ }).click();
    await desk.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await desk.getByTestId('case-phase').getByText('送达执行').waitFor();
    await desk.goto(caseUrl('documents'));
    const issue = desk.getByTestId('document-issue');
    await issue.getByLabel('文书').selectOption({ label: '行政处罚决定书' });
    await expect.poll(() => issue.getByLabel('当事人', { exact: true }).inputValue()).not.toBe('');
    const fill = async (label: string, text: string) => {
      const field = issue.getByLabel(label, { exact: true });
      if (!(await field.inputValue())) await field.fill(text);
    };
    await fill('住所（住址）', '石家庄市长安区建设北大街 88 号');
    await fill('违法事实', '新建民用建筑未按规定修建防空地下室');
    await fill('证据', '询问笔录及全程音像记录');
    await fill('处罚依据', '《中华人民共和国人民防空法》第四十八条');
    await fill('裁量理由', '初次违法，从轻处罚');
    await fill('处罚内容', '警告，并处罚款人民币伍万元整');
    await fill('履行方式和期限', '自收到本决定书之日起十五日内缴纳');
    await issue.getByRole('button', { name: '制发并加盖电子印章' }).click();
    await issue.getByText(/已制发 行政处罚决定书 石人防罚决字〔\d{4}〕1号/).waitFor();
    const card = desk
      .locator('[data-testid^="document-"]')
      .filter({ hasText: '行政处罚决定书' })
      .first();
    await card.getByTestId('served').getByText('未送达').waitFor();

    // Served directly: the recipient signs on the pad; then the execution.
    await card.getByRole('button', { name: '送达' }).click();
    await sign(desk, '受送达人签名');
    await card.getByTestId('served').getByText('已送达').waitFor();
    await card.getByRole('button', { name: '送达回证' }).waitFor();
    await card.getByRole('button', { name: '记录执行情况' }).click();
    await card.getByLabel('执行情况').fill('当事人已缴清罚款');
    await card.getByTestId('execution-form').getByRole('button', { name: '记录执行情况' }).click();
    await card.getByText(/执行：已全部履行/).waitFor();
    await desk.screenshot({ path: join(SHOTS, 'casework-3-documents.png'), fullPage: true });

    // A notice sent by post: filing waits for its receipt, attached when it comes back.
    await issue.getByLabel('文书').selectOption({ label: '行政处罚告知书' });
    await expect.poll(() => issue.getByLabel('当事人', { exact: true }).inputValue()).not.toBe('');
    await fill('违法事实', '新建民用建筑未按规定修建防空地下室');
    await fill('证据', '询问笔录及全程音像记录');
    await fill('处罚依据', '《中华人民共和国人民防空法》第四十八条');
    await fill('拟作出的行政处罚', '警告，并处罚款人民币伍万元整');
    await issue.getByRole('button', { name: '制发并加盖电子印章' }).click();
    await issue.getByText(/已制发 行政处罚告知书 石人防罚告字〔\d{4}〕1号/).waitFor();
    const notice = desk
      .locator('[data-testid^="document-"]')
      .filter({ hasText: '行政处罚告知书' })
      .first();
    await notice.getByRole('button', { name: '送达' }).click();
    const serve = notice.getByTestId('serve-form');
    await serve.getByLabel('送达方式').selectOption({ label: '邮寄送达' });
    await serve.getByLabel('邮件号').fill('EA123456789CN');
    await serve.getByRole('button', { name: '登记送达' }).click();
    await notice.getByTestId('served').getByText('送达待证明').waitFor();
    await reviewer.goto(caseUrl('filing'));
    await reviewer
      .getByTestId('filing-blockers')
      .getByText(/行政处罚告知书.*邮寄送达待附回执/)
      .waitFor();
    await reviewer.screenshot({ path: join(SHOTS, 'casework-4-blocked.png'), fullPage: true });
    const receipt = join(dataDir, '妥投证明.pdf');
    writeFileSync(receipt, '%PDF-1.4 delivery proof');
    await notice.getByTestId('attach-receipt').locator('input[type=file]').setInputFiles(receipt);
    await notice.getByRole('button', { name: '附上回执' }).click();
    await notice.getByTestId('served').getByText('已送达').waitFor();

    // The filing board lists the case with its clock; the reviewer signs the contents and files.
    await desk.goto(`${host.url}#/filing`);
    await desk.getByTestId('filing-board').getByText(demo.caseNo).waitFor();
    await desk.screenshot({ path: join(SHOTS, 'casework-4-board.png'), fullPage: true });
    await reviewer.goto(caseUrl('filing'));
    await reviewer.getByText('可以立卷归档：请审核卷内目录后签名。').waitFor();
    // Before filing, the compliance report: each rule with its evidence; this workstation has
    // no storage target, so the 24-hour copy is the one gap it shows.
    const compliance = reviewer.getByTestId('compliance');
    await compliance.getByText('1 项缺失').waitFor();
    await compliance.getByText(/处理决定经法制审核、负责人批准：法制审核意见：周法制/).waitFor();
    await compliance
      .locator('[data-status="missing"]')
      .getByText(/音像记录在 24 小时内存入指定存储：.*尚未存入指定存储/)
      .waitFor();
    await expect
      .poll(() => reviewer.getByTestId('filing-toc').locator('tr').count())
      .toBeGreaterThan(5);
    await sign(reviewer, '审核并签署卷内目录，归档 · 周法制 本人签名');
    await reviewer
      .getByTestId('filed')
      .getByText(/归档，审核人 周法制，立卷人 张伟/)
      .waitFor();
    await reviewer.getByTestId('filing-clock').getByText('已按期立卷归档').waitFor();
    await reviewer.screenshot({ path: join(SHOTS, 'casework-5-filed.png'), fullPage: true });
    await desk.goto(`${host.url}#/filing`);
    await desk.getByRole('heading', { name: '归档期限一览' }).waitFor();
    await expect.poll(() => desk.getByText(demo.caseNo).count()).toBe(0);

    // A complaint at the window, not opened, with the reason.
    await desk.goto(`${host.url}#/intake`);
    const register = desk.getByTestId('intake-register');
    await register.getByLabel('申请人/投诉举报人').fill('王某');
    await register.getByLabel('申请事项/投诉举报内容').fill('邻居装修噪音扰民');
    await register.getByRole('button', { name: '登记' }).click();
    const entry = desk.locator('[data-testid^="intake-"]').filter({ hasText: '王某' }).first();
    await entry.getByTestId('intake-state').getByText('已登记，待处理').waitFor();
    await entry.getByRole('button', { name: '作出处理' }).click();
    await entry
      .getByTestId('intake-decide')
      .getByLabel('作出处理')
      .selectOption({ label: '不予立案' });
    await entry.getByLabel('理由').fill('不属于人防行政执法事项，已告知向生态环境部门反映');
    await entry.getByTestId('intake-decide').getByRole('button', { name: '作出处理' }).click();
    await entry.getByTestId('intake-state').getByText('不予立案').waitFor();
    await desk.screenshot({ path: join(SHOTS, 'casework-6-intake.png'), fullPage: true });

    for (const p of [admin, desk, reviewer, leader])
      expect((p as Page & { errors: string[] }).errors).toEqual([]);
  }, 240_000);

  it('starts cases three ways, reports an emergency start, and keeps a complaint’s case long-term', async () => {
    await host?.stop();
    host = await startWebHost();
    const { client, close } = await contractClient(host.url);
    try {
      const officers = await seedOfficers(client);
      await client.invoke('users.create', {
        username: 'zhangwei',
        displayName: '张伟',
        password: REVIEWER.password,
        roles: ['officer'],
        officerId: officers[0]!.id,
      });
      await client.invoke('users.create', {
        ...REVIEWER,
        displayName: '周法制',
        roles: ['legal_reviewer'],
      });
    } finally {
      close();
    }
    const desk = await open(host.url);
    await new SignInPage(desk).signIn('zhangwei', REVIEWER.password);

    // Ex officio, in an emergency: the overview holds the 24-hour report until it is made.
    const form = await new CaseListPage(desk).startNewCase();
    await form.fill({
      caseNo: '石人防罚〔2026〕50号',
      cause: '擅自拆除人民防空工程',
      matterKind: '行政处罚',
      reason: '巡查发现正在拆除人防工程，须立即制止',
      officers: ['张伟', '李娜'],
    });
    await form
      .field('紧急情况先行立案的理由（须在 24 小时内报告；非紧急情况不填）')
      .fill('拆除正在进行，不立即立案将造成工程灭失');
    await form.submit();
    const initiation = desk.getByTestId('initiation');
    await initiation.getByText(/须在 .* 前报告/).waitFor();
    await initiation.getByLabel('报告对象').fill('陈局长');
    await initiation.getByLabel('报告方式').fill('电话报告');
    await initiation.getByRole('button', { name: '登记报告' }).click();
    await desk
      .getByTestId('emergency-reported')
      .getByText(/报告 陈局长（电话报告），记录人 张伟/)
      .waitFor();
    await desk.screenshot({ path: join(SHOTS, 'casework-7-emergency.png'), fullPage: true });

    // On application: corrections asked for and made, then accepted as a case.
    await desk.goto(`${host.url}#/intake`);
    const register = desk.getByTestId('intake-register');
    await register.getByLabel('类别').selectOption({ label: '依申请' });
    await register.getByLabel('申请人/投诉举报人').fill('石家庄某房地产开发有限公司');
    await register.getByLabel('申请事项/投诉举报内容').fill('申请人防工程易地建设审批');
    await register.getByRole('button', { name: '登记' }).click();
    const app = desk
      .locator('[data-testid^="intake-"]')
      .filter({ hasText: '石家庄某房地产' })
      .first();
    await app.getByRole('button', { name: '告知补正' }).click();
    await app.getByLabel('补正内容').fill('缺少人防工程设计文件');
    await app.getByRole('button', { name: '告知补正' }).last().click();
    await app.getByTestId('intake-state').getByText('已告知补正').waitFor();
    await app.getByRole('button', { name: '登记补正' }).click();
    await app.getByLabel('补正情况').fill('已补交设计文件');
    await app.getByRole('button', { name: '登记补正' }).last().click();
    await app.getByTestId('intake-state').getByText('已补正，待处理').waitFor();
    await app.getByRole('button', { name: '作出处理' }).click();
    await openCaseFrom(app, '石人防许〔2026〕3号', '人防工程易地建设审批');
    await app.getByTestId('intake-state').getByText('已受理').waitFor();
    await desk.screenshot({ path: join(SHOTS, 'casework-8-application.png'), fullPage: true });
    await app.getByRole('link', { name: '查看案件' }).click();
    await desk
      .getByTestId('initiation')
      .getByText(/依申请登记第 \d+ 号：石家庄某房地产开发有限公司/)
      .waitFor();

    // A complaint opened as a case: the record proposes long-term retention.
    await desk.goto(`${host.url}#/intake`);
    await register.getByLabel('申请人/投诉举报人').fill('李某');
    await register.getByLabel('申请事项/投诉举报内容').fill('某小区人防地下室被改作仓库');
    await register.getByRole('button', { name: '登记' }).click();
    const complaint = desk.locator('[data-testid^="intake-"]').filter({ hasText: '李某' }).first();
    await complaint.getByRole('button', { name: '作出处理' }).click();
    await openCaseFrom(complaint, '石人防罚〔2026〕51号', '擅自改变人防工程用途');
    await complaint.getByTestId('intake-state').getByText('已立案').waitFor();
    const href = (await complaint.getByRole('link', { name: '查看案件' }).getAttribute('href'))!;
    const reviewer = await open(host.url);
    await new SignInPage(reviewer).signIn(REVIEWER.username, REVIEWER.password);
    await reviewer.goto(`${host.url}${href}/filing`);
    const retention = reviewer.getByTestId('retention');
    await retention
      .getByTestId('retention-state')
      .getByText('建议长期保存，待法制审核确认')
      .waitFor();
    await retention.getByText(/因投诉举报立案：投诉举报人 李某/).waitFor();
    await retention.getByLabel('理由').fill('因投诉举报立案，当事人可能提出异议，长期保存');
    await retention.getByRole('button', { name: '确认长期保存' }).click();
    await retention.getByTestId('retention-state').getByText('已确认长期保存').waitFor();
    await retention.getByText('案卷保存期限：长期').waitFor();
    await reviewer.screenshot({ path: join(SHOTS, 'casework-9-retention.png'), fullPage: true });

    for (const p of [desk, reviewer]) expect((p as Page & { errors: string[] }).errors).toEqual([]);
  }, 240_000);
});
