import { describe, expect, it } from 'vitest';
import {
  buildTranscript,
  correctedTurns,
  CorrectionError,
  headerOfficers,
  remoteNote,
  reviewedTurns,
  type HeaderSources,
} from '../../../electron/core/features/signing/document';
import type { Turn } from '../../../electron/core/platform/pdf';
import type { SessionDto, SessionOfficerDto } from '../../../electron/shared/domain';

const turn = (id: string, speaker: string, text: string, atMs = 0): Turn => ({
  id,
  speaker,
  text,
  atMs,
});

describe('the document from the case store', () => {
  it('prints speakers as 问/答 and leaves out empty turns', () => {
    expect(
      reviewedTurns([
        { id: 'a', speaker: 'question', text: '你叫什么名字？', at: 1000 },
        { id: 'b', speaker: 'answer', text: '  ', at: 2000 },
        { id: 'c', speaker: 'answer', text: '王小明。', at: 3000 },
      ]),
    ).toEqual([turn('a', '问', '你叫什么名字？', 1000), turn('c', '答', '王小明。', 3000)]);
  });

  it('names two officers conducting it, the recorder among them when only one asks', () => {
    const o = (officerId: number, role: SessionOfficerDto['role']): SessionOfficerDto => ({
      officerId,
      name: `o${officerId}`,
      certificateNo: `C${officerId}`,
      role,
    });
    const two = headerOfficers([o(1, 'interviewer'), o(2, 'recorder')]);
    expect(two.conducting.map((x) => x.officerId)).toEqual([1, 2]);
    expect(two.recorder.officerId).toBe(2);
    const three = headerOfficers([o(1, 'interviewer'), o(2, 'interviewer'), o(3, 'recorder')]);
    expect(three.conducting.map((x) => x.officerId)).toEqual([1, 2]);
    expect(three.recorder.officerId).toBe(3);
    const hearing = headerOfficers([
      o(5, 'moderator'),
      o(1, 'investigator'),
      o(2, 'investigator'),
      o(3, 'recorder'),
    ]);
    expect(hearing.moderator?.officerId).toBe(5);
    expect(hearing.conducting.map((x) => x.officerId)).toEqual([1, 2]);
    // 听证员 sit with the moderator: on the panel, not among those who investigate.
    const panel = headerOfficers([
      o(5, 'moderator'),
      o(6, 'hearing_officer'),
      o(7, 'hearing_officer'),
      o(1, 'investigator'),
      o(2, 'investigator'),
      o(3, 'recorder'),
    ]);
    expect(panel.panel.map((x) => x.officerId)).toEqual([6, 7]);
    expect(panel.conducting.map((x) => x.officerId)).toEqual([1, 2]);
    expect(panel.recorder.officerId).toBe(3);
  });
});

describe('corrections after review', () => {
  const reviewed = [
    turn('q1', '问', '你何时开工？', 1000),
    turn('a1', '答', '二〇二四年四月开工。', 2000),
    turn('q2', '问', '面积多大？', 3000),
    turn('a2', '答', '约三万平方米。', 4000),
  ];

  it('finds nothing when nothing changed', () => {
    expect(correctedTurns(reviewed, reviewed, 9000)).toEqual({ turns: reviewed, corrections: [] });
  });

  it('shows a changed word, a new turn and a removed turn, each as a correction', () => {
    const current = [
      reviewed[0]!,
      turn('a1', '答', '二〇二四年五月开工。', 2000),
      turn('n1', '答', '补充：是五月中旬。', 2500),
      reviewed[2]!,
      // a2 removed
    ];
    const { turns, corrections } = correctedTurns(reviewed, current, 9000);
    expect(turns.map((t) => [t.id, t.text])).toEqual([
      ['q1', '你何时开工？'],
      ['a1', '二〇二四年五月开工。'],
      ['n1', '补充：是五月中旬。'],
      ['q2', '面积多大？'],
      ['a2', ''],
    ]);
    expect(corrections).toEqual([
      { id: 'a1.1', turnId: 'a1', start: 5, end: 6, originalText: '四', newText: '五', atMs: 9000 },
      {
        id: 'n1.1',
        turnId: 'n1',
        start: 0,
        end: 9,
        originalText: '',
        newText: '补充：是五月中旬。',
        atMs: 9000,
      },
      {
        id: 'a2.1',
        turnId: 'a2',
        start: 0,
        end: 0,
        originalText: '约三万平方米。',
        newText: '',
        atMs: 9000,
      },
    ]);
  });

  it('keeps a removed first turn first, and the reviewed time of a kept turn', () => {
    const { turns } = correctedTurns(reviewed, [turn('a1', '答', reviewed[1]!.text, 99)], 0);
    expect(turns.map((t) => t.id)).toEqual(['q1', 'a1', 'q2', 'a2']);
    expect(turns[1]!.atMs).toBe(2000);
  });

  it('refuses a changed speaker (paper cannot show it)', () => {
    expect(() => correctedTurns(reviewed, [turn('q1', '答', '你何时开工？', 1000)], 0)).toThrow(
      CorrectionError,
    );
  });
});

describe('remote participants in the written record', () => {
  const session = {
    id: 1,
    kind: 'interview',
    place: '执法支队',
    room: '询问室 1',
    startedAt: 1_000,
    endedAt: 61_000,
    timeZone: 'Asia/Shanghai',
    subject: null,
    participants: [
      { role: 'party', name: '王小明' },
      { role: 'interpreter', name: '李译员' },
      { role: 'agent', name: '赵律师' },
    ],
  } as unknown as SessionDto;
  const src = (remote: HeaderSources['remote']): HeaderSources => ({
    session,
    caseNo: '案 1',
    cause: '违法建设',
    officers: [
      { officerId: 1, name: '张一', certificateNo: 'C1', role: 'interviewer', unit: '执法支队' },
      { officerId: 2, name: '李二', certificateNo: 'C2', role: 'recorder', unit: '执法支队' },
    ],
    party: null,
    partyName: '王小明',
    partyRole: 'party',
    sequence: 1,
    timeZone: 'Asia/Shanghai',
    ...(remote ? { remote } : {}),
  });

  it('names who took part remotely and how, and leaves them out of the tablet signers', () => {
    const inRoom = buildTranscript(src(undefined), 'doc-1', [], []);
    expect(inRoom.header.signers?.map((x) => x.name)).toEqual(['李译员']);

    const t = buildTranscript(
      src([
        { name: '李译员', role: 'interpreter', credentials: ['居民身份证 110105********0012'] },
        // Invited during the session, not listed on it beforehand; never checked.
        { name: '周证人', role: 'witness', credentials: [] },
      ]),
      'doc-2',
      [],
      [],
    );
    expect(t.header.others).toEqual([
      {
        role: '翻译人员',
        name: '李译员',
        note: '（通过远程视频参加，已视频核验身份：居民身份证 110105********0012；未在本机签名板签名）',
      },
      { role: '委托代理人', name: '赵律师' },
      {
        role: '证人',
        name: '周证人',
        note: '（通过远程视频参加，未经视频核验身份；未在本机签名板签名）',
      },
    ]);
    // They do not sign on the desk's tablet, and the record says so.
    expect(t.header.signers ?? []).toEqual([]);
    expect(remoteNote(['律师执业证 1', '律师执业证 1'])).toBe(
      '（通过远程视频参加，已视频核验身份：律师执业证 1；未在本机签名板签名）',
    );
  });
});
