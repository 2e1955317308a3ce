/**
 * A hearing's record (听证笔录) through the contract, with real SQLite, PDF rendering and
 * pdftotext: every step of the hearing order printed where it fell, and every participant
 * reviewing and signing in turn on the party's page, one refusing (R2.3, R2.2).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '../../../electron/shared/client';
import type { SessionDto } from '../../../electron/shared/domain';
import type { SigningStatusDto } from '../../../electron/shared/api/signing';
import {
  registerChecked,
  startChecked,
  caseInput,
  PASSWORD,
  seed,
  tempCore,
} from '../../helpers/core';
import {
  handwritingInput as hw,
  hearingActions,
  stepPositions,
  stepsTimed,
} from '../../helpers/signing';

describe('a hearing record, signed by every participant in turn', () => {
  let env: ReturnType<typeof tempCore>;
  let desk: Client;
  let admin: Client;
  let tablet: Client;
  let session: SessionDto;
  let officers: Awaited<ReturnType<typeof seed>>['officers'];

  beforeEach(async () => {
    env = tempCore();
    desk = connectInMemory(env.core);
    tablet = connectInMemory(env.core);
    ({ officers } = await seed(desk));
    await registerChecked(desk);
    const recorder = await desk.invoke('officers.create', {
      name: '刘洋',
      certificateNo: '13010022222',
    });
    // The moderator's own account, made before the hearing (they sign its report in person).
    await desk.invoke('users.create', {
      username: 'wangfang',
      displayName: '王芳',
      password: PASSWORD,
      roles: ['moderator'],
      officerId: officers[2].id,
    });
    const c = await desk.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
    session = await desk.invoke('sessions.create', {
      caseId: c.id,
      kind: 'hearing',
      place: '石家庄市人防办',
      room: '听证室',
      officers: [
        // The moderator is not one of the case's investigators.
        { officerId: officers[2].id, role: 'moderator' },
        { officerId: officers[0].id, role: 'investigator' },
        { officerId: officers[1].id, role: 'investigator' },
        { officerId: recorder.id, role: 'recorder' },
      ],
      participants: [
        { role: 'party', partyId: c.parties[0]!.id, name: '赵六' },
        { role: 'agent', name: '王明', authority: 'special', mandate: '2026年11月20日授权委托书' },
        { role: 'witness', name: '孙强' },
      ],
    });
    // From here the desk is 张伟's, an investigator of the case: the case team keeps the
    // record; the administrator who set things up is not on it.
    admin = desk;
    desk = connectInMemory(env.core);
    await desk.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    await startChecked(desk, session.id);
    await desk.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: 0,
      actions: hearingActions(),
    });
    env.advance(60 * 60_000);
    await desk.invoke('sessions.end', { id: session.id, confirm: true });
    env.advance(60_000);
  });
  afterEach(() => env.dispose());

  /** One signer's whole part on the party's page: every page seen, signed, the closing. */
  async function signPart(s: SigningStatusDto, token: string, seed: number) {
    const signer = s.signer!;
    const ref = { signingId: s.signingId, token, version: s.version, signer };
    for (let page = 1; page <= s.pageCount; page++)
      s = await tablet.invoke('signing.viewPage', { ...ref, page });
    for (let page = 1; page <= s.pageCount; page++)
      s = await tablet.invoke('signing.signPage', { ...ref, page, handwriting: hw(seed + page) });
    // At a hearing each participant signs across the seam too, in a band of their own.
    expect(s.step).toBe(s.pageCount > 1 ? 'seam' : 'closing');
    if (s.step === 'seam')
      await tablet.invoke('signing.seam', {
        ...ref,
        handwriting: hw(seed, { width: 900, height: 300 }),
      });
    return tablet.invoke('signing.closingStatement', { ...ref, handwriting: hw(seed + 50) });
  }

  it('offers the moderator’s words for every step of the hearing order', async () => {
    const phrases = await desk.invoke('signing.phrases', { sessionId: session.id });
    expect(phrases.map((p) => p.step)).toEqual([
      'discipline_announced',
      'recording_announced',
      'identity_checked',
      'rights_explained',
      'recusal_asked',
      'investigation',
      'party_statement',
      'cross_examination',
      'debate',
      'final_statement',
    ]);
    expect(phrases.every((p) => p.speaker === 'moderator')).toBe(true);
    // The recusal question names the investigators, as the agency's wording has it.
    expect(phrases.find((p) => p.step === 'recusal_asked')!.statement).toContain('张伟、李娜');
  });

  it('prints the order, takes each participant in turn, notes a refusal, and finishes', async () => {
    const opened = await desk.invoke('signing.open', { sessionId: session.id });
    const token = opened.token;
    let s: SigningStatusDto = opened;
    expect(s.title).toBe('听证笔录');
    expect(s.signers.map((x) => [x.name, x.role, x.state])).toEqual([
      ['赵六', '当事人', 'signing'],
      ['王明', '委托代理人', 'waiting'],
      ['孙强', '证人', 'waiting'],
    ]);
    expect(s.signer).toBe(0);
    // Each signer has a line on every page and a closing statement of their own.
    const first = s.pages[0]!;
    expect(
      first.slots.filter((x) => x.type === 'page').map((x) => 'signer' in x && x.signer),
    ).toEqual([0, 1, 2]);
    expect(s.pages.flatMap((p) => p.slots).filter((x) => x.type === 'closing')).toHaveLength(3);

    // The agent cannot sign in the party's place.
    await expect(
      tablet.invoke('signing.viewPage', {
        signingId: s.signingId,
        token,
        version: 1,
        page: 1,
        signer: 1,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    s = await signPart(s, token, 1);
    expect(s.signer).toBe(1);
    expect(s.signers.map((x) => x.state)).toEqual(['signed', 'signing', 'waiting']);
    // The next signer starts with the review of every page.
    expect(s).toMatchObject({ step: 'review', viewed: [], signedPages: [] });
    s = await signPart(s, token, 100);
    expect(s.signer).toBe(2);
    // Officers do not sign before every participant has signed or refused.
    await expect(
      desk.invoke('signing.officer', {
        signingId: s.signingId,
        version: s.version,
        officerId: officers[0].id,
        handwriting: hw(9),
        confirmation: { username: 'zhangwei', password: PASSWORD },
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    // The witness refuses; the desk names whose refusal it records.
    await expect(
      desk.invoke('signing.refuse', { signingId: s.signingId, signer: 1, reason: '不愿签' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    s = await desk.invoke('signing.refuse', {
      signingId: s.signingId,
      signer: 2,
      reason: '证人称只对自己的证言负责，不愿在整份笔录上签名',
    });
    expect(s.signer).toBeNull();
    // The refusal moves no page: the others signed these pages as they are laid out.
    expect(s.pageCount).toBe(opened.pageCount);
    expect(s.pages).toEqual(opened.pages);
    expect(s.signers[2]).toMatchObject({
      state: 'refused',
      refusal: { reason: expect.stringContaining('证言') },
    });
    expect(s.state).toBe('open'); // the party signed: the record is not the party's refusal
    expect(s.step).toBe('officers');
    for (const [officer, username] of [
      [officers[0], 'zhangwei'],
      [officers[1], 'lina'],
    ] as const) {
      s = await desk.invoke('signing.officer', {
        signingId: s.signingId,
        version: s.version,
        officerId: officer.id,
        handwriting: hw(officer.id + 200),
        confirmation: { username, password: PASSWORD },
      });
    }
    const done = await desk.invoke('signing.finish', { signingId: s.signingId });
    const pdf = join(env.dataDir, done.path);
    const out = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    const text = out.stdout.replace(/\s+/g, '');
    // The hearing order, each step where it fell, in order.
    const order = stepPositions(text);
    // Each with its time on the recording's clock.
    expect(stepsTimed(text)).toBe(true);
    expect(order.every((i) => i >= 0)).toBe(true);
    // Each turn names its speaker's role and, where one person alone holds it, their name.
    expect(text).toContain('主持人王芳：现在宣布听证纪律');
    expect(text).toContain('委托代理人王明：我是河北正衡律师事务所律师王明');
    expect(text).toContain('证人孙强：我是项目的监理工程师孙强');
    // Two investigators: the role alone.
    expect(text).toContain('调查人员：经查');
    // The party's answers beside the steps that asked.
    expect(text).toContain('【告知权利义务】：当事人表示听清楚了');
    expect(text).toContain('【询问是否申请回避】：当事人不申请回避');
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Every participant is named on the signature lines; the refusal is noted with its reason.
    for (const who of ['当事人签名', '委托代理人王明签名', '证人孙强签名', '委托代理人王明意见'])
      expect(text).toContain(who);
    expect(text).toContain('证人孙强意见');
    expect(text).toContain('拒绝在笔录上签名。拒签理由：证人称只对自己的证言负责');
    // The agent's authority, as the power of attorney gives it, in the header.
    expect(text).toContain(
      '委托代理人王明（代理权限：特别授权；授权委托书：2026年11月20日授权委托书）',
    );
    // The witness's line on every page says it, in the place of a signature.
    expect(text.split('证人孙强签名：拒绝签名').length - 1).toBe(done.pageCount);
    // The signatures file names each signer's part.
    const signatures = JSON.parse(
      readFileSync(join(env.dataDir, 'sessions', String(session.id), 'signatures.json'), 'utf8'),
    );
    expect(
      signatures.others.map((o: { signer: number; kind: string }) => [o.signer, o.kind]),
    ).toEqual([
      [1, 'signed'],
      [2, 'refused'],
    ]);
    expect(signatures.others[0].pages).toHaveLength(done.pageCount);
    expect(signatures.others[0].seam.strokes.length).toBeGreaterThan(0);
  });
  it('takes the moderator’s report, signed by the moderator in person, and seals only then', async () => {
    // The case team writes it (张伟, an investigator, at his desk); the administrator is not on it.
    const team = connectInMemory(env.core);
    await team.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    await expect(admin.invoke('hearings.report', { sessionId: session.id })).rejects.toMatchObject({
      code: 'ACCESS_NOT_GRANTED',
    });
    const blockers = async () =>
      (await desk.invoke('sessions.sealCheck', { id: session.id })).blockers.map((b) => b.code);
    expect(await blockers()).toContain('hearing-report');
    expect(await team.invoke('hearings.report', { sessionId: session.id })).toBeNull();
    const content = {
      investigatorCase: '调查人员认为当事人未按规定修建防空地下室，建议处以罚款。',
      partyCase: '当事人承认事实，请求从轻处罚。',
      findings: '事实清楚，证据充分。',
      recommendation: '建议从轻处罚。',
    };
    const first = await team.invoke('hearings.saveReport', { sessionId: session.id, content });
    const second = await team.invoke('hearings.saveReport', {
      sessionId: session.id,
      content: { ...content, recommendation: '建议在法定幅度内从轻处罚，并责令限期补缴。' },
    });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.moderator.name).toBe('王芳');
    // Only the moderator signs, in person; an investigator's password does not do.
    await expect(
      team.invoke('hearings.signReport', {
        sessionId: session.id,
        version: 2,
        confirmation: { username: 'zhangwei', password: PASSWORD },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The version read is the one signed.
    await expect(
      team.invoke('hearings.signReport', {
        sessionId: session.id,
        version: 1,
        confirmation: { username: 'wangfang', password: PASSWORD },
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const signed = await team.invoke('hearings.signReport', {
      sessionId: session.id,
      version: 2,
      confirmation: { username: 'wangfang', password: PASSWORD },
    });
    expect(signed.signed).toMatchObject({ presence: 'password' });
    const pdf = join(env.dataDir, signed.signed!.path);
    expect(createHash('sha256').update(readFileSync(pdf)).digest('hex')).toBe(
      signed.signed!.sha256,
    );
    const printed = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout.replace(
      /\s+/g,
      '',
    );
    expect(printed).toContain('主持人意见及处理建议建议在法定幅度内从轻处罚');
    expect(printed).toContain('委托代理人王明');
    // Signed is final; the seal no longer waits for it.
    await expect(
      team.invoke('hearings.saveReport', { sessionId: session.id, content }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await blockers()).not.toContain('hearing-report');
    const trail = await desk.invoke('audit.list', { limit: 50 });
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining(['hearing.report_saved', 'hearing.report_signed']),
    );
  });
});

describe('a hearing’s participants', () => {
  let env: ReturnType<typeof tempCore>;
  let desk: Client;
  beforeEach(() => {
    env = tempCore();
    desk = connectInMemory(env.core);
  });
  afterEach(() => env.dispose());

  it('names each agent’s authority, allows one or two agents a party, and prints the authority', async () => {
    const { officers } = await seed(desk);
    await registerChecked(desk);
    const c = await desk.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
    const base = {
      caseId: c.id,
      kind: 'hearing' as const,
      place: '听证室',
      officers: [
        { officerId: officers[2].id, role: 'moderator' as const },
        { officerId: officers[0].id, role: 'investigator' as const },
        { officerId: officers[1].id, role: 'recorder' as const },
      ],
    };
    const party = { role: 'party' as const, partyId: c.parties[0]!.id, name: '赵六' };
    // An agent at a hearing states their authority.
    await expect(
      desk.invoke('sessions.create', {
        ...base,
        participants: [party, { role: 'agent', name: '王明' }],
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ path: 'participants.1.authority' })],
    });
    // Only an agent has one.
    await expect(
      desk.invoke('sessions.create', {
        ...base,
        participants: [party, { role: 'witness', name: '孙强', authority: 'general' }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // One or two agents for a party (委托一至二人代理), not three.
    const agent = (name: string) => ({
      role: 'agent' as const,
      name,
      authority: 'general' as const,
    });
    await expect(
      desk.invoke('sessions.create', {
        ...base,
        participants: [party, agent('甲'), agent('乙'), agent('丙')],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const s = await desk.invoke('sessions.create', {
      ...base,
      participants: [
        party,
        { ...agent('王明'), authority: 'special', mandate: '授权委托书一份' },
        agent('李律'),
      ],
    });
    expect(s.participants[1]).toEqual({
      role: 'agent',
      partyId: null,
      name: '王明',
      authority: 'special',
      mandate: '授权委托书一份',
    });
    expect(s.participants[0]).not.toHaveProperty('authority');
  });
});
