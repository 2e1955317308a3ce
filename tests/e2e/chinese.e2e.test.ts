/**
 * Chinese throughout: the zh-CN interface walked screen by screen in Chromium, as an agency
 * administrator would after a whole job (a case with a signed, sealed interview on a disc, a
 * second interview at its pre-flight check, every register). On each screen the visible text
 * is read and every Latin word that is not a name, number, code or unit (device and case
 * numbers, file names, hashes, paths, units, the names of standards) fails the test with the
 * screen it is on. Screenshots of each screen in test-results/zh-*.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { removeTree } from '../../electron/core/platform/fs';
import { dateTimeIn } from '../../electron/shared/time';
import { signedDemoSession } from '../helpers/sealing';
import { SignInPage } from './pages/auth';
import { e2eHarness, SHOTS } from './pages/harness';
import { contractClient } from './pages/signing';

const h = e2eHarness();

/** Words that name a standard, a format, a unit or the product: the same in any language. */
const WORDS = new Set(
  (
    'Attest BagIt SHA PDF ISO CA PEM PKCS CSR UTC GiB MiB KiB TiB GB MB KB B kb Mb fps ms ' +
    'DVD CD BD DL R RW USB CMS PAdES TSA RFC Joliet Rock Ridge xorriso English ID MP4 fMP4 ' +
    'CSV CN O Hz kHz AAC Opus H264 VP8 VP9 AV1 JSON QR IMAPI2 SMB SFTP WebDAV NAS IANA URL HTTP HTTPS UNC ffmpeg ' +
    'PNG'
  ).split(' '),
);

