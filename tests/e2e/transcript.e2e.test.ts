/**
 * The transcript while a session is recorded, end to end in Chromium against the real web
 * host and core: start the interview, type 问/答 turns with the keyboard, mark procedure steps
 * by shortcut and by the checklist, undo and redo, lose the connection for the transcript
 * (the renderer keeps retrying and keeps the edits in local storage), reload the page as if
 * it had crashed, and find every turn and marker again with its time; then seek and end the
 * session past the missing-steps warning. Waits on UI state only, never on time.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eHarness, SHOTS } from './pages/harness';
import { SetupPage, SignInPage } from './pages/auth';
import { CaseDetailPage, CaseListPage } from './pages/cases';
import { ADMIN, OFFICERS, PARTY } from './pages/fixtures';
import { DevicesPage } from './pages/devices';
import { OfficersPage } from './pages/officers';
import { SessionPage } from './pages/session';
import { Shell } from './pages/shell';
import { contractClient } from './pages/signing';

const DESK = { width: 1440, height: 900 };
const CASE_NO = '京人防罚〔2026〕7号';

const e2e = e2eHarness();

/**
 * A page whose WebSocket to the core passes through a switch: while `outage.on`, every
 * `transcripts.apply` is answered with an error (as if the core were unreachable for it)
 * and nothing reaches the core. Everything else goes through untouched.
 */
async function openPage(url: string, outage: { on: boolean }): Promise<Page> {
  const context = await e2e.context({ viewport: DESK, locale: 'zh-CN' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => {
    if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
  });
  await page.routeWebSocket(/\/rpc/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (outage.on && typeof message === 'string') {
        const frame = JSON.parse(message) as { id: number; method: string };
        if (frame.method === 'transcripts.apply') {
          ws.send(
            JSON.stringify({
              t: 'res',
              id: frame.id,
              ok: false,
              error: { code: 'INTERNAL', message: 'simulated outage' },
            }),
          );
          return;
        }
      }
      server.send(message);
    });
  });
  await page.goto(url);
  return page;
}

/** 张伟's own account: the case's officer conducts the interview (and may play it back). */
const ZHANG = { username: 'zhangwei', password: 'zhangwei-desk-2026' };

async function prepareInterview(page: Page, url: string): Promise<void> {
  const setup = new SetupPage(page);
  await setup.waitForIt();
  await setup.createAdmin(ADMIN);
  await new SignInPage(page).signIn(ADMIN.username, ADMIN.password);
  await new Shell(page).goTo('执法人员');
  const officers = new OfficersPage(page);
  for (const o of OFFICERS) await officers.register(o);
  // The fixed recording equipment of the room (R3.6): numbered before it records.
  await new Shell(page).goTo('设备登记');
  const devices = new DevicesPage(page);
  // CAM-01 is registered as the room's wide view: the pre-flight proposes that, not the
  // close-up it would give the first camera otherwise.
  await devices.register({ deviceNo: 'CAM-01', kind: '摄像机', label: '询问室全景', role: '全景' });
  await devices.register({ deviceNo: 'CAM-02', kind: '摄像机', label: '询问室全景' });
  await devices.register({ deviceNo: 'MIC-01', kind: '拾音器（麦克风）', label: '桌面拾音器' });
  // The administrator gives 张伟 an account; from here 张伟 works the case at the desk.
  const { client, close } = await contractClient(url);
  await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  const zhang = (await client.invoke('officers.list', {})).find((o) => o.name === '张伟')!;
  await client.invoke('users.create', {
    username: ZHANG.username,
    displayName: '张伟',
    password: ZHANG.password,
    roles: ['officer'],
    officerId: zhang.id,
  });
  close();
  await page.reload();
  await new SignInPage(page).signIn(ZHANG.username, ZHANG.password);
  await new Shell(page).goTo('案件列表');
  const newCase = await new CaseListPage(page).startNewCase();
  await newCase.fill({
    caseNo: CASE_NO,
    cause: '未按规定修建防空地下室',
    matterKind: '行政处罚',
    reason: '日常巡查发现某住宅项目未按规定修建防空地下室',
    officers: OFFICERS.map((o) => o.name),
    party: PARTY,
  });
  await newCase.submit();
  const detail = new CaseDetailPage(page);
  await detail.waitFor(CASE_NO);
  await detail.openInterview({
    place: '市人防办执法大队',
    room: '2号询问室',
    officers: [
      { name: OFFICERS[0].name, role: '询问人' },
      { name: OFFICERS[1].name, role: '记录人' },
    ],
    party: PARTY.name,
  });
  await detail.sessionsTable().getByRole('link', { name: '询问' }).click();
}

