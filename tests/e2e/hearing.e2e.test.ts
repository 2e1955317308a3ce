/**
 * A hearing (听证) end to end in Chromium against the real web host and core (R2.3, R2.2):
 * the demo's builder records a hearing through the contract (moderator, two investigators and
 * a recorder; the party, an agent, a third party and a witness; every step of the hearing
 * order marked on the clock, the recording announced and the rights explained, synthetic media
 * streamed into the recorder). In the app, the desk opens the signing; on the tablet the party,
 * the agent and the third party each read every page and sign in turn, the tablet handed on
 * with a plain message; the witness refuses at the desk, with the reason; two officers sign in
 * person (one on the tablet, armed with her own password); the record is finished. The
 * moderator's report is written on the session screen and signed with the moderator's own
 * password; the session is sealed. The bag is then read as a court's clerk would: pdftotext
 * finds every step in order, every participant and the refusal; the report is in it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HEARING } from '../../electron/core/demo/hearing-script';
import { removeTree } from '../../electron/core/platform/fs';
import { wallClock } from '../../electron/shared/time';
import { launchChromium } from '../helpers/browser';
import { signedDemoSession } from '../helpers/sealing';
import { ROOT, startWebHost, type RunningHost } from '../helpers/webhost';
import { SignInPage } from './pages/auth';
import { contractClient, DeskSigningPage, draw, PartySigningPage, scribble } from './pages/signing';
import { stepPositions, stepsTimed } from '../helpers/signing';

const SHOTS = join(ROOT, 'test-results');
const DESK = { width: 1440, height: 900 };
const TABLET = { width: 1000, height: 1300 };

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

async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(url);
  return page;
}

const pdfText = (pdf: string): string => {
  const r = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.replace(/\s+/g, '');
};

describe('a hearing in the app', () => {
  it('every participant signs in turn, one refuses, the moderator reports, and the seal holds it all', async () => {
    const { dataDir, demo } = await signedDemoSession('attest-e2e-hearing-', 2, 8, {
      kind: 'hearing',
      stopAfter: 'recorded',
    });
    dirs.push(dataDir);
    host = await startWebHost({ dataDir });
    const officer = demo.accounts.officer;

    // 张伟, an investigator, at the desk: the signing of the hearing's record.
    const desk = await open(host.url, DESK);
    await new SignInPage(desk).signIn(officer.username, officer.password);
    const deskPage = new DeskSigningPage(desk);
    await deskPage.goTo(host.url, demo.sessionId);
    const partyUrl = await deskPage.open();
    const signers = desk.getByTestId('signers');
    await signers.getByText('当事人 赵六：正在核对签名').waitFor();
    await signers.getByText(`证人 ${DEMO_HEARING.witness}：等待`).waitFor();
    await desk.screenshot({ path: join(SHOTS, 'hearing-1-desk.png'), fullPage: true });

    const tablet = await open(partyUrl, TABLET);
    const party = new PartySigningPage(tablet);
    await tablet.getByRole('heading', { name: '听证笔录核对与签名' }).waitFor();
    await tablet.locator('figure.pdfpage[data-drawn="true"]').waitFor();
    const count = Number(
      /共 (\d+) 页/.exec((await tablet.getByTestId('page-of').textContent())!)![1],
    );
    expect(count).toBeGreaterThanOrEqual(2);

    /** One signer's part: every page read, each signed, the seam (the party), the closing. */
    const signPart = async (index: number, who: string) => {
      const now = tablet.getByTestId('signer-now');
      await tablet
        .locator(`main.sign--party[data-signer="${index}"][data-step="review"]`)
        .waitFor();
      if (index > 0) await now.getByText(`请将平板交给${who}`).waitFor();
      else await now.getByText(`现在由${who}核对签名（第 1 位，共 4 位）`).waitFor();
      if (index === 1)
        await tablet.screenshot({ path: join(SHOTS, 'hearing-2-tablet-handover.png') });
      await party.readEveryPage(count);
      for (let page = 1; page <= count; page++) {
        await party.waitForStep('pages');
        await tablet.getByText(`第 ${page} 页，共 ${count} 页`).waitFor();
        await draw(tablet, party.pad(), 'pen', scribble(3 + (page % 3)));
        await party.submit(`确认第 ${page} 页签名`);
      }
      // Each participant signs across the seam too, in a band of their own.
      await party.waitForStep('seam');
      await draw(tablet, party.pad(), 'pen', scribble(6, 0.5, 0.35), 160);
      await party.submit('确认骑缝签名');
      await party.waitForStep('closing');
      await draw(tablet, party.pad(), 'pen', scribble(12, 0.5, 0.3), 240);
      await party.submit('确认');
    };
    await signPart(0, '当事人 赵六');
    await signPart(1, `委托代理人 ${DEMO_HEARING.agent}`);
    await signPart(2, `第三人 ${DEMO_HEARING.thirdParty}`);

    // The witness declines: the desk records it for them, with the reason.
    await tablet.locator('main.sign--party[data-signer="3"]').waitFor();
    await signers.getByText(`证人 ${DEMO_HEARING.witness}：正在核对签名`).waitFor();
    expect(await desk.getByTestId('refuse').textContent()).toBe(
      `证人 ${DEMO_HEARING.witness}拒绝签名`,
    );
    await desk.getByTestId('refuse').click();
    await desk.getByLabel('拒签理由').fill(DEMO_HEARING.witnessRefusal);
    await desk.getByRole('button', { name: '记录拒签' }).click();
    await signers
      .getByText(`证人 ${DEMO_HEARING.witness}：拒绝签名（理由：${DEMO_HEARING.witnessRefusal}）`)
      .waitFor();
    await party.waitForStep('officers');
    await tablet
      .getByText('各位参加人均已签名（拒绝签名的已在笔录上注明），谢谢。请将平板交给执法人员签名。')
      .waitFor();

    // Two officers in person: 李娜 on the tablet (her own password arms it), 张伟 at the desk.
    const lina = desk.locator('[data-testid^="officer-"]', { hasText: '李娜' }).first();
    const linaId = Number((await lina.getAttribute('data-testid'))!.replace('officer-', ''));
    await deskPage.armTablet(
      linaId,
      demo.accounts.officer2.username,
      demo.accounts.officer2.password,
    );
    await tablet.getByLabel('执法人员 李娜 签名').waitFor();
    await draw(tablet, party.pad(), 'pen', scribble(3));
    await party.submit('确认签名');
    await deskPage.progress().getByText('执法人员签名：1 / 2 人').waitFor();
    const zhang = desk.locator('[data-testid^="officer-"]', { hasText: '张伟' }).first();
    await deskPage.signHere(
      Number((await zhang.getAttribute('data-testid'))!.replace('officer-', '')),
    );
    await deskPage.progress().getByText('执法人员签名：2 / 2 人').waitFor();
    await desk.getByRole('button', { name: '完成并生成笔录 PDF' }).click();
    await desk
      .getByTestId('finished')
      .getByText(/SHA-256：[0-9a-f]{64}/)
      .waitFor();
    await desk.screenshot({ path: join(SHOTS, 'hearing-3-desk-finished.png'), fullPage: true });

    // The moderator's report, on the session screen: written, then signed by 王芳 herself.
    await desk.goto(`${host.url}#/cases/${demo.caseId}/sessions/${demo.sessionId}`);
    const report = desk.getByTestId('hearing-report');
    await report.getByRole('heading', { name: '听证报告' }).waitFor();
    const seal = desk.getByTestId('seal-panel');
    await seal.getByText('听证报告尚未由主持人签署').waitFor();
    await report
      .getByLabel('一、调查人员提出的违法事实、证据和处理建议')
      .fill('调查人员认为当事人未按规定修建防空地下室，建议依法处以罚款并责令限期补缴易地建设费。');
    await report
      .getByLabel('二、当事人及其委托代理人的陈述、申辩和质证意见')
      .fill('当事人承认事实，委托代理人请求从轻处罚；第三人无异议。');
    await report.getByLabel('三、听证认定的事实和证据').fill('事实清楚，证据确实充分。');
    await report.getByLabel('四、主持人意见及处理建议').fill('建议在法定幅度内从轻处罚。');
    await report.getByRole('button', { name: '保存报告' }).click();
    await report
      .getByTestId('hearing-report-version')
      .getByText(/第 1 稿已保存/)
      .waitFor();
    const confirm = report.getByTestId('hearing-report-confirm');
    await confirm.getByLabel('账号').fill(demo.accounts.moderator!.username);
    await confirm.getByLabel('密码').fill(demo.accounts.moderator!.password);
    await report
      .getByRole('button', { name: `主持人 ${DEMO_HEARING.moderator.name} 本人签署` })
      .click();
    await report
      .getByTestId('hearing-report-signed')
      .getByText(`已由主持人 ${DEMO_HEARING.moderator.name} 签署（输入本人口令确认`)
      .waitFor();
    await report.screenshot({ path: join(SHOTS, 'hearing-4-report.png') });

    // The seal.
    await seal.getByText('记录已完整，可以封存').waitFor();
    await seal.getByTestId('seal-button').click();
    const dialog = desk.getByRole('dialog', { name: '封存本次记录' });
    await dialog.getByRole('button', { name: '确认封存' }).click();
    const bag = (await seal.getByTestId('bundle-path').textContent())!.trim();
    expect(existsSync(join(bag, 'bagit.txt'))).toBe(true);
    expect((desk as Page & { errors: string[] }).errors).toEqual([]);
    expect((tablet as Page & { errors: string[] }).errors).toEqual([]);

    // The sealed record, as a reader finds it.
    const record = pdfText(join(bag, 'data', 'transcript', 'transcript.pdf'));
    const steps = stepPositions(record);
    // Each with its time on the recording's clock.
    expect(stepsTimed(record)).toBe(true);
    expect(steps.every((i) => i >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    for (const name of [
      `主持人：${DEMO_HEARING.moderator.name}`,
      '张伟',
      '李娜',
      DEMO_HEARING.recorder.name,
      '当事人签名',
      `委托代理人${DEMO_HEARING.agent}签名`,
      `第三人${DEMO_HEARING.thirdParty}签名`,
      `证人${DEMO_HEARING.witness}签名：拒绝签名`,
    ])
      expect(record).toContain(name);
    expect(record).toContain(`拒绝在笔录上签名。拒签理由：${DEMO_HEARING.witnessRefusal}`);
    const signatures = JSON.parse(
      readFileSync(join(bag, 'data', 'transcript', 'signatures.json'), 'utf8'),
    ) as { others: { kind: string; pages?: unknown[] }[] };
    expect(signatures.others.map((o) => o.kind)).toEqual(['signed', 'signed', 'refused']);
    expect(signatures.others[0]!.pages).toHaveLength(count);
    expect(pdfText(join(bag, 'data', 'hearing', 'hearing-report.pdf'))).toContain(
      '主持人意见及处理建议建议在法定幅度内从轻处罚。',
    );

    // The case's hearing procedure: told of the right, asked in time, notified at shorter
    // notice with the party's agreement on record.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const local = (ms: number) => {
      const w = wallClock(ms, zone);
      const p2 = (n: number) => String(n).padStart(2, '0');
      return `${w.year}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}`;
    };
    const now = Date.now();
    await desk.goto(`${host.url}#/cases/${demo.caseId}/hearing`);
    const proc = desk.getByTestId('hearing-procedure');
    await proc.getByTestId('hearing-stage').getByText('尚未告知听证权利').waitFor();
    const notice = proc.getByTestId('hearing-notice');
    await notice.getByLabel('文号').fill('演示人防听告〔2026〕1号');
    await notice.getByLabel('送达时间').fill(local(now - 3 * 3_600_000));
    await notice.getByLabel('受送达人').fill('赵六');
    await notice.getByRole('button', { name: '记录告知' }).click();
    await proc.getByText('已告知，等待当事人是否申请听证').waitFor();
    await proc.getByText(/申请期限：.* 前（还剩 \d 天）/).waitFor();
    const answer = proc.getByTestId('hearing-answer');
    await answer.getByLabel('提出时间').fill(local(now - 2 * 3_600_000));
    await answer.getByLabel('提出人').fill('赵六');
    await answer.getByRole('button', { name: '记录答复' }).click();
    await proc.getByText('当事人已申请听证，待通知听证时间、地点').waitFor();
    const summons = proc.getByTestId('hearing-summons');
    await summons.getByLabel('文号').fill('演示人防听通〔2026〕1号');
    await summons.getByLabel('通知送达时间').fill(local(now - 3_600_000));
    await summons.getByLabel('听证时间').fill(local(now + 3 * 86_400_000));
    await summons.getByLabel('听证地点').fill('听证室');
    await summons.getByLabel('主持人（非本案调查人员）').selectOption({
      label: `${DEMO_HEARING.moderator.name}（${DEMO_HEARING.moderator.certificateNo}）`,
    });
    // Three days' notice: the form asks for the party's agreement before it records it.
    expect(await summons.getByRole('button', { name: '记录通知' }).isDisabled()).toBe(true);
    await summons
      .getByLabel('当事人同意提前举行（不足七个工作日时填写）')
      .fill('当事人书面同意提前举行');
    await summons.getByRole('button', { name: '记录通知' }).click();
    await proc.getByText('已通知听证时间、地点').waitFor();
    await proc.getByText('不足七个工作日，当事人同意：当事人书面同意提前举行').waitFor();
    await desk.screenshot({ path: join(SHOTS, 'hearing-5-procedure.png'), fullPage: true });

    // A witness to be questioned, with particulars of their own (not a party record).
    await desk.goto(`${host.url}#/cases/${demo.caseId}/sessions`);
    await desk.getByRole('button', { name: '新建询问/听证' }).click();
    const create = desk.getByRole('dialog', { name: '新建询问/听证' });
    await create.getByLabel('类型').selectOption({ label: '询问' });
    await create.getByLabel('地点').fill('询问室');
    await create.getByRole('button', { name: '添加其他人员' }).click();
    await create.getByLabel('其他人员姓名').fill('周九');
    await create.getByRole('button', { name: '填写身份信息（被询问时打印在笔录中）' }).click();
    const particulars = create.getByRole('group', { name: '周九的身份信息' });
    await particulars.getByLabel('证件号码').fill('E12345678');
    await particulars.getByLabel('证件类型').selectOption({ label: '护照' });
    await create.screenshot({ path: join(SHOTS, 'hearing-6-witness-particulars.png') });
    await create.getByRole('button', { name: '创建' }).click();
    await create.waitFor({ state: 'detached' });
    const { client, close } = await contractClient(host.url);
    try {
      await client.invoke('auth.signIn', officer);
      const c = await client.invoke('cases.get', { id: demo.caseId });
      const witness = c.sessions.at(-1)!;
      const full = await client.invoke('sessions.get', { id: witness.id });
      expect(full.participants).toEqual([
        expect.objectContaining({
          role: 'witness',
          name: '周九',
          particulars: expect.objectContaining({ idType: 'passport', idNumber: 'E12345678' }),
        }),
      ]);
    } finally {
      close();
    }
  }, 300_000);
});
