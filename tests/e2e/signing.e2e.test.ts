/**
 * Review and signing end to end in Chromium against the real web host and core
 * (R2.2, R2.4): an interview recorded through the contract (start, a transcript of several
 * pages, end); the officers' desk opens the signing; the party's page, in a second browser
 * page, shows the record drawn by pdf.js under the app's CSP; the party pages through every
 * page, a correction after the review is confirmed with initials, every page and the seam
 * are signed with a pen (pointer events with pressure), the closing statement is written,
 * two officers sign in person (one on the tablet the desk armed for her with her own password,
 * the signed-in one at the desk with the mouse), and the desk
 * finishes. The PDF from the data directory is then checked with poppler and qpdf: it
 * renders, embeds a font subset, is structurally sound, its PAdES signature is valid, and
 * every page carries its signature and its seam strip. Then the refusal path. Waits on UI
 * state only, never on time.
 */
import { registerChecked, startChecked } from '../helpers/core';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Client } from '../../electron/shared/client';
import type { SigningStatusDto } from '../../electron/shared/api/signing';
import { transcriptActions } from '../helpers/signing';
import { e2eHarness, SHOTS } from './pages/harness';
import { SignInPage } from './pages/auth';
import { ADMIN, residentId } from './pages/fixtures';
import { contractClient, DeskSigningPage, draw, PartySigningPage, scribble } from './pages/signing';
import { DPI, inkIn, readPpm, type Picture } from '../helpers/pdfInk';

/** The officers' own accounts: 张伟 and 李娜. */
const OFFICER_ACCOUNTS = [
  { username: 'zhangwei', password: 'zhang-wei-pw-2026' },
  { username: 'lina', password: 'li-na-pw-2026' },
] as const;
const DESK = { width: 1280, height: 900 };
/** A pen display in portrait, as at the interview table. */
const TABLET = { width: 1000, height: 1300 };

const e2e = e2eHarness();

/** A page that fails the test on any script error or CSP violation. */
async function openPage(
  url: string,
  viewport: { width: number; height: number },
  options: { ignoreHTTPSErrors?: boolean } = {},
): Promise<Page> {
  const context = await e2e.context({ viewport, locale: 'zh-CN', ...options });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()))
      problems.push(`csp: ${m.text()}`);
  });
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(url);
  return page;
}
const problemsOf = (page: Page): string[] => (page as Page & { problems: string[] }).problems;

/** The administrator, two officers and a case with one party, through the contract. */
async function seed(client: Client) {
  await client.invoke('auth.setup', ADMIN);
  await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  const officers = [
    await client.invoke('officers.create', { name: '张伟', certificateNo: '13010012345' }),
    await client.invoke('officers.create', { name: '李娜', certificateNo: '13010067890' }),
  ] as const;
  // Each officer has an account of their own: an officer signs only in person (R2.2).
  for (const [i, o] of officers.entries()) {
    await client.invoke('users.create', {
      username: OFFICER_ACCOUNTS[i]!.username,
      displayName: o.name,
      password: OFFICER_ACCOUNTS[i]!.password,
      roles: ['officer'],
      officerId: o.id,
    });
  }
  const c = await client.invoke('cases.create', {
    caseNo: '石人防罚〔2026〕12号',
    cause: '未按规定修建防空地下室',
    matterKind: 'penalty',
    origin: { kind: 'ex_officio', source: '日常巡查', reason: '巡查发现未按规定修建防空地下室' },
    officerIds: officers.map((o) => o.id),
    parties: [
      {
        kind: 'person',
        name: '赵六',
        idType: 'resident_id',
        idNumber: residentId('11010519491231002'),
        address: '石家庄市长安区建设北大街1号',
        contact: '13800000000',
      },
    ],
  });
  return { officers, c };
}