describe('the transcript while recording', () => {
  it('types turns and markers by keyboard, survives an outage and a reload, and ends', async () => {
    const h = await e2e.host();
    const outage = { on: false };
    const page = await openPage(h.url, outage);
    await prepareInterview(page, h.url);
    const session = new SessionPage(page);
    await session.waitFor('询问', CASE_NO);

    // Header: who, where; before the start the pre-flight check has the screen to itself.
    const facts = page.locator('.session__facts');
    await facts.getByText('市人防办执法大队 · 2号询问室').waitFor();
    expect(await facts.textContent()).toContain(`执法证号 ${OFFICERS[0].certificateNo}`);
    expect(await facts.textContent()).toContain(`${PARTY.name}（当事人）`);
    expect(await session.status().textContent()).toBe('待开始');
    await page.getByTestId('camera-grid').waitFor();
    expect(await page.locator('.session__transcript').count()).toBe(0);

    // Recording cannot start before the pre-flight check is confirmed (R3.6).
    await page.getByRole('button', { name: '开始记录' }).click();
    const early = page.getByRole('dialog', { name: '开始记录' });
    await early.getByText('请先完成录制前检查并确认').waitFor();
    expect(await early.getByRole('button', { name: '开始记录' }).isDisabled()).toBe(true);
    await early.getByRole('button', { name: '取消' }).click();
    await session.preflight();
    await session.start();
    expect(await session.status().textContent()).toBe('录制中');
    expect(await session.recordingIndicator().textContent()).toMatch(/录制中\d{2}:\d{2}:\d{2}/);
    // Leaving the session screen does not stop the recording (no selective recording): back
    // on it, the same recording runs on and the camera keeps sending.
    const sentKiB = async () =>
      Number(
        /(\d+) KiB/.exec((await page.getByTestId('health-cam1').textContent()) ?? '')?.[1] ?? 0,
      );
    await expect.poll(sentKiB, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('link', { name: `返回案件 ${CASE_NO}` }).click();
    await page.getByRole('heading', { name: CASE_NO }).waitFor();
    await page.goBack();
    await session.waitFor('询问', CASE_NO);
    expect(await session.status().textContent()).toBe('录制中');
    const sentBefore = await sentKiB();
    await expect.poll(sentKiB, { timeout: 30_000 }).toBeGreaterThan(sentBefore);
    // Every procedure step starts as not done.
    await expect.poll(() => page.getByTestId('procedure-summary').textContent()).toBe('4 项未完成');

    // Typing: the first turn is 问; Enter at the end starts the next with the other speaker.
    await page.getByRole('button', { name: '新增第一段（问）' }).click();
    await expect.poll(() => session.focusedName()).toBe('第 1 段（问）');
    await page.keyboard.type('请问你的姓名？');
    await page.keyboard.press('Enter');
    await expect.poll(() => session.focusedName()).toBe('第 2 段（答）');
    await page.keyboard.type('王小明。');
    await page.keyboard.press('Enter');
    await expect.poll(() => session.focusedName()).toBe('第 3 段（问）');
    // Officers identify themselves: Alt+1 marks the first step now.
    await page.keyboard.press('Alt+Digit1');
    await session.procedureStep('表明身份、出示证件').getByText('已完成').waitFor();

    await page.keyboard.type('你是否为该项目负责人？');
    // Alt+S cycles the speaker: 问 → 答 → 问.
    await page.keyboard.press('Alt+KeyS');
    await expect.poll(() => session.focusedName()).toBe('第 3 段（答）');
    await page.keyboard.press('Alt+KeyS');
    await expect.poll(() => session.focusedName()).toBe('第 3 段（问）');
    await page.keyboard.press('Enter');
    await expect.poll(() => session.focusedName()).toBe('第 4 段（答）');
    // Shift+Enter is a line break inside the turn.
    await page.keyboard.type('是的。');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('我负责该项目。');
    expect(await session.turn(4).inputValue()).toBe('是的。\n我负责该项目。');

    // The recording is announced: marked from the checklist this time (R3.4).
    await page.getByRole('button', { name: '标记：告知录音录像' }).click();
    await session.procedureStep('告知录音录像').getByText('已完成').waitFor();
    await expect.poll(() => page.getByTestId('procedure-summary').textContent()).toBe('2 项未完成');
    // An interruption and the resumption each need their reason (R3.5).
    await session.turn(4).focus();
    await page.keyboard.press('Alt+Digit9');
    await session.confirmNote('记录中断', '摄像机电量不足');
    await page.keyboard.press('Alt+Digit0');
    await session.confirmNote('恢复记录', '已口头说明：更换电池后恢复');
    await page.getByRole('region', { name: '程序节点' }).getByText('摄像机电量不足').waitFor();

    // Undo and redo: a slip typed at the end of turn 4 goes and comes back.
    await session.turn(4).focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('多余');
    expect(await session.turn(4).inputValue()).toBe('是的。\n我负责该项目。多余');
    await page.keyboard.press('Control+KeyZ');
    await expect.poll(() => session.turn(4).inputValue()).toBe('是的。\n我负责该项目。');
    await page.keyboard.press('Control+Shift+KeyZ');
    await expect.poll(() => session.turn(4).inputValue()).toBe('是的。\n我负责该项目。多余');
    await page.keyboard.press('Control+KeyZ');
    await expect.poll(() => session.turn(4).inputValue()).toBe('是的。\n我负责该项目。');
    await session.waitForSave('已保存');

    // The agency's phrase guide at the caret: Alt+K, a word typed to find it, Enter inserts
    // it where the caret was (here at the start of turn 3); undo takes it back.
    await session.turn(3).focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Alt+KeyK');
    const palette = page.getByRole('dialog', { name: '执法用语' });
    await palette.getByRole('combobox', { name: '查找执法用语' }).fill('如实回答');
    await palette.getByRole('option').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'transcript-phrases.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => palette.count()).toBe(0);
    const opening = '现在依法对你进行询问，请你如实回答问题，不得作伪证或者隐匿证据。';
    await expect.poll(() => session.turn(3).inputValue()).toBe(`${opening}你是否为该项目负责人？`);
    // The caret stands after what was inserted: typing goes on from there.
    await page.keyboard.type('请回答：');
    await expect
      .poll(() => session.turn(3).inputValue())
      .toBe(`${opening}请回答：你是否为该项目负责人？`);
    await page.keyboard.press('Control+KeyZ');
    await expect.poll(() => session.turn(3).inputValue()).toBe('你是否为该项目负责人？');
    await session.waitForSave('已保存');
    // Back to the end of turn 4, where the clerk was.
    await session.turn(4).focus();
    await page.keyboard.press('Control+End');

    await page.screenshot({ path: join(SHOTS, 'transcript.png') });

    // The core becomes unreachable for the transcript: the clerk keeps typing, the pane says
    // it is retrying, and the edits wait in local storage.
    outage.on = true;
    await page.keyboard.press('Enter');
    await expect.poll(() => session.focusedName()).toBe('第 5 段（问）');
    await page.keyboard.type('这期间的笔录保存了吗？');
    await session.waitForSave('保存失败，重试中');
    const before = await session.rows();
    // Markers sit on the timeline by time: Alt+1 came just after turn 3 had begun.
    expect(before.map((r) => r.type)).toEqual([
      'turn',
      'turn',
      'turn',
      'marker',
      'turn',
      'marker',
      'marker',
      'marker',
      'turn',
    ]);
    expect(before.filter((r) => r.type === 'turn').map((r) => [r.label, r.text])).toEqual([
      ['问', '请问你的姓名？'],
      ['答', '王小明。'],
      ['问', '你是否为该项目负责人？'],
      ['答', '是的。\n我负责该项目。'],
      ['问', '这期间的笔录保存了吗？'],
    ]);
    expect(before.filter((r) => r.type === 'marker').map((r) => [r.label, r.text])).toEqual([
      ['表明身份、出示证件', ''],
      ['告知录音录像', ''],
      ['记录中断', '摄像机电量不足'],
      ['恢复记录', '已口头说明：更换电池后恢复'],
    ]);
    for (const r of before) expect(r.time).toMatch(/^\d{2}:\d{2}:\d{2}$/);

    // The renderer "crashes" (reload) while the outage lasts: after signing in again the
    // unsent turn is back on screen from local storage, and still being retried.
    await page.reload();
    await new SignInPage(page).signIn(ZHANG.username, ZHANG.password);
    await session.waitFor('询问', CASE_NO);
    await expect.poll(() => session.rows()).toEqual(before);
    await session.waitForSave('保存失败，重试中');

    // The core is reachable again: the retry stores it.
    outage.on = false;
    await session.waitForSave('已保存');

    // A second reload reads everything back from the core alone.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage))
        if (key.startsWith('attest.transcript.unsent.')) throw new Error(`left unsent: ${key}`);
    });
    await page.reload();
    await new SignInPage(page).signIn(ZHANG.username, ZHANG.password);
    await session.waitFor('询问', CASE_NO);
    await expect.poll(() => session.rows()).toEqual(before);
    await session.procedureStep('表明身份、出示证件').getByText('已完成').waitFor();

    // The reloads stopped the cameras: the recording is interrupted, honestly, and resumes
    // only with the reason stated (R3.5).
    await expect.poll(() => session.status().textContent(), { timeout: 30_000 }).toBe('已中断');
    await session.resume('工作站页面重新加载，录制中断');
    // Recording again: let every source write a few fragments, and say something meanwhile.
    const written = (id: string) =>
      page
        .getByTestId(`health-${id}`)
        .textContent()
        .then((t) => /[1-9]\d* KiB/.test(t ?? ''));
    await expect.poll(() => written('program'), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => written('mic1'), { timeout: 30_000 }).toBe(true);
    await session.turn(before.filter((r) => r.type === 'turn').length).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('恢复录制后继续询问。');
    await session.waitForSave('已保存');
    const resumedTurn = (await session.rows()).at(-1)!;
    expect(resumedTurn.text).toBe('恢复录制后继续询问。');
    await expect
      .poll(() => page.getByTestId('health-program').textContent(), { timeout: 30_000 })
      .toMatch(/(\d{3,}|[2-9]\d) KiB/);

    // The rights notice as the agency's phrase guide words it: inserted as the officer's turn,
    // an answer to type the party's reply into, and the step marked (R2.5).
    await page.getByRole('button', { name: '插入告知语：告知权利义务' }).click();
    await session.procedureStep('告知权利义务').getByText('已完成').waitFor();
    await page.keyboard.type('清楚，不申请回避。');
    await session.waitForSave('已保存');
    const notice = (await session.rows()).filter((r) => r.type === 'turn').slice(-2);
    expect(notice[0]!.label).toBe('问');
    expect(notice[0]!.text).toContain('你有陈述、申辩的权利');
    expect(notice[1]).toMatchObject({ label: '答', text: '清楚，不申请回避。' });
    // And the party's answers as fields on the notice, taken down while recording.
    const answers = session.procedureStep('告知权利义务').getByTestId('answers-rights_explained');
    await answers.getByLabel('当事人表示听清楚了').check();
    await answers.getByLabel('是否申请回避').selectOption({ label: '不申请回避' });
    await answers.getByRole('button', { name: '记下答复' }).click();
    await answers.getByText('表示听清楚了；不申请回避').waitFor();
    await session
      .procedureStep('告知权利义务')
      .screenshot({ path: join(SHOTS, 'transcript-notice-answers.png') });
    await session.waitForSave('已保存');

    // A turn's time stamp asks playback to seek there.
    const third = before.filter((r) => r.type === 'turn')[2]!;
    await page
      .getByRole('button', { name: `定位到 ${third.time}` })
      .first()
      .click();
    await expect.poll(() => session.seekPosition().textContent()).toBe(third.time);

    // Ending with steps missing warns, and takes a second confirmation.
    await page.getByRole('button', { name: '结束记录' }).click();
    const end = page.getByRole('dialog', { name: '结束记录' });
    const missing = end.getByTestId('end-missing');
    await missing.waitFor();
    expect(await missing.textContent()).not.toContain('告知权利义务');
    expect(await missing.textContent()).toContain('核对当事人身份');
    await end.getByRole('button', { name: '结束记录' }).click();
    await end.getByText('仍要结束记录吗').waitFor();
    await page.screenshot({ path: join(SHOTS, 'transcript-end.png') });
    await end.getByRole('button', { name: '仍然结束' }).click();
    await end.waitFor({ state: 'detached' });
    await expect.poll(() => session.status().textContent()).toBe('已结束');
    await page.getByText('记录已结束').first().waitFor();
    expect(await session.recordingIndicator().count()).toBe(0);
    // The missing steps stay visible on the record.
    expect(await session.procedureStep('核对当事人身份').textContent()).toContain('未完成');

    // Playback: the program and every camera, side by side; a turn's time stamp seeks them
    // all to that moment, each with a decoded picture, within a frame or two of each other.
    await page.getByTestId('playback').waitFor();
    // Each picture is named by its registered device number and role.
    expect(await page.locator('[data-testid=playback] figcaption').allTextContents()).toEqual([
      '合成画面',
      'CAM-01 · 全景',
    ]);
    // The moment of the turn typed after resuming: every source recorded it.
    const [hh, mm, ss] = resumedTurn.time.split(':').map(Number) as [number, number, number];
    const target = hh * 3600 + mm * 60 + ss;
    await page
      .getByRole('button', { name: `定位到 ${resumedTurn.time}` })
      .last()
      .click();
    const videos = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLVideoElement>('[data-testid=playback] video')].map(
          (v) => ({
            source: v.dataset.source ?? '',
            t: v.currentTime,
            ready: v.readyState,
            width: v.videoWidth,
            buffered: [...Array(v.buffered.length).keys()].map((i) => [
              v.buffered.start(i),
              v.buffered.end(i),
            ]),
            error: v.error?.message ?? null,
          }),
        ),
      );
    // Polls for every video showing a decoded picture; on failure the message shows them all.
    await expect
      .poll(
        async () => {
          const v = await videos();
          return v.length > 0 &&
            v.every((x) => x.ready >= 2 && x.width > 0 && Math.abs(x.t - target) < 1.1)
            ? 'decoded'
            : JSON.stringify({
                target,
                v,
                shown: await page.getByTestId('playback-time').textContent(),
                asked: await session.seekPosition().textContent(),
              });
        },
        { timeout: 30_000 },
      )
      .toBe('decoded');
    const seen = await videos();
    expect(seen.map((v) => v.source)).toEqual(expect.arrayContaining(['program', 'cam1']));
    for (const v of seen) expect(Math.abs(v.t - target)).toBeLessThan(1.1);
    const times = seen.map((v) => v.t);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(0.1);
    await page.screenshot({ path: join(SHOTS, 'playback.png') });
  });
});
