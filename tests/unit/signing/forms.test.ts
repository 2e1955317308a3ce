/**
 * The record forms agencies print (R1.3, R2.2): the on-site inspection's own form (现场检查
 * （勘验）笔录: where, when, what was inspected, what was found, who was present, the attesting
 * witness signing) and the summons talk's (约谈笔录), each rendered and read back with poppler.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '../../../electron/shared/client';
import type { MethodInput } from '../../../electron/shared/api/index';
import type { TranscriptActionInput } from '../../../electron/shared/rules/transcript';
import {
  registerChecked,
  startChecked,
  caseInput,
  PASSWORD,
  seed,
  tempCore,
} from '../../helpers/core';
import { handwritingInput, signThrough, transcriptActions } from '../../helpers/signing';

describe('the record forms', () => {
  let env: ReturnType<typeof tempCore>;
  let desk: Client;
  let tablet: Client;
  let officers: Awaited<ReturnType<typeof seed>>['officers'];
  let caseId: number;
  let partyId: number;

  beforeEach(async () => {
    env = tempCore();
    desk = connectInMemory(env.core);
    tablet = connectInMemory(env.core);
    ({ officers } = await seed(desk));
    await registerChecked(desk);
    const c = await desk.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
    caseId = c.id;
    partyId = c.parties[0]!.id;
    await desk.invoke('auth.signOut', {});
    await desk.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
  });
  afterEach(() => env.dispose());

  const signers = () => [
    { id: officers[0].id, confirmation: { username: 'zhangwei', password: PASSWORD } },
    { id: officers[1].id, confirmation: { username: 'lina', password: PASSWORD } },
  ];

  /** An interview of 张伟 and 李娜 with the party, and whoever else takes part. */
  const interview = (...others: MethodInput<'sessions.create'>['participants']) => ({
    kind: 'interview' as const,
    place: '询问室',
    officers: [
      { officerId: officers[0].id, role: 'interviewer' as const },
      { officerId: officers[1].id, role: 'recorder' as const },
    ],
    participants: [{ role: 'party' as const, partyId, name: '赵六' }, ...others],
  });

  /** Opens a session, records what the clerk typed and ends it half an hour on. */
  async function record(
    input: Omit<MethodInput<'sessions.create'>, 'caseId'>,
    actions: TranscriptActionInput[],
  ) {
    const session = await desk.invoke('sessions.create', { caseId, ...input });
    await startChecked(desk, session.id);
    const { seq } = await desk.invoke('transcripts.apply', {
      sessionId: session.id,
      baseSeq: 0,
      actions,
    });
    env.advance(30 * 60_000);
    await desk.invoke('sessions.end', { id: session.id, confirm: true });
    return { session, seq };
  }

  /** Records a session, signs it through and returns the finished record's text and file. */
  async function recordAndSign(
    input: Omit<MethodInput<'sessions.create'>, 'caseId'>,
    actions: TranscriptActionInput[],
  ) {
    const { session } = await record(input, actions);
    const opened = await desk.invoke('signing.open', { sessionId: session.id });
    const done = await signThrough(desk, tablet, opened, signers());
    const pdf = join(env.dataDir, done.path);
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    // It renders: pdftoppm draws the first page.
    const png = spawnSync('pdftoppm', [
      '-png',
      '-r',
      '30',
      '-f',
      '1',
      '-l',
      '1',
      pdf,
      join(env.dataDir, 'form'),
    ]);
    expect(png.status, png.stderr?.toString()).toBe(0);
    return { opened, text: text.stdout.replace(/\s+/g, ''), done };
  }

  it('prints an on-site inspection on its own form, what was found in its own words, the witness signing', async () => {
    const actions: TranscriptActionInput[] = [
      { type: 'marker.add', id: 'm1', kind: 'identity_shown', at: 1_000 },
      { type: 'marker.add', id: 'm2', kind: 'recording_announced', at: 2_000 },
      { type: 'marker.add', id: 'm3', kind: 'rights_explained', at: 3_000 },
      {
        type: 'turn.add',
        id: 'f1',
        speaker: 'finding',
        text: '项目地下一层为停车库，面积约四千五百平方米，未见人防防护门、密闭门及人防通风设备。',
        at: 10_000,
      },
      {
        type: 'turn.add',
        id: 'q1',
        speaker: 'question',
        text: '地下室是否按人防工程设计施工？',
        at: 40_000,
      },
      { type: 'turn.add', id: 'a1', speaker: 'answer', text: '没有，改成了普通车库。', at: 60_000 },
    ];
    const { opened, text } = await recordAndSign(
      {
        kind: 'inspection',
        place: '石家庄市长安区建设北大街1号项目现场',
        subject: '项目地下室人防工程建设情况',
        officers: [
          { officerId: officers[0].id, role: 'investigator' },
          { officerId: officers[1].id, role: 'recorder' },
        ],
        participants: [
          { role: 'party', partyId, name: '赵六' },
          { role: 'attesting_witness', name: '周敏' },
        ],
      },
      actions,
    );
    expect(opened.title).toBe('现场检查（勘验）笔录');
    // The title is printed spaced out, as forms set it.
    expect(text).toContain('现\u2002场\u2002检\u2002查'.replace(/\u2002/g, ''));
    // The attesting witness reviews and signs too.
    expect(opened.signers.map((s) => [s.role, s.name])).toEqual([
      ['当事人', '赵六'],
      ['见证人', '周敏'],
    ]);
    for (const field of [
      '检查时间：',
      '检查地点：石家庄市长安区建设北大街1号项目现场',
      '检查人员：张伟',
      '记录人：李娜',
      '检查对象及项目：项目地下室人防工程建设情况',
      '当事人（现场负责人）：赵六',
      '其他在场人员：见证人周敏',
      '现场情况：项目地下一层为停车库',
      '问：地下室是否按人防工程设计施工？',
      '见证人周敏签名',
      '当事人（现场负责人）意见',
    ])
      expect(text).toContain(field);
    // Only an inspection names what it inspects.
    await expect(
      desk.invoke('sessions.create', {
        caseId,
        kind: 'interview',
        place: '询问室',
        subject: '不该有',
        officers: [
          { officerId: officers[0].id, role: 'interviewer' },
          { officerId: officers[1].id, role: 'recorder' },
        ],
        participants: [{ role: 'party', partyId, name: '赵六' }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reads the record aloud to a party who cannot read: the reader says so and signs, the interpreter signs', async () => {
    await desk.invoke('auth.signOut', {});
    await desk.invoke('auth.signIn', { username: 'admin', password: 'correct horse 1' });
    await desk.invoke('users.create', {
      username: 'wangfang',
      displayName: '王芳',
      password: PASSWORD,
      roles: ['officer'],
      officerId: officers[2].id,
    });
    await desk.invoke('auth.signOut', {});
    await desk.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    const withInterpreter = interview({ role: 'interpreter', name: '阿依古丽' });
    const { session } = await record(
      {
        ...withInterpreter,
        officers: [
          ...withInterpreter.officers,
          { officerId: officers[2].id, role: 'interviewer' as const },
        ],
      },
      transcriptActions(1),
    );
    // The reader is one of the session's officers.
    await expect(
      desk.invoke('signing.open', { sessionId: session.id, readAloud: { readerOfficerId: 999 } }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const opened = await desk.invoke('signing.open', {
      sessionId: session.id,
      readAloud: { readerOfficerId: officers[1].id },
    });
    expect(opened.closingText).toBe('以上笔录已向我宣读，和我说的相符');
    // The interpreter, who carried every word, signs after the party.
    expect(opened.signers.map((x) => [x.role, x.name])).toEqual([
      ['当事人', '赵六'],
      ['翻译人员', '阿依古丽'],
    ]);
    // Two officers who did not read it are not enough: the reader signs too.
    const two = [
      { id: officers[0].id, confirmation: { username: 'zhangwei', password: PASSWORD } },
      { id: officers[2].id, confirmation: { username: 'wangfang', password: PASSWORD } },
    ];
    await expect(signThrough(desk, tablet, opened, two)).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
    });
    const s = await desk.invoke('signing.status', { signingId: opened.signingId });
    expect(s.missing).toEqual([{ code: 'reader', officerId: officers[1].id }]);
    const done = await desk
      .invoke('signing.officer', {
        signingId: s.signingId,
        version: s.version,
        officerId: officers[1].id,
        handwriting: handwritingInput(77),
        confirmation: { username: 'lina', password: PASSWORD },
      })
      .then(() => desk.invoke('signing.finish', { signingId: s.signingId }));
    const text = spawnSync('pdftotext', ['-layout', join(env.dataDir, done.path), '-'], {
      encoding: 'utf8',
    }).stdout.replace(/\s+/g, '');
    for (const field of [
      '说明：赵六不能阅读笔录，本笔录已由执法人员李娜（执法证号：13010067890）向其宣读。',
      '（手写：以上笔录已向我宣读，和我说的相符）',
      '翻译人员阿依古丽签名',
      '宣读人签名',
    ])
      expect(text).toContain(field);
  });

  it('prints the notices given and the party’s answers to them, taken down while recording', async () => {
    const answers = {
      understood: true,
      recusal: 'requested' as const,
      recusalOf: '记录人李娜',
      recusalReason: '与当事人系同学关系',
    };
    // Taken down while recording, after the notice was marked.
    const { session, seq } = await record(interview(), [
      ...transcriptActions(1),
      { type: 'marker.answers', id: 'n-rights', answers },
    ]);
    // Not after the recording ended.
    await expect(
      desk.invoke('transcripts.apply', {
        sessionId: session.id,
        baseSeq: seq,
        actions: [{ type: 'marker.answers', id: 'n-rights', answers: { understood: true } }],
      }),
    ).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
    const opened = await desk.invoke('signing.open', { sessionId: session.id });
    const done = await signThrough(desk, tablet, opened, signers());
    const text = spawnSync('pdftotext', ['-layout', join(env.dataDir, done.path), '-'], {
      encoding: 'utf8',
    }).stdout.replace(/\s+/g, '');
    expect(text).toContain('告知事项·告知录音录像：已告知');
    expect(text).toContain(
      '告知事项·告知权利义务：当事人表示听清楚了；申请记录人李娜回避，理由：与当事人系同学关系',
    );
  });

  it('prints a summons talk on the 约谈笔录 form', async () => {
    const { opened, text } = await recordAndSign(
      { ...interview(), kind: 'summons', place: '石家庄市人防办约谈室' },
      transcriptActions(1),
    );
    expect(opened.title).toBe('约谈笔录');
    for (const field of ['约谈人：张伟', '被约谈人：赵六', '被约谈人意见', '第1次约谈'])
      expect(text).toContain(field);
  });
});