/** An interview of two officers and one party, recorded through the contract and ended. */
async function recordInterview(client: Client, rounds: number, notices = true) {
  const { officers, c } = await seed(client);
  const session = await client.invoke('sessions.create', {
    caseId: c.id,
    kind: 'interview',
    place: '石家庄市人民防空办公室',
    room: '2号询问室',
    officers: [
      { officerId: officers[0].id, role: 'interviewer' },
      { officerId: officers[1].id, role: 'recorder' },
    ],
    participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '赵六' }],
  });
  // From here the record is 张伟's, the case's officer: the case team keeps and signs it; the
  // administrator who set things up is not on it.
  await registerChecked(client);
  await client.invoke('auth.signOut', {});
  await client.invoke('auth.signIn', OFFICER_ACCOUNTS[0]!);
  await startChecked(client, session.id);
  const { seq } = await client.invoke('transcripts.apply', {
    sessionId: session.id,
    baseSeq: 0,
    actions: transcriptActions(rounds, 0, notices),
  });
  await client.invoke('transcripts.apply', {
    sessionId: session.id,
    baseSeq: seq,
    actions: [{ type: 'marker.add', id: 'm-rec', kind: 'recording_announced', at: 1_000 }],
  });
  const ended = await client.invoke('sessions.end', { id: session.id, confirm: true });
  return { session: ended, officers };
}

/** 张伟 (the interviewer) signs in at the desk with his own account. */
async function signInDesk(url: string): Promise<Page> {
  const desk = await openPage(url, DESK);
  await new SignInPage(desk).signIn(OFFICER_ACCOUNTS[0].username, OFFICER_ACCOUNTS[0].password);
  return desk;
}

// ---------------------------------------------------------------------------------------
// Reading the PDF

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function renderPages(pdfPath: string, dir: string): Picture[] {
  const r = run('pdftoppm', ['-r', String(DPI), pdfPath, join(dir, 'page')]);
  expect(r.status, r.out).toBe(0);
  return readdirSync(dir)
    .filter((f) => f.startsWith('page-') && f.endsWith('.ppm'))
    .sort()
    .map((f) => readPpm(join(dir, f)));
}

