/**
 * The signing service through the contract (in-memory transport, real SQLite, real PDF
 * rendering and PAdES signing): the rules of R2.2 as the party's page and the desk meet them,
 * corrections after review, the refusal path, and the files written.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '../../../electron/shared/client';
import type { SessionDto } from '../../../electron/shared/domain';
import type { SigningOpenedDto, SigningStatusDto } from '../../../electron/shared/api/signing';
import {
  registerChecked,
  startChecked,
  caseInput,
  PASSWORD,
  residentId,
  seed,
  tempCore,
} from '../../helpers/core';
import { handwritingInput, transcriptActions } from '../../helpers/signing';

/** `2026年11月23日09时00分00秒` in a time zone, as the record prints it. */
function cn(ms: number, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}年${p.month}月${p.day}日${p.hour}时${p.minute}分${p.second}秒`;
}

describe('signing service', () => {
  let env: ReturnType<typeof tempCore>;
  let desk: Client;
  /** The administrator who set things up: not on the case team. */
  let admin: Client;
  /** 张伟, the case's officer: reads the written record (the administrator is not on the team). */
  let reader: Client;
  let tablet: Client;
  let session: SessionDto;
  let officers: Awaited<ReturnType<typeof seed>>['officers'];
  let officerUser: Awaited<ReturnType<typeof seed>>['officerUser'];
  let officerUser2: Awaited<ReturnType<typeof seed>>['officerUser2'];

  beforeEach(async () => {
    env = tempCore();
    desk = connectInMemory(env.core);
    tablet = connectInMemory(env.core); // never signs in
    ({ officers, officerUser, officerUser2 } = await seed(desk));
    await registerChecked(desk);
    reader = connectInMemory(env.core);
    await reader.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    // 王芳 is on the case (its third officer) and keeps the desk; she takes no part in the
    // interview, so every officer's signature here is another's, given in person.
    await desk.invoke('users.create', {
      username: 'wangfang',
      displayName: '王芳',
      password: PASSWORD,
      roles: ['officer'],
      officerId: officers[2].id,
    });
    const c = await desk.invoke(
      'cases.create',
      caseInput([officers[0].id, officers[1].id, officers[2].id]),
    );
    session = await desk.invoke('sessions.create', {
      caseId: c.id,
      kind: 'interview',
      place: '石家庄市人防办',
      room: '2号询问室',
      officers: [
        { officerId: officers[0].id, role: 'interviewer' },
        { officerId: officers[1].id, role: 'recorder' },
      ],
      participants: [{ role: 'party', partyId: c.parties[0]!.id, name: '赵六' }],
    });
    // The desk is 王芳's, of the case team: the team keeps the record (the administrator who
    // set things up is not on it).
    admin = desk;
    desk = connectInMemory(env.core);
    await desk.invoke('auth.signIn', { username: 'wangfang', password: PASSWORD });
  });
  afterEach(() => {
    if (env.log.length) console.log(env.log.join('\n'));
    return env.dispose();
  });

  async function record(rounds = 3): Promise<void> {
    await startChecked(desk, session.id);
    await desk.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: 0,
      actions: transcriptActions(rounds),
    });
    env.advance(45 * 60_000);
    await desk.invoke('sessions.end', { id: session.id, confirm: true });
    env.advance(60_000);
  }

  /** The preview of an open signing, saved whole under the data directory. */
  async function previewFile(opened: SigningOpenedDto, name: string): Promise<string> {
    let pdf = Buffer.alloc(0);
    for (let offset = 0; ;) {
      const chunk = await tablet.invoke('signing.preview', {
        signingId: opened.signingId,
        token: opened.token,
        offset,
      });
      const bytes = Buffer.from(chunk.base64, 'base64');
      pdf = Buffer.concat([pdf, bytes]);
      offset += bytes.length;
      if (offset >= chunk.total) break;
    }
    const file = join(env.dataDir, name);
    writeFileSync(file, pdf);
    return file;
  }

  async function viewAll(s: SigningStatusDto, token: string): Promise<SigningStatusDto> {
    for (let page = 1; page <= s.pageCount; page++) {
      s = await tablet.invoke('signing.viewPage', {
        signingId: s.signingId,
        token,
        version: s.version,
        page,
      });
    }
    return s;
  }

  it('is opened only after the recording ended, with the times of the recording (R2.4)', async () => {
    await startChecked(desk, session.id);
    await desk.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: 0,
      actions: transcriptActions(1),
    });
    await expect(desk.invoke('signing.open', { sessionId: session.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    env.advance(10 * 60_000);
    await desk.invoke('sessions.end', { id: session.id, confirm: true });
    // The party's page cannot open one: it is not signed in.
    await expect(tablet.invoke('signing.open', { sessionId: session.id })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const opened = await desk.invoke('signing.open', { sessionId: session.id });
    expect(opened).toMatchObject({ state: 'open', version: 1, step: 'review', stale: false });
    expect(opened.token.length).toBeGreaterThanOrEqual(32);
    expect(opened.closingText).toBe('以上笔录我看过，和我说的相符');
    // Opening again gives the same signing with a new page: the first page stops working
    // (tokens are kept only as hashes, so a lost link is replaced, never shown again).
    const again = await desk.invoke('signing.open', { sessionId: session.id });
    expect(again.signingId).toBe(opened.signingId);
    expect(again.token).not.toBe(opened.token);
    await expect(
      tablet.invoke('signing.status', { signingId: opened.signingId, token: opened.token }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    opened.token = again.token;
    const ofSession = await desk.invoke('signing.ofSession', { sessionId: session.id });
    expect(ofSession).toMatchObject({ signingId: opened.signingId });
    expect(ofSession).not.toHaveProperty('token');
    // Not in the case store: only its hash is.
    for (const f of ['attest.db', 'attest.db-wal'].filter((n) => existsSync(join(env.dataDir, n))))
      expect(readFileSync(join(env.dataDir, f)).includes(Buffer.from(again.token))).toBe(false);
    // Every page has the party's signature slot, and pages 2+ a seam strip.
    for (const p of opened.pages) {
      expect(p.slots.some((s) => s.type === 'page')).toBe(true);
      expect(p.seam === null).toBe(opened.pageCount === 1);
    }
    // The preview: whole pages, the header times are the recording's.
    let pdf = Buffer.alloc(0);
    for (let offset = 0; ;) {
      const chunk = await tablet.invoke('signing.preview', {
        signingId: opened.signingId,
        token: opened.token,
        offset,
      });
      expect(chunk.base64.length).toBeLessThanOrEqual(512 * 1024);
      pdf = Buffer.concat([pdf, Buffer.from(chunk.base64, 'base64')]);
      offset += Buffer.from(chunk.base64, 'base64').length;
      if (offset >= chunk.total) break;
    }
    const file = join(env.dataDir, 'preview.pdf');
    writeFileSync(file, pdf);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    const ended = await desk.invoke('sessions.get', { id: session.id });
    expect(text).toContain(
      `询问时间：${cn(ended.startedAt!, ended.timeZone!)}至${cn(ended.endedAt!, ended.timeZone!).slice(11)}`,
    );
    expect(text).toContain('石家庄市人防办 2号询问室');
    // The interviewee's particulars, from the party record (the resident ID gives sex and birth).
    expect(text).toContain('赵六（女，1949年12月31日出生）');
    expect(text).toMatch(/与本案关系：\s*当事人/);
    // Exactly as it will print, but with no handwriting yet: not one blue (ink) pixel.
    const png = join(env.dataDir, 'preview');
    expect(spawnSync('pdftoppm', ['-r', '40', file, png]).status).toBe(0);
    const pages = readdirSync(env.dataDir).filter((f) => /^preview-\d+\.ppm$/.test(f));
    expect(pages).toHaveLength(opened.pageCount);
    for (const f of pages) {
      const ppm = readFileSync(join(env.dataDir, f));
      const px = ppm.subarray(ppm.length - (ppm.length - ppm.indexOf('255\n') - 4));
      let blue = 0;
      for (let i = 0; i + 2 < px.length; i += 3) if (px[i + 2]! > px[i]! + 50) blue++;
      expect(blue, f).toBe(0);
    }
    expect(text).toMatch(
      new RegExp(`第\\s*${opened.pageCount}\\s*页\\s*共\\s*${opened.pageCount}\\s*页`),
    );
  });

  it('is not opened without the recording and rights notices, unless two officers state why in person', async () => {
    await startChecked(desk, session.id);
    await desk.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: 0,
      actions: [
        ...transcriptActions(1, 5_000, false),
        { type: 'marker.add', id: 'n-rec', kind: 'recording_announced', at: 1_000 },
      ],
    });
    env.advance(10 * 60_000);
    await desk.invoke('sessions.end', { id: session.id, confirm: true });
    // The rights notice is missing: refused, naming it.
    await expect(desk.invoke('signing.open', { sessionId: session.id })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('告知权利义务'),
    });
    // Nor can it be marked now, at a time of one's choosing: steps are marked while recording.
    const { seq } = await reader.invoke('transcripts.get', { sessionId: session.id });
    await expect(
      desk.invoke('transcripts.apply', {
        sessionId: session.id,
        baseSeq: seq,
        actions: [{ type: 'marker.add', id: 'late', kind: 'rights_explained', at: 2_000 }],
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const reason = '当事人系听力障碍人士，权利义务已由手语翻译当场告知，漏记标记';
    const [zhang, li] = [officers[0].id, officers[1].id];
    // One officer alone does not suffice, nor does someone else's password.
    await expect(
      desk.invoke('signing.open', {
        sessionId: session.id,
        noticeOverride: { reason, officerIds: [zhang] },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      desk.invoke('signing.open', {
        sessionId: session.id,
        noticeOverride: {
          reason,
          officerIds: [zhang, li],
          confirmations: [
            { officerId: zhang, username: 'zhangwei', password: PASSWORD },
            { officerId: li, username: 'zhangwei', password: PASSWORD },
          ],
        },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const opened = await desk.invoke('signing.open', {
      sessionId: session.id,
      noticeOverride: {
        reason,
        officerIds: [zhang, li],
        confirmations: [
          { officerId: zhang, username: 'zhangwei', password: PASSWORD },
          { officerId: li, username: 'lina', password: PASSWORD },
        ],
      },
    });
    expect(opened).toMatchObject({ state: 'open', version: 1 });
    // The statement heads the record the party reviews and signs.
    const file = await previewFile(opened, 'override.pdf');
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(
      /\s+/g,
      '',
    );
    expect(text).toContain('本次记录中没有「告知权利义务」的记录');
    expect(text).toContain('经执法人员张伟、李娜当场确认');
    // (A long line may be read back out of order where it wraps at the page's foot.)
    expect(text).toContain(`理由：${reason.slice(0, 12)}`);
    const trail = await desk.invoke('audit.list', { entity: 'signing', limit: 50 });
    const entry = trail.find((e) => e.action === 'signing.notice_overridden');
    expect(entry?.data).toMatchObject({
      missing: ['rights_explained'],
      reason,
      officers: [
        { name: '张伟', presence: 'password' },
        { name: '李娜', presence: 'password' },
      ],
    });
    const timeline = await desk.invoke('recording.timeline', { sessionId: session.id });
    expect(timeline.some((e) => (e.kind as string) === 'signing.notice_overridden')).toBe(true);
  });

  it('words the notices from the agency’s phrase guide, filled in with the officers', async () => {
    const phrases = await desk.invoke('signing.phrases', { sessionId: session.id });
    expect(phrases.map((p) => p.step)).toEqual([
      'identity_shown',
      'recording_announced',
      'rights_explained',
      'identity_checked',
    ]);
    // The interviewer shows their card; the recorder does not ask.
    const identity = phrases[0]!;
    expect(identity).toMatchObject({ speaker: 'question', responder: 'answer' });
    expect(identity.statement).toContain('张伟');
    expect(identity.statement).toContain(officers[0].certificateNo);
    expect(identity.statement).not.toMatch(/[{}]/);
    expect(phrases[2]!.statement).toContain('申请回避');
    await expect(tablet.invoke('signing.phrases', { sessionId: session.id })).rejects.toMatchObject(
      { code: 'UNAUTHENTICATED' },
    );
  });

  it('is signed by whoever was questioned: a witness’s record says so', async () => {
    const c = await desk.invoke('cases.get', { id: session.caseId });
    // Particulars are of the person named, and a party's are on the party record.
    const someone = {
      kind: 'person' as const,
      name: '别人',
      idType: 'passport' as const,
      idNumber: 'E12345678',
    };
    await expect(
      desk.invoke('sessions.create', {
        caseId: c.id,
        kind: 'interview',
        place: '询问室',
        officers: [
          { officerId: officers[0].id, role: 'interviewer' },
          { officerId: officers[1].id, role: 'recorder' },
        ],
        participants: [{ role: 'witness', name: '周九', particulars: someone }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const witness = await desk.invoke('sessions.create', {
      caseId: c.id,
      kind: 'interview',
      place: '石家庄市人防办',
      room: '3号询问室',
      officers: [
        { officerId: officers[0].id, role: 'interviewer' },
        { officerId: officers[1].id, role: 'recorder' },
      ],
      participants: [
        {
          role: 'witness',
          name: '周九',
          // A witness's own particulars, given with the session (not a party record).
          particulars: {
            kind: 'person',
            name: '周九',
            idType: 'resident_id',
            idNumber: residentId('13010219800615004'),
            employer: '某监理公司',
            position: '监理工程师',
            contact: '13900000000',
          },
        },
        { role: 'interpreter', name: '吴十' },
      ],
    });
    await startChecked(desk, witness.id);
    await desk.invoke('transcripts.apply', {
      sessionId: witness.id,
      baseSeq: 0,
      actions: transcriptActions(1),
    });
    env.advance(10 * 60_000);
    await desk.invoke('sessions.end', { id: witness.id, confirm: true });
    const opened = await desk.invoke('signing.open', { sessionId: witness.id });
    const file = await previewFile(opened, 'witness.pdf');
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    // The particulars the number gives (female, born 15 June 1980) and those typed.
    expect(text).toMatch(/被询问人：\s*周九（女，1980年6月15日出生）/);
    expect(text).toMatch(/工作单位及职务：\s*某监理公司 监理工程师/);
    expect(text).toMatch(/联系方式：\s*13900000000/);
    expect(text).toMatch(/与本案关系：\s*证人/);
    // The interpreter is present, not questioned.
    expect(text).toMatch(/其他在场人员：\s*翻译人员 吴十/);
  });

  it('keeps to R2.2 step by step, takes in a correction, and finishes a signed PDF', async () => {
    await record(3);
    const opened: SigningOpenedDto = await desk.invoke('signing.open', { sessionId: session.id });
    const { signingId, token } = opened;
    expect(opened.pageCount).toBeGreaterThanOrEqual(3);
    const ref = { signingId, token };
    const hw = handwritingInput;

    // The page's token reaches this signing; a wrong one reaches nothing.
    await expect(
      tablet.invoke('signing.status', { signingId, token: 'x'.repeat(43) }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(tablet.invoke('signing.status', { signingId })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    // An unknown signing is answered exactly like a wrong token.
    await expect(
      tablet.invoke('signing.status', { signingId: signingId + 1000, token }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('wrong or replaced token'),
    });
    // Only the party's page reviews and signs for the party.
    await expect(
      desk.invoke('signing.viewPage', { signingId, version: 1, page: 1 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Nothing is signed before every page was seen.
    await expect(
      tablet.invoke('signing.signPage', { ...ref, version: 1, page: 1, handwriting: hw(1) }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    // The desk sees the token, but a signed-in connection never acts or reads as the party.
    const trailBefore = (await desk.invoke('audit.list', { entity: 'signing', limit: 500 })).length;
    for (const call of [
      () => desk.invoke('signing.viewPage', { ...ref, version: 1, page: 1 }),
      () => desk.invoke('signing.signPage', { ...ref, version: 1, page: 1, handwriting: hw(1) }),
      () => desk.invoke('signing.status', { ...ref }),
    ])
      await expect(call()).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('not from a signed-in desk'),
      });
    expect((await desk.invoke('signing.status', { signingId })).viewed).toEqual([]);
    expect((await desk.invoke('audit.list', { entity: 'signing', limit: 500 })).length).toBe(
      trailBefore,
    );
    let s = await viewAll(opened, token);
    // Each act the party made is an entry of the audit trail, with the surface it came from.
    const views = (await desk.invoke('audit.list', { entity: 'signing', limit: 500 })).filter(
      (e) => e.action === 'signing.page_viewed',
    );
    expect(views).toHaveLength(opened.pageCount);
    expect(views[0]).toMatchObject({
      entityId: signingId,
      actor: null,
      data: { via: 'tablet', surface: expect.stringMatching(/^page#\d+$/) },
    });
    expect(s).toMatchObject({ step: 'pages', viewed: opened.pages.map((p) => p.number) });

    // The party asks for a change: the clerk edits, the desk sees the text moved on.
    const { seq, state } = await reader.invoke('transcripts.get', { sessionId: session.id });
    const turn = state.turns.find((t) => t.id === 'a0-4')!;
    await desk.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: seq,
      actions: [
        { type: 'turn.text', id: turn.id, text: turn.text.replace('三万二千', '三万一千') },
      ],
    });
    s = await desk.invoke('signing.status', { signingId });
    expect(s.stale).toBe(true);
    await expect(
      tablet.invoke('signing.signPage', { ...ref, version: 1, page: 1, handwriting: hw(1) }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    env.advance(30_000);
    s = await desk.invoke('signing.refresh', { signingId });
    expect(s).toMatchObject({ version: 2, stale: false, step: 'review' });
    expect(s.corrections).toEqual([
      expect.objectContaining({
        id: 'a0-4.1',
        turnId: 'a0-4',
        originalText: '二',
        newText: '一',
        speaker: '答',
        before: expect.stringContaining('三万'),
        confirmed: false,
      }),
    ]);
    const correctionId = s.corrections[0]!.id;
    // Confirming needs the new version seen again; an act on the old version is refused.
    await expect(
      tablet.invoke('signing.confirmCorrection', {
        ...ref,
        version: 2,
        correctionId,
        handwriting: hw(2),
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    s = await viewAll(s, token);
    expect(s.step).toBe('corrections');
    await expect(
      tablet.invoke('signing.confirmCorrection', {
        ...ref,
        version: 1,
        correctionId,
        handwriting: hw(2),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      tablet.invoke('signing.signPage', { ...ref, version: 2, page: 1, handwriting: hw(1) }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    s = await tablet.invoke('signing.confirmCorrection', {
      ...ref,
      version: 2,
      correctionId,
      handwriting: hw(2, { width: 300, height: 150 }),
    });
    expect(s.step).toBe('pages');

    // Officers sign after the party.
    await expect(
      desk.invoke('signing.officer', {
        signingId,
        version: 2,
        officerId: officers[0].id,
        handwriting: hw(9),
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    for (let page = 1; page <= s.pageCount; page++) {
      s = await tablet.invoke('signing.signPage', {
        ...ref,
        version: 2,
        page,
        handwriting: hw(page),
      });
    }
    expect(s.step).toBe('seam');
    expect(
      await tablet.invoke('signing.seam', {
        ...ref,
        version: 2,
        handwriting: hw(7, { width: 900, height: 300 }),
      }),
    ).toMatchObject({ signingId });
    await expect(
      tablet.invoke('signing.closingStatement', {
        ...ref,
        version: 2,
        text: '以上笔录我看过',
        handwriting: hw(8),
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    s = await tablet.invoke('signing.closingStatement', {
      ...ref,
      version: 2,
      handwriting: hw(8, { width: 1000, height: 180 }),
    });
    expect(s.step).toBe('officers');
    await expect(desk.invoke('signing.finish', { signingId })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
    });
    await expect(
      desk.invoke('signing.officer', {
        signingId,
        version: 2,
        officerId: officers[2].id,
        handwriting: hw(9),
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    // Officers sign in person (R2.2). The party's page cannot sign for an officer unless
    // that officer armed it at the desk; the desk (signed in as admin here) cannot sign in an
    // officer's name without that officer's own password.
    const officerOnTablet = {
      ...ref,
      version: 2,
      officerId: officers[0].id,
      handwriting: hw(10),
    };
    await expect(tablet.invoke('signing.officer', officerOnTablet)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      tablet.invoke('signing.officer', {
        ...officerOnTablet,
        confirmation: { username: 'zhangwei', password: PASSWORD },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      desk.invoke('signing.armOfficer', { signingId, officerId: officers[0].id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      desk.invoke('signing.armOfficer', {
        signingId,
        officerId: officers[0].id,
        confirmation: { username: 'zhangwei', password: 'not the password' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    // Li Na's own password does not arm the tablet for Zhang Wei.
    await expect(
      desk.invoke('signing.armOfficer', {
        signingId,
        officerId: officers[0].id,
        confirmation: { username: 'lina', password: PASSWORD },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await tablet.invoke('signing.status', ref)).armed).toBeNull();
    s = await desk.invoke('signing.armOfficer', {
      signingId,
      officerId: officers[0].id,
      confirmation: { username: 'zhangwei', password: PASSWORD },
    });
    expect(s.armed).toMatchObject({ officerId: officers[0].id, name: '张伟' });
    expect(s.armed!.until).toBe((await desk.invoke('app.info', {})).now + 120_000);
    // Armed for Zhang Wei only, and once.
    await expect(
      tablet.invoke('signing.officer', { ...officerOnTablet, officerId: officers[1].id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    s = await tablet.invoke('signing.officer', officerOnTablet);
    expect(s.officers.find((o) => o.officerId === officers[0].id)?.signed).toBe(true);
    expect(s.armed).toBeNull();
    await expect(
      tablet.invoke('signing.officer', { ...officerOnTablet, officerId: officers[1].id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const deskOfficer = {
      signingId,
      version: 2,
      officerId: officers[1].id,
      handwriting: hw(11, undefined, 'mouse'),
    };
    await expect(desk.invoke('signing.officer', deskOfficer)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    s = await desk.invoke('signing.officer', {
      ...deskOfficer,
      confirmation: { username: 'lina', password: PASSWORD },
    });
    expect(s).toMatchObject({ step: 'finish', missing: [] });
    // The timeline names the officer who signed, not the admin signed in at the desk.
    const signed = (await desk.invoke('recording.timeline', { sessionId: session.id })).filter(
      (e) => (e.kind as string) === 'signing.officer_signed',
    );
    expect(signed.map((e) => [e.userId, (e.data as { presence: string }).presence])).toEqual([
      [officerUser.id, 'armed'],
      [officerUser2.id, 'password'],
    ]);
    const confirmations = await desk.invoke('audit.list', { entity: 'officer' });
    expect(confirmations.map((a) => a.action)).toEqual(
      expect.arrayContaining(['officer.confirmed', 'officer.confirmation_refused']),
    );
    expect(JSON.stringify(confirmations)).not.toContain(PASSWORD);

    env.advance(60_000);
    const done = await desk.invoke('signing.finish', { signingId });
    // Finished: the signing page's token no longer shows the record.
    await expect(tablet.invoke('signing.preview', { signingId, token })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // ...and the signed record no longer changes.
    const after = await reader.invoke('transcripts.get', { sessionId: session.id });
    await expect(
      desk.invoke('transcripts.apply', {
        sessionId: session.id,
        baseSeq: after.seq,
        actions: [{ type: 'turn.text', id: after.state.turns[0]!.id, text: '签名后改动' }],
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('signed') });
    expect(done.path).toBe(`sessions/${session.id}/transcript.pdf`);
    const pdfPath = join(env.dataDir, done.path);
    const bytes = readFileSync(pdfPath);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.sha256);
    expect(existsSync(join(env.dataDir, `sessions/${session.id}/transcript.json`))).toBe(true);
    expect(spawnSync('qpdf', ['--check', pdfPath]).status).toBe(0);
    expect(spawnSync('pdfsig', [pdfPath], { encoding: 'utf8' }).stdout).toMatch(
      /Signature Validation: Signature is Valid\./,
    );
    const text = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).stdout;
    // The old word stays on the page, struck through, beside the new one (R2.2: 修改处), but
    // the text a reader copies or searches is the record as signed.
    expect(text).toMatch(/约三万\s*一\s*千平方米/);
    expect(text).not.toMatch(/三万\s*二\s*一/);
    expect(text).toContain('以上笔录我看过，和我说的相符');

    // The strokes, every point, on the session clock; the files beside the PDF say the same.
    const sigs = JSON.parse(
      readFileSync(join(env.dataDir, `sessions/${session.id}/signatures.json`), 'utf8'),
    );
    expect(sigs.kind).toBe('signed');
    expect(sigs.pages).toHaveLength(done.pageCount);
    expect(sigs.pages[0].signature.strokes[0]).toHaveLength(121);
    const ended = await desk.invoke('sessions.get', { id: session.id });
    const p0 = sigs.pages[0].signature.strokes[0][0];
    expect(p0).toMatchObject({ pointerType: 'pen', pressure: expect.any(Number) });
    // Drawn just before it was sent, on the session clock (the recording started at 0).
    const sentAt = sigs.pages[0].signature.atMs;
    expect(p0.t).toBeGreaterThan(sentAt - 5_000);
    expect(p0.t).toBeLessThan(sentAt);
    expect(sentAt).toBeGreaterThan(ended.endedAt! - ended.startedAt!);
    const detached = join(env.dataDir, 'detached');
    mkdirSync(detached);
    spawnSync('pdfdetach', ['-saveall', '-o', detached, pdfPath]);
    expect(JSON.parse(readFileSync(join(detached, 'signatures.json'), 'utf8'))).toEqual(sigs);
    const inPdf = JSON.parse(readFileSync(join(detached, 'transcript.json'), 'utf8'));
    expect(inPdf.corrections).toHaveLength(1);
    expect(inPdf.header.recording).toMatchObject({
      startedAt: new Date(ended.startedAt!).toISOString(),
      endedAt: new Date(ended.endedAt!).toISOString(),
    });

    // Every act is on the session timeline with its session time, and in the audit trail.
    const timeline = await desk.invoke('recording.timeline', { sessionId: session.id });
    const kinds = timeline.map((e) => e.kind as string);
    expect(kinds.filter((k) => k === 'signing.page_viewed')).toHaveLength(
      opened.pageCount + s.pageCount,
    );
    for (const k of [
      'signing.opened',
      'signing.refreshed',
      'signing.correction_confirmed',
      'signing.page_signed',
      'signing.seam_signed',
      'signing.closing_signed',
      'signing.officer_armed',
      'signing.officer_signed',
      'signing.finished',
    ])
      expect(kinds).toContain(k);
    // Everything after the start is on the session clock; the pre-flight check comes before it.
    expect(
      timeline
        .filter((e) => e.kind !== 'preflight.saved')
        .every((e) => e.atUs !== null && e.atUs >= 0),
    ).toBe(true);
    expect(timeline.find((e) => e.kind === 'preflight.saved')?.atUs).toBeNull();
    const audit = await desk.invoke('audit.list', { entity: 'signing' });
    expect(audit.map((a) => a.action)).toContain('signing.finished');

    // Finished means finished.
    await expect(
      tablet.invoke('signing.signPage', { ...ref, version: 2, page: 1, handwriting: hw(1) }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(desk.invoke('signing.open', { sessionId: session.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await desk.invoke('signing.status', { signingId })).toMatchObject({
      state: 'finished',
      step: 'finished',
      finished: { sha256: done.sha256 },
    });
  });

  it('records a refusal with its reason on the record and the timeline; two officers sign', async () => {
    await record(1);
    // Zhang Wei, an officer of the session, is signed in at the desk from here on.
    await desk.invoke('auth.signOut', {});
    await desk.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    const opened = await desk.invoke('signing.open', { sessionId: session.id });
    const { signingId, token } = opened;
    await tablet.invoke('signing.viewPage', { signingId, token, version: 1, page: 1 });
    await expect(
      tablet.invoke('signing.refuse', { signingId, reason: '不同意' } as never),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    env.advance(120_000);
    const reason = '当事人认为笔录第2页记载的开工时间与事实不符，拒绝签名';
    let s = await desk.invoke('signing.refuse', { signingId, reason });
    expect(s).toMatchObject({ state: 'refused', step: 'officers', refusal: { reason } });
    // The refusal marker on the transcript, at the current session time.
    const { state } = await reader.invoke('transcripts.get', { sessionId: session.id });
    const marker = state.markers.find((m) => m.kind === 'refusal');
    const ended = await desk.invoke('sessions.get', { id: session.id });
    expect(marker).toMatchObject({ note: reason, kind: 'refusal' });
    expect(marker!.at).toBe(s.refusal!.atMs);
    expect(marker!.at).toBeGreaterThan(ended.endedAt! - ended.startedAt!);
    // The party signs nothing more; a second refusal is not recorded.
    await expect(
      tablet.invoke('signing.signPage', {
        signingId,
        token,
        version: 1,
        page: 1,
        handwriting: handwritingInput(1),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(desk.invoke('signing.refuse', { signingId, reason })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // The refused layout has no signature lines for the party.
    expect(s.pages.every((p) => p.slots.every((x) => x.type === 'officer'))).toBe(true);
    const chunk = await tablet.invoke('signing.preview', { signingId, token });
    expect(chunk.mode).toBe('refused');

    // Zhang Wei signs as himself; not for Li Na.
    await expect(
      desk.invoke('signing.officer', {
        signingId,
        version: 1,
        officerId: officers[1].id,
        handwriting: handwritingInput(3),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await desk.invoke('signing.officer', {
        signingId,
        version: 1,
        officerId: officers[0].id,
        handwriting: handwritingInput(3),
      }),
    ).toMatchObject({ signingId });
    await expect(desk.invoke('signing.finish', { signingId })).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
    });
    // Li Na arms the tablet with her password; it runs out after two minutes unused.
    const lina = { username: 'lina', password: PASSWORD };
    const onTablet = {
      signingId,
      token,
      version: 1,
      officerId: officers[1].id,
      handwriting: handwritingInput(4),
    };
    s = await desk.invoke('signing.armOfficer', {
      signingId,
      officerId: officers[1].id,
      confirmation: lina,
    });
    expect(s.armed?.officerId).toBe(officers[1].id);
    env.advance(120_001);
    expect((await tablet.invoke('signing.status', { signingId, token })).armed).toBeNull();
    await expect(tablet.invoke('signing.officer', onTablet)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // Withdrawn by the desk before use: also gone.
    await desk.invoke('signing.armOfficer', {
      signingId,
      officerId: officers[1].id,
      confirmation: lina,
    });
    expect((await desk.invoke('signing.disarmOfficer', { signingId })).armed).toBeNull();
    await expect(tablet.invoke('signing.officer', onTablet)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await desk.invoke('signing.armOfficer', {
      signingId,
      officerId: officers[1].id,
      confirmation: lina,
    });
    s = await tablet.invoke('signing.officer', onTablet);
    expect(s.step).toBe('finish');
    const done = await desk.invoke('signing.finish', { signingId });
    const pdfPath = join(env.dataDir, done.path);
    expect(spawnSync('pdfsig', [pdfPath], { encoding: 'utf8' }).stdout).toMatch(
      /Signature Validation: Signature is Valid\./,
    );
    const text = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain(`被询问人拒绝在笔录上签名。拒签理由：${reason.slice(0, 10)}`);
    expect(text).not.toContain('以上笔录我看过');
    const sigs = JSON.parse(
      readFileSync(join(env.dataDir, `sessions/${session.id}/signatures.json`), 'utf8'),
    );
    expect(sigs).toMatchObject({ kind: 'refused', reason });
    expect(sigs.officers).toHaveLength(2);
    const timeline = await desk.invoke('recording.timeline', { sessionId: session.id });
    const kinds = timeline.map((e) => e.kind as string);
    expect(kinds).toContain('signing.refused');
    expect(kinds.filter((k) => k === 'signing.officer_armed')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'signing.officer_disarmed')).toHaveLength(1);
  });

  it('counts wrong co-signing passwords like sign-in failures: the account locks, for sign-in too', async () => {
    await record(1);
    const { signingId } = await desk.invoke('signing.open', { sessionId: session.id });
    await desk.invoke('signing.refuse', { signingId, reason: '当事人拒绝签名' });
    const arm = (password: string) =>
      desk.invoke('signing.armOfficer', {
        signingId,
        officerId: officers[1].id,
        confirmation: { username: 'lina', password },
      });
    for (let i = 0; i < 5; i++) {
      await expect(arm(`guess number ${i}`)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    }
    // Locked: the right password is refused too, and so is her own sign-in.
    await expect(arm(PASSWORD)).rejects.toMatchObject({
      code: 'BAD_CREDENTIALS',
      message: expect.stringContaining('too many failed attempts'),
    });
    const elsewhere = connectInMemory(env.core);
    await expect(
      elsewhere.invoke('auth.signIn', { username: 'lina', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    const failed = await admin.invoke('audit.list', { entity: 'user' });
    expect(failed.filter((a) => a.action === 'auth.failed')).toHaveLength(5);
    expect(JSON.stringify(failed)).not.toContain('guess number');
    // A password typed into the username field is not written down either.
    await expect(
      desk.invoke('signing.armOfficer', {
        signingId,
        officerId: officers[1].id,
        confirmation: { username: 'Li-Na-secret-2026', password: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect(JSON.stringify(await admin.invoke('audit.list', {}))).not.toContain('Li-Na-secret');
    env.advance(61_000);
    expect((await arm(PASSWORD)).armed?.officerId).toBe(officers[1].id);
  });

  it('drops an arming with a refusal; an officer signs a text once; a new account cannot sign', async () => {
    await record(1);
    const { signingId, token } = await desk.invoke('signing.open', { sessionId: session.id });
    const ref = { signingId, token, version: 1 };
    let s = await viewAll(await tablet.invoke('signing.status', { signingId, token }), token);
    for (let page = 1; page <= s.pageCount; page++) {
      s = await tablet.invoke('signing.signPage', {
        ...ref,
        page,
        handwriting: handwritingInput(1),
      });
    }
    if (s.pageCount > 1) {
      await tablet.invoke('signing.seam', { ...ref, handwriting: handwritingInput(5) });
    }
    s = await tablet.invoke('signing.closingStatement', {
      ...ref,
      handwriting: handwritingInput(2),
    });
    expect(s.step).toBe('officers');
    const zhang = { username: 'zhangwei', password: PASSWORD };
    s = await desk.invoke('signing.armOfficer', {
      signingId,
      officerId: officers[0].id,
      confirmation: zhang,
    });
    expect(s.armed?.officerId).toBe(officers[0].id);
    // The party then refuses after all: what was armed for the signed text is gone.
    s = await desk.invoke('signing.refuse', { signingId, reason: '当事人改变主意，拒绝签名' });
    expect(s.armed).toBeNull();
    const onTablet = { ...ref, officerId: officers[0].id, handwriting: handwritingInput(3) };
    await expect(tablet.invoke('signing.officer', onTablet)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // Zhang Wei signs at the desk, once; neither the desk nor the tablet can sign him again.
    const atDesk = {
      signingId,
      version: 1,
      officerId: officers[0].id,
      handwriting: handwritingInput(4),
      confirmation: zhang,
    };
    await desk.invoke('signing.officer', atDesk);
    await expect(desk.invoke('signing.officer', atDesk)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      desk.invoke('signing.armOfficer', {
        signingId,
        officerId: officers[0].id,
        confirmation: zhang,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // An administrator cannot make Li Na a second account, nor a new one that signs this record.
    await expect(
      admin.invoke('users.create', {
        username: 'lina2',
        displayName: '李娜',
        password: PASSWORD,
        roles: ['officer'],
        officerId: officers[1].id,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await admin.invoke('users.setDisabled', { id: officerUser2.id, disabled: true });
    await admin.invoke('users.create', {
      username: 'lina2',
      displayName: '李娜',
      password: PASSWORD,
      roles: ['officer'],
      officerId: officers[1].id,
    });
    await expect(
      desk.invoke('signing.officer', {
        ...atDesk,
        officerId: officers[1].id,
        confirmation: { username: 'lina2', password: PASSWORD },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('after') });
    await expect(
      admin.invoke('users.setDisabled', { id: officerUser2.id, disabled: false }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('stops a surface that floods the signing with acts, and changes nothing', async () => {
    await record(2);
    const opened: SigningOpenedDto = await desk.invoke('signing.open', { sessionId: session.id });
    const { signingId, token } = opened;
    const view = (page: number) =>
      tablet.invoke('signing.viewPage', { signingId, token, version: 1, page });
    for (let i = 0; i < 60; i++) await view((i % opened.pageCount) + 1);
    await expect(view(1)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('acts in the last minute'),
    });
    const acts = (await desk.invoke('audit.list', { entity: 'signing', limit: 500 })).filter(
      (e) => e.action === 'signing.page_viewed',
    );
    expect(acts).toHaveLength(60);
    // A minute later the page takes acts again.
    env.advance(61_000);
    await expect(view(1)).resolves.toMatchObject({ signingId });
  });
});