/** Latin text that is data, not wording: taken out before the words are read. */
const DATA = [
  /https?:\/\/\S+/g, // addresses
  /\b(?:CN|O|OU|C|L|ST)=[^,，\n]+/g, // distinguished names of certificates
  /\b(?:Ctrl|Alt|Shift|Enter|Backspace|Tab|Esc|Delete|Space)(?:\+[A-Za-z0-9]+)*\b/g, // keys
  /\b[A-Z][A-Za-z]+(?:\/[A-Za-z0-9_+'-]+)+/g, // time zones (Asia/Shanghai)
  /[\w.-]+(?:\/[\w.-]+)+/g, // relative paths
  /(?:[A-Za-z]:)?(?:[\\/][^\s\\/，。；、（）()：]+){2,}/g, // paths
  /[^\s，。；、（）()：]+\.(?:pdf|iso|json|txt|p7s|tsr|mp4|html|csr|pem|p12|pfx|db)\b/gi, // files
  /\b[0-9a-f]{8,}\b/gi, // hashes and fingerprints
  /\b(?:[0-9A-F]{2}:){7,}[0-9A-F]{2}\b/g, // fingerprints written with colons
  /\b[A-Z0-9]+(?:[-_][A-Z0-9]+)+\b/g, // device, set and volume numbers (CAM-01, ATT_261206_001_1)
  /\b[A-Z]+\d{4,}\b/g, // certificate numbers (ZF13010001)
  /(?:^|[\s（(])\.\w{2,4}\b/g, // file extensions (.p12)
  /\bS3\b/g, // the storage service's name
  /U\s?盘/g, // a USB stick
  /\b\d+(?:\.\d+)?\s?(?:[KMGT]iB|[KMG]B|kb\/s|Mb\/s|fps|ms|s)\b/g, // sizes and rates
  /\bv?\d+\.\d+\.\d+(?:-[\w.]+)?\b/g, // versions
];

interface Finding {
  screen: string;
  word: string;
  context: string;
}

/** The Latin words on the page that are wording, with a little text around each. */
async function latinWords(
  page: Page,
  screen: string,
  names: readonly string[],
): Promise<Finding[]> {
  let text = await page.evaluate(() => {
    const parts = [document.body.innerText];
    // What a control says without being text: placeholders and accessible labels.
    for (const el of document.querySelectorAll<HTMLElement>('[placeholder], [aria-label], [title]'))
      for (const a of ['placeholder', 'aria-label', 'title'])
        if (el.getAttribute(a) && el.getClientRects().length) parts.push(el.getAttribute(a)!);
    return parts.join('\n');
  });
  for (const n of names) text = text.split(n).join(' ');
  for (const re of DATA) text = text.replace(re, ' ');
  const findings: Finding[] = [];
  // Rule numbers (R3.6) are for the regulations' readers, not for officers at work.
  for (const m of text.matchAll(/\bR\d+\.\d+\b/g))
    findings.push({
      screen,
      word: m[0],
      context: text.slice(Math.max(0, m.index - 20), m.index + 25).replace(/\s+/g, ' '),
    });
  const seen = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z][A-Za-z'’]*/g)) {
    if (WORDS.has(m[0]) || seen.has(m[0])) continue;
    seen.add(m[0]);
    const at = m.index;
    findings.push({
      screen,
      word: m[0],
      context: text.slice(Math.max(0, at - 20), at + m[0].length + 20).replace(/\s+/g, ' '),
    });
  }
  return findings;
}

async function settle(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  // Whatever is still loading says so; wait until nothing does.
  await page.waitForFunction(() => !document.body.innerText.includes('加载中'), undefined, {
    timeout: 20_000,
  });
  await page.waitForTimeout(300);
}

describe('Chinese throughout', () => {
  it('shows no English wording on any screen of the zh-CN interface', async () => {
    const { dataDir, demo } = await signedDemoSession('attest-e2e-zh-', 3, 4);
    const host = await h.host({ dataDir });
    const { client, close } = await contractClient(host.url);
    h.cleanup(close);
    // The case's own officer seals and makes its disc (the team's right, R6.1).
    await client.invoke('auth.signIn', demo.accounts.officer);
    const bundle = await client.invoke('sessions.seal', { id: demo.sessionId });
    const set = await client.invoke('discs.image', {
      caseId: demo.caseId,
      bundles: [bundle.bagName],
      medium: 'dvd',
      copies: 1,
    });
    await client.invoke('discs.burn', { setId: set.id, discNumber: 1, copyNumber: 1 });
    const detail = await client.invoke('cases.get', { id: demo.caseId });
    const planned = await client.invoke('sessions.create', {
      caseId: demo.caseId,
      kind: 'interview',
      place: detail.sessions[0]!.place,
      room: '2号询问室',
      officers: detail.sessions[0]!.officers.map((o) => ({ officerId: o.officerId, role: o.role })),
      participants: [
        { role: 'party', partyId: detail.parties[0]!.id, name: detail.parties[0]!.name },
      ],
    });

    const context = await h.context({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    const findings: Finding[] = await latinWords(page, 'sign-in', []);
    await new SignInPage(page).signIn(demo.accounts.admin.username, demo.accounts.admin.password);
    // The browser's own names of its devices, as the pre-flight lists them, are data.
    const deviceLabels = await page.evaluate(async () =>
      (await navigator.mediaDevices.enumerateDevices()).map((d) => d.label).filter(Boolean),
    );
    const names = [
      ...Object.values(demo.accounts).map((a) => a.username),
      ...deviceLabels,
      bundle.bagName,
      set.setNo,
    ];

    const c = `#/cases/${demo.caseId}`;
    const screens: [string, string, (p: Page) => Promise<void>][] = [
      ['cases', '#/cases', settle],
      ['new-case', '#/cases/new', settle],
      ...(
        ['', '/parties', '/officers', '/sessions', '/approvals', '/access', '/history'] as const
      ).map(
        (tab) =>
          [`case${tab.replace('/', '-')}`, `${c}${tab}`, settle] as [string, string, typeof settle],
      ),
      [
        'session-sealed',
        `${c}/sessions/${demo.sessionId}`,
        async (p) => {
          await settle(p);
          await p.getByTestId('bundle-facts').waitFor();
          // The verification report, in the interface's language.
          await p.getByTestId('verify-button').click();
          await p.getByTestId('verify-verdict').waitFor();
        },
      ],
      [
        'session-preflight',
        `${c}/sessions/${planned.id}`,
        async (p) => {
          await settle(p);
          await p.getByRole('button', { name: '开始录制前检查' }).click();
          await p.getByTestId('preflight-cam1').waitFor();
          await p.waitForFunction(() => !document.body.innerText.includes('检测中'), undefined, {
            timeout: 60_000,
          });
        },
      ],
      [
        'desk-signing',
        `#/signing/${demo.sessionId}`,
        async (p) => void (await p.waitForTimeout(1500)),
      ],
      // Watching live where no one forwards: the refusal says why, in Chinese.
      [
        'live',
        `#/live/${demo.caseId}/${demo.sessionId}`,
        async (p) => {
          await settle(p);
          await p.getByRole('alert').waitFor();
        },
      ],
      // A remote participant's page, before they agree to be recorded.
      [
        'remote-join',
        `#/join/${'A'.repeat(32)}`,
        async (p) => {
          await p.getByRole('heading', { name: '远程参加询问、听证' }).waitFor();
          await p.getByRole('button', { name: '同意并加入' }).waitFor();
        },
      ],
      ['discs', `${c}/discs`, settle],
      ['officers', '#/officers', settle],
      ['devices', '#/devices', settle],
      ['users', '#/users', settle],
      ['storage', '#/storage', settle],
      ['trust', '#/trust', settle],
      ['settings', '#/settings', settle],
      ['access', '#/access', settle],
      [
        'stats',
        '#/stats',
        async (p) => {
          await settle(p);
          await p.getByTestId('stats-counted-at').waitFor();
          await p.getByTestId('stat-chart-sessions_by_kind').locator('svg').waitFor();
        },
      ],
      [
        'audit',
        '#/audit',
        async (p) => {
          await settle(p);
          await p.getByTestId('audit-entries').waitFor();
          await p.getByRole('button', { name: '校验审计链' }).click();
          await p
            .getByTestId('audit-chain-result')
            .getByText(/^完好：共 \d+ 条/)
            .waitFor();
        },
      ],
    ];
    for (const [name, hash, ready] of screens) {
      await page.goto(`${host.url}${hash}`);
      await ready(page);
      await page.screenshot({ path: join(SHOTS, `zh-${name}.png`), fullPage: true });
      findings.push(...(await latinWords(page, name, names)));
    }
    const report = findings.map((f) => `${f.screen}: "${f.word}" in …${f.context}…`).join('\n');
    expect(report, 'English wording in the zh-CN interface').toBe('');

    // The audit viewer: the case's signing acts, found by case number and kind.
    await page.goto(`${host.url}#/audit`);
    await page.getByLabel('案件编号').fill(detail.caseNo);
    await page.getByLabel('类别').selectOption({ label: '笔录签名' });
    await page.getByRole('button', { name: '查询' }).click();
    // The filtered page replaces the newest-first one: only the case's signing acts remain.
    const rows = () =>
      page
        .locator('[data-testid="audit-entries"] tbody tr')
        .evaluateAll((trs) => trs.map((r) => (r as HTMLElement).dataset.action ?? ''));
    await expect.poll(async () => (await rows()).every((a) => a.startsWith('signing.'))).toBe(true);
    const actions = await rows();
    expect(actions.length).toBeGreaterThan(5);
    expect(actions).toContain('signing.finished');
    await page.screenshot({ path: join(SHOTS, 'zh-audit-filtered.png'), fullPage: true });
    // The case's report, signed by the workstation.
    await page.getByRole('button', { name: '本案报告（PDF）' }).click();
    await page.getByText(/^已生成本案操作记录报告（\d+ 条记录，工作站签名）/).waitFor();

    // One time zone: the administrator sets the agency's; every time on screen follows it.
    const zone = 'Asia/Tokyo';
    await page.goto(`${host.url}#/settings`);
    await page.getByLabel('本机构时区').selectOption(zone);
    await page.getByRole('button', { name: '保存时区' }).click();
    await page.getByText('时区已保存。').waitFor();
    await page.getByText(`当前时区：${zone}（UTC+09:00）`).waitFor();
    await page.screenshot({ path: join(SHOTS, 'zh-settings-zone.png') });
    // The working-day calendar periods are counted on: a holiday on a weekday is entered; a
    // holiday on a Saturday is refused with the reason.
    const calendar = page.getByTestId('settings-calendar');
    await calendar.getByText('尚未录入节假日或调休。').waitFor();
    await calendar.getByLabel('日期').fill('2027-02-08');
    await calendar.getByLabel('说明（如：春节）').fill('春节');
    await calendar.getByRole('button', { name: '录入' }).click();
    await calendar.getByText('2027-02-08 节假日（休息）（春节）').waitFor();
    await calendar.getByLabel('日期').fill('2027-02-06');
    await calendar.getByRole('button', { name: '录入' }).click();
    await calendar.getByText(/节假日只设在工作日/).waitFor();
    await calendar.screenshot({ path: join(SHOTS, 'zh-settings-calendar.png') });
    const session = await client.invoke('sessions.get', { id: demo.sessionId });
    await page.goto(`${host.url}${c}/sessions/${demo.sessionId}`);
    await settle(page);
    const header = (await page.locator('.session__facts').textContent()) ?? '';
    expect(header).toContain(dateTimeIn(session.startedAt!, zone));
    expect(header).toContain(dateTimeIn(session.endedAt!, zone));
    expect(header).not.toContain(dateTimeIn(session.startedAt!, 'UTC'));
    expect(errors).toEqual([]);
    await removeTree(dataDir).catch(() => undefined);
  }, 240_000);
});