/** The standard checks of a finished record: renders, subset font, sound, validly signed. */
function checkPdf(pdfPath: string, work: string, shot: string): { text: string; pages: Picture[] } {
  mkdirSync(work, { recursive: true });
  const fonts = run('pdffonts', [pdfPath]);
  expect(fonts.status).toBe(0);
  // A subset is named XXXXXX+Name and embedded (emb yes, sub yes).
  expect(fonts.out).toMatch(
    /[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes/,
  );
  const check = run('qpdf', ['--check', pdfPath]);
  expect(check.status, check.out).toBe(0);
  expect(run('pdfsig', [pdfPath]).out).toMatch(/Signature Validation: Signature is Valid\./);
  // A page to look at (PNG at screen resolution), kept with the test results.
  expect(run('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdfPath, shot]).status).toBe(0);
  const text = run('pdftotext', ['-layout', pdfPath, '-']).out;
  return { text, pages: renderPages(pdfPath, work) };
}

describe('review and signing on the tablet', () => {
  it('pages through, confirms a correction, signs every page, the seam, the statement; officers sign; the PDF checks out', async () => {
    const h = await e2e.host();
    const { client, close } = await contractClient(h.url);
    e2e.cleanup(close);
    const { session, officers } = await recordInterview(client, 3);

    // The desk opens the signing and hands out the party page's address.
    const desk = await signInDesk(h.url);
    const deskPage = new DeskSigningPage(desk);
    await deskPage.goTo(h.url, session.id);
    await desk.getByText('录制结束后，由当事人在签名屏上逐页核对笔录并签名。').waitFor();
    const partyUrl = await deskPage.open();
    expect(partyUrl).toMatch(/#\/sign\/\d+\/[A-Za-z0-9_-]{43}$/);
    const signingId = Number(/#\/sign\/(\d+)\//.exec(partyUrl)![1]);
    let status: SigningStatusDto = await client.invoke('signing.status', { signingId });
    const count = status.pageCount;
    expect(count).toBeGreaterThanOrEqual(3);
    await deskPage.progress().getByText(`阅读：0 / ${count} 页`).waitFor();

    // The party's page: a second browser page, not signed in, nothing else reachable.
    const tablet = await openPage(partyUrl, TABLET);
    const party = new PartySigningPage(tablet);
    await party.waitForStep('review', 1);
    await tablet.getByRole('heading', { name: '询问笔录核对与签名' }).waitFor();
    expect(await tablet.getByRole('navigation', { name: '主导航' }).count()).toBe(0);
    await tablet.locator('figure.pdfpage[data-drawn="true"]').waitFor();
    await tablet.screenshot({ path: join(SHOTS, 'signing-1-review.png') });
    await party.readEveryPage(count);
    await party.waitForStep('pages', 1);
    await deskPage.progress().getByText(`阅读：${count} / ${count} 页`).waitFor();

    // The party asks for a change; the clerk makes it; the desk marks it for confirmation.
    const { seq, state } = await client.invoke('transcripts.get', { sessionId: session.id });
    const turn = state.turns.find((t) => t.id === 'a0-4')!;
    await client.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: seq,
      actions: [
        { type: 'turn.text', id: turn.id, text: turn.text.replace('2024年4月', '2024年5月') },
      ],
    });
    await tablet.getByText('执法人员正在根据您的意见修改笔录').waitFor();
    await desk.getByRole('button', { name: '更新签名页（标出修改）' }).click();
    await party.waitForStep('review', 2);
    status = await client.invoke('signing.status', { signingId });
    expect(status.corrections).toMatchObject([{ originalText: '4', newText: '5' }]);
    // The changed text is read again, every page of the new version.
    await party.readEveryPage(status.pageCount);
    await party.waitForStep('corrections', 2);
    const change = tablet.getByTestId('correction');
    expect(await change.locator('del').textContent()).toBe('4');
    expect(await change.locator('ins').textContent()).toBe('5');
    await tablet.locator('.pdfpage__mark').waitFor();
    await draw(tablet, party.pad(), 'pen', scribble(2, 0.5, 0.3), 40);
    await tablet.screenshot({ path: join(SHOTS, 'signing-2-correction.png') });
    await party.submit('确认此处修改');

    // Every page, signed with the pen.
    for (let page = 1; page <= status.pageCount; page++) {
      await party.waitForStep('pages', 2);
      await tablet.getByText(`第 ${page} 页，共 ${status.pageCount} 页`).waitFor();
      await draw(tablet, party.pad(), 'pen', scribble(3 + (page % 3)));
      if (page === 1) await tablet.screenshot({ path: join(SHOTS, 'signing-3-page.png') });
      await party.submit(`确认第 ${page} 页签名`);
    }
    // The seam: one signature across all pages, explained on screen.
    await party.waitForStep('seam', 2);
    await tablet.getByText(`签名会沿虚线切成 ${status.pageCount} 份`).waitFor();
    expect(await tablet.locator('.sigpad__guide').count()).toBe(status.pageCount - 1);
    await draw(tablet, party.pad(), 'pen', scribble(6, 0.5, 0.35), 160);
    await tablet.screenshot({ path: join(SHOTS, 'signing-4-seam.png') });
    await party.submit('确认骑缝签名');
    // The closing statement, handwritten.
    await party.waitForStep('closing', 2);
    await tablet.getByText('以上笔录我看过，和我说的相符').first().waitFor();
    await draw(tablet, party.pad(), 'pen', scribble(12, 0.5, 0.3), 240);
    await party.submit('确认');

    // Officers sign in person. The tablet offers no officer's pad until the desk arms it.
    await party.waitForStep('officers', 2);
    await tablet.getByText('您的签名已完成，谢谢。请将平板交给执法人员签名。').waitFor();
    await tablet.getByTestId('officer-waiting').waitFor();
    expect(await tablet.getByTestId('pad').count()).toBe(0);
    // 李娜 signs on the tablet: at the desk (where 张伟 is signed in) she confirms with her
    // own password; a wrong one is refused and arms nothing.
    await deskPage.officer(officers[1].id).getByRole('button', { name: '在签名屏上签名' }).click();
    await desk.getByTestId('officer-confirm').waitFor();
    await desk.screenshot({ path: join(SHOTS, 'signing-5-desk-confirm.png'), fullPage: true });
    await deskPage.armTablet(officers[1].id, OFFICER_ACCOUNTS[1].username, 'not-her-password');
    await desk.getByText('账号或密码不正确').waitFor();
    expect(await desk.getByTestId('armed').count()).toBe(0);
    await deskPage.confirmAs(OFFICER_ACCOUNTS[1].username, OFFICER_ACCOUNTS[1].password);
    await desk.getByTestId('arm-officer').click();
    await desk
      .getByTestId('armed')
      .getByText(`签名屏已准备好由 ${officers[1].name} 签名`)
      .waitFor();
    await tablet.getByLabel(`执法人员 ${officers[1].name} 签名`).waitFor();
    // The tablet says plainly whose signature it now waits for.
    await tablet
      .getByTestId('officer-now')
      .getByText(`现在请执法人员 ${officers[1].name}（执法证号`)
      .waitFor();
    await desk.screenshot({ path: join(SHOTS, 'signing-5-desk-armed.png'), fullPage: true });
    await draw(tablet, party.pad(), 'pen', scribble(3));
    await party.submit('确认签名');
    await tablet.getByText(`${officers[1].name}（已签名）`).waitFor();
    await tablet.getByTestId('officer-waiting').waitFor();
    await deskPage.progress().getByText('执法人员签名：1 / 2 人').waitFor();
    expect(await desk.getByTestId('armed').count()).toBe(0);
    // 张伟, signed in, signs at the desk with the mouse: no password asked of him.
    await deskPage.officer(officers[0].id).getByRole('button', { name: '在本机签名' }).click();
    expect(await desk.getByTestId('officer-confirm').count()).toBe(0);
    await draw(desk, desk.getByTestId('desk-pad').locator('canvas'), 'mouse', scribble(3), 60);
    await desk.getByRole('button', { name: '确认签名' }).click();
    await deskPage.progress().getByText('执法人员签名：2 / 2 人').waitFor();
    await party.waitForStep('finish', 2);

    await desk.getByRole('button', { name: '完成并生成笔录 PDF' }).click();
    const finished = desk.getByTestId('finished');
    await finished.getByText(/SHA-256：[0-9a-f]{64}/).waitFor();
    await desk.screenshot({ path: join(SHOTS, 'signing-6-desk-finished.png') });
    await party.waitForStep('finished', 2);
    await tablet.getByText('笔录已签署完成。').waitFor();

    // The desk page is inside the app (its navigation shows) and offers the next step, the
    // seal; it leads back to the session screen, where the signed record is read-only.
    await desk.getByRole('navigation', { name: '主导航' }).waitFor();
    await finished.getByRole('link', { name: '下一步：封存本次记录' }).click();
    await desk.getByTestId('seal-panel').waitFor();
    await desk
      .getByTestId('transcript-signed')
      .getByText(/笔录已经当事人和执法人员签名，不能再修改/)
      .waitFor();
    for (const box of await desk.locator('.session__transcript textarea').all())
      expect(await box.getAttribute('readonly')).not.toBeNull();
    expect(await desk.getByRole('button', { name: '撤销' }).count()).toBe(0);

    // The record in the data directory.
    status = await client.invoke('signing.status', { signingId });
    expect(status.finished?.path).toBe(`sessions/${session.id}/transcript.pdf`);
    const pdfPath = join(h.dataDir, status.finished!.path);
    const { text, pages } = checkPdf(pdfPath, join(h.dataDir, 'check'), join(SHOTS, 'signing-pdf'));
    expect(pages).toHaveLength(status.pageCount);
    expect(text).toContain('询问地点：石家庄市人民防空办公室 2号询问室');
    expect(text).toContain('以上笔录我看过，和我说的相符');
    // Every page: the party's signature in its slot, and a slice of the seam at its edge.
    for (const p of status.pages) {
      const img = pages[p.number - 1]!;
      const slot = p.slots.find((s) => s.type === 'page')!;
      expect(
        inkIn(img, slot.box, status.pageSize.height, 1),
        `signature on page ${p.number}`,
      ).toBeGreaterThan(10);
      const strip = p.seam!.strip;
      expect(
        inkIn(img, { ...strip, x: strip.x + 2, w: strip.w - 3 }, status.pageSize.height),
        `seam strip on page ${p.number}`,
      ).toBeGreaterThan(3);
      for (const s of p.slots.filter((x) => x.type === 'initials'))
        expect(inkIn(img, s.box, status.pageSize.height, 1.5), 'initials').toBeGreaterThan(2);
    }
    // The strokes kept beside it: the pen's pressure and pointer type, every point.
    const sigs = JSON.parse(
      readFileSync(join(h.dataDir, `sessions/${session.id}/signatures.json`), 'utf8'),
    );
    const first = sigs.pages[0].signature.strokes[0];
    expect(first.length).toBe(81);
    expect(new Set(first.map((p: { pointerType: string }) => p.pointerType))).toEqual(
      new Set(['pen']),
    );
    expect(Math.max(...first.map((p: { pressure: number }) => p.pressure))).toBeGreaterThan(0.7);
    expect(first.at(-1).t).toBeGreaterThan(first[0].t);
    expect(
      sigs.officers
        .map(
          (o: { signature: { strokes: { pointerType: string }[][] } }) =>
            o.signature.strokes[0]![0]!.pointerType,
        )
        .sort(),
    ).toEqual(['mouse', 'pen']);

    expect(problemsOf(tablet)).toEqual([]);
    expect(problemsOf(desk)).toEqual([]);
  });

  it('on a LAN tablet paired by code: records the party’s refusal and its reason; two officers sign; the refusal is on the timeline', async () => {
    const h = await e2e.host({ lanTablet: true });
    const { client, close } = await contractClient(h.url);
    e2e.cleanup(close);
    const { session, officers } = await recordInterview(client, 1);

    const desk = await signInDesk(h.url);
    const deskPage = new DeskSigningPage(desk);
    await deskPage.goTo(h.url, session.id);
    // This party cannot read: 李娜 reads the record aloud, and the closing line says so.
    await desk.getByTestId('read-aloud').selectOption({ label: '不能阅读，由执法人员李娜宣读' });
    expect(await desk.getByLabel('当事人手写的意见').inputValue()).toBe(
      '以上笔录已向我宣读，和我说的相符',
    );
    const partyUrl = await deskPage.open();
    // This time the party's tablet is on the LAN: the desk shows the address, the code and
    // the certificate's fingerprint; the tablet checks the fingerprint and types the code.
    await desk.getByRole('button', { name: '配对局域网平板' }).click();
    const lanUrl = (await desk.getByTestId('lan-url').textContent())!;
    const code = (await desk.getByTestId('lan-code').textContent())!;
    const fingerprint = (await desk.getByTestId('lan-fingerprint').textContent())!;
    expect(lanUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(code).toMatch(/^\d{6}$/);
    const served = spawnSync(
      'openssl',
      [
        'x509',
        '-noout',
        '-fingerprint',
        '-sha256',
        '-in',
        join(h.dataDir, 'identity/lan-tls-cert.pem'),
      ],
      { encoding: 'utf8' },
    ).stdout;
    expect(served.trim()).toBe(`sha256 Fingerprint=${fingerprint}`);
    await desk.screenshot({ path: join(SHOTS, 'signing-lan-pairing.png'), fullPage: true });
    const tablet = await openPage(lanUrl, TABLET, { ignoreHTTPSErrors: true });
    await tablet.getByLabel('配对码 Pairing code').fill(code);
    await tablet.getByRole('button', { name: '配对 Pair' }).click();
    const party = new PartySigningPage(tablet);
    await party.waitForStep('review', 1);
    // The tablet's page is this signing's, with a token of its own (not the desk's link's).
    const tabletHash = new URL(tablet.url()).hash;
    expect(tabletHash).toMatch(new RegExp(`^#/sign/${new URL(partyUrl).hash.split('/')[2]}/`));
    expect(tabletHash).not.toBe(new URL(partyUrl).hash);
    await tablet.locator('figure.pdfpage[data-drawn="true"]').waitFor();

    const reason = '当事人认为笔录记载的开工时间与事实不符，拒绝签名';
    await desk.getByRole('button', { name: '当事人拒绝签名' }).click();
    await desk.getByLabel('拒签理由').fill(reason);
    await desk.getByRole('button', { name: '记录拒签' }).click();
    await deskPage.progress().getByText(`当事人拒绝签名。理由：${reason}`).waitFor();

    // The tablet follows: no more party signing, officers sign.
    await party.waitForStep('officers', 1);
    await tablet.getByText('当事人拒绝签名，执法人员已在笔录上注明。请执法人员签名。').waitFor();
    expect(await tablet.getByRole('button', { name: '下一页' }).count()).toBe(0);
    await deskPage.armTablet(
      officers[1].id,
      OFFICER_ACCOUNTS[1].username,
      OFFICER_ACCOUNTS[1].password,
    );
    await tablet.getByLabel(`执法人员 ${officers[1].name} 签名`).waitFor();
    await draw(tablet, party.pad(), 'pen', scribble(4));
    await party.submit('确认签名');
    await deskPage.progress().getByText('执法人员签名：1 / 2 人').waitFor();
    await deskPage.signHere(officers[0].id);
    await deskPage.progress().getByText('执法人员签名：2 / 2 人').waitFor();
    await desk.getByRole('button', { name: '完成并生成笔录 PDF' }).click();
    await desk
      .getByTestId('finished')
      .getByText(/SHA-256：[0-9a-f]{64}/)
      .waitFor();
    await party.waitForStep('finished', 1);

    const status = await client.invoke('signing.status', {
      signingId: Number(/#\/sign\/(\d+)\//.exec(partyUrl)![1]),
    });
    const pdfPath = join(h.dataDir, status.finished!.path);
    const { text, pages } = checkPdf(
      pdfPath,
      join(h.dataDir, 'check'),
      join(SHOTS, 'signing-refused-pdf'),
    );
    expect(text).toContain(`被询问人拒绝在笔录上签名。拒签理由：${reason.slice(0, 12)}`);
    expect(text).not.toContain('以上笔录我看过');
    // The reader said so in the record (and signed it among the officers of the refusal).
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('本笔录已由执法人员李娜（执法证号：13010067890）向其宣读。');
    const last = status.pages.at(-1)!;
    const signed = last.slots
      .filter((s) => s.type === 'officer')
      .filter((s) => inkIn(pages.at(-1)!, s.box, status.pageSize.height, 1) > 10);
    expect(signed.length).toBeGreaterThanOrEqual(2);

    // The refusal marker on the transcript's timeline (R2.2), with its reason.
    const { state } = await client.invoke('transcripts.get', { sessionId: session.id });
    expect(state.markers.find((m) => m.kind === 'refusal')).toMatchObject({ note: reason });
    // And every signing act on the session timeline, to be found on the desk camera.
    const timeline = await client.invoke('recording.timeline', { sessionId: session.id });
    expect(timeline.map((e) => e.kind as string)).toEqual(
      expect.arrayContaining([
        'signing.opened',
        'signing.page_viewed',
        'signing.refused',
        'signing.officer_armed',
        'signing.officer_signed',
        'signing.finished',
      ]),
    );
    expect(problemsOf(tablet)).toEqual([]);
    expect(problemsOf(desk)).toEqual([]);
  });
  it('does not open the signing without the rights notice on record, unless two officers state why', async () => {
    const h = await e2e.host();
    const { client, close } = await contractClient(h.url);
    e2e.cleanup(close);
    // Recorded with the recording notice marked, the rights notice not.
    const { session, officers } = await recordInterview(client, 1, false);
    const desk = await signInDesk(h.url);
    const deskPage = new DeskSigningPage(desk);
    await deskPage.goTo(h.url, session.id);
    const missing = desk.getByTestId('notice-missing');
    await missing.getByText('笔录中没有「告知权利义务」的记录，不能开始签名。').waitFor();
    const open = desk.getByRole('button', { name: '开始核对签名' });
    expect(await open.isDisabled()).toBe(true);
    // It really was not given: 张伟 (signed in) and 李娜 (her own password) state why.
    await missing.getByText('确未告知：由两名以上执法人员当场说明理由').click();
    const reason = '当事人中途离席返回后未重新告知，已补充告知并录像';
    await missing.getByLabel('未告知的理由').fill(reason);
    await missing.getByLabel(new RegExp(`^${officers[0].name}`)).check();
    await missing.getByLabel(new RegExp(`^${officers[1].name}`)).check();
    expect(await open.isDisabled()).toBe(true);
    const li = desk.getByTestId(`notice-confirm-${officers[1].id}`);
    await li.getByLabel('账号').fill(OFFICER_ACCOUNTS[1].username);
    await li.getByLabel('密码').fill(OFFICER_ACCOUNTS[1].password);
    await desk.screenshot({ path: join(SHOTS, 'signing-notice-override.png'), fullPage: true });
    const partyUrl = await deskPage.open();
    expect(partyUrl).toContain('#/sign/');
    const trail = await client.invoke('audit.list', { entity: 'signing', limit: 20 });
    expect(trail.find((e) => e.action === 'signing.notice_overridden')?.data).toMatchObject({
      missing: ['rights_explained'],
      reason,
      officers: [
        { name: officers[0].name, presence: 'signed_in' },
        { name: officers[1].name, presence: 'password' },
      ],
    });
  });
});
