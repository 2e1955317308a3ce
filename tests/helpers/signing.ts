/**
 * Test data for review and signing: a transcript long enough for several A4 pages, written
 * through the contract as the clerk would, and handwriting in the signing page's wire format.
 */
import type { Client } from '../../electron/shared/client';
import { hearingActionsOf, type HearingScript } from '../../electron/core/demo/hearing-script';
import type {
  HandwritingInput,
  SigningOpenedDto,
  SigningStatusDto,
} from '../../electron/shared/api/signing';
import type { TranscriptActionInput } from '../../electron/shared/rules/transcript';

const QUESTIONS = [
  '请你介绍一下你的基本情况。',
  '你与本案涉及的住宅项目是什么关系？',
  '该项目是否按规定修建了防空地下室？',
  '你们在报建时是否申请了易地建设？',
  '请说明项目的建筑面积和开工时间。',
  '你对我们今天的询问还有什么补充？',
];
const ANSWERS = [
  '我叫赵六，是石家庄某置业有限公司的项目经理，负责长安区建设北大街1号住宅项目的施工管理。',
  '我从2024年3月起负责这个项目，公司委托我全面管理工程进度、质量和安全，报建手续由公司报建部办理。',
  '项目没有修建防空地下室。当时设计单位出具的图纸里有人防部分，后来公司为了赶工期调整了方案，这个情况我是知道的。',
  '据我了解，公司曾经咨询过易地建设费的缴纳问题，但没有正式提交申请，也没有缴纳易地建设费，具体原因要问公司领导。',
  '项目总建筑面积约三万二千平方米，2024年4月开工，目前主体已经封顶，正在做外墙和室内装修。',
  '没有了。我愿意配合调查，公司会尽快提交相关材料，包括设计图纸、报建文件和会议纪要。',
];

/**
 * `rounds` question/answer pairs (6 per round): three rounds fill three pages and more. The
 * recording and rights notices are marked first (R3.4, R2.5), as the record needs them to be
 * signed; `notices: false` leaves them out.
 */
export function transcriptActions(
  rounds: number,
  startAt = 5_000,
  notices = true,
): TranscriptActionInput[] {
  const actions: TranscriptActionInput[] = notices
    ? [
        {
          type: 'marker.add',
          id: 'n-rec',
          kind: 'recording_announced',
          at: Math.max(0, startAt - 2_000),
        },
        {
          type: 'marker.add',
          id: 'n-rights',
          kind: 'rights_explained',
          at: Math.max(0, startAt - 1_000),
        },
      ]
    : [];
  let at = startAt;
  for (let r = 0; r < rounds; r++) {
    QUESTIONS.forEach((q, i) => {
      actions.push({ type: 'turn.add', id: `q${r}-${i}`, speaker: 'question', text: q, at });
      at += 9_000;
      actions.push({
        type: 'turn.add',
        id: `a${r}-${i}`,
        speaker: 'answer',
        text: `${ANSWERS[i]}${r > 0 ? `（第${r + 1}轮补充：以上情况属实。）` : ''}`,
        at,
      });
      at += 21_000;
    });
  }
  return actions;
}

/** A looped, signature-like scribble in the wire format (`[x, y, dt, pressure]` tuples). */
export function handwritingInput(
  seed = 1,
  canvas = { width: 600, height: 200 },
  pointerType: 'pen' | 'mouse' | 'touch' = 'pen',
): HandwritingInput {
  const now = Date.UTC(2026, 10, 23, 10, 0, 0) + seed * 1000;
  const points: [number, number, number, number][] = [];
  const n = 120;
  for (let i = 0; i <= n; i++) {
    const u = i / n;
    const a = u * (3 + (seed % 3)) * 2 * Math.PI;
    points.push([
      Math.round((canvas.width * (0.1 + 0.8 * u) + 25 * Math.cos(a)) * 10) / 10,
      Math.round((canvas.height * 0.5 + canvas.height * 0.25 * Math.sin(a)) * 10) / 10,
      i * 8,
      Math.round((0.3 + 0.4 * Math.abs(Math.sin(a / 2))) * 1000) / 1000,
    ]);
  }
  return {
    canvas,
    t0: now,
    clientNow: now + n * 8 + 300,
    strokes: [{ pointerType, points }],
  };
}

/** What each side says at each step of a hearing, in the order the hearing follows. */
const HEARING: HearingScript = [
  {
    step: 'discipline_announced',
    turns: [['moderator', '现在宣布听证纪律，请听证参加人遵守听证秩序。']],
  },
  { step: 'recording_announced', turns: [['moderator', '本次听证全程同步录音录像。']] },
  {
    step: 'identity_checked',
    turns: [
      ['party', '我叫赵六，身份证号码已向主持人出示。'],
      ['agent', '我是河北正衡律师事务所律师王明，受当事人委托，特别授权代理。'],
    ],
  },
  { step: 'rights_explained', turns: [['party', '听清楚了。']] },
  { step: 'recusal_asked', turns: [['party', '不申请回避。']] },
  {
    step: 'investigation',
    turns: [
      [
        'investigator',
        '经查，当事人建设的住宅项目未按规定修建防空地下室，证据有现场检查笔录和询问笔录。建议处以罚款。',
      ],
    ],
  },
  {
    step: 'party_statement',
    turns: [
      ['party', '我们承认没有修建防空地下室，但当时曾咨询易地建设，不是故意违法。'],
      ['agent', '当事人系初次违法，且已积极整改，请求从轻处罚。'],
    ],
  },
  {
    step: 'cross_examination',
    turns: [
      [
        'witness',
        '我是项目的监理工程师孙强，项目确实没有修建防空地下室，施工图纸中人防部分后来被取消了。',
      ],
      ['agent', '对证人证言的真实性没有异议，但证人不了解报建过程。'],
    ],
  },
  {
    step: 'debate',
    turns: [
      ['investigator', '事实清楚，证据确凿，处罚建议适当。'],
      ['agent', '请求从轻处罚。'],
    ],
  },
  { step: 'final_statement', turns: [['party', '请求从轻处理，我们会尽快补缴易地建设费。']] },
];

/** A hearing's record: each step of the order marked on the clock, then what was said at it. */
export function hearingActions(startAt = 5_000): TranscriptActionInput[] {
  return hearingActionsOf(HEARING, startAt, { step: 1_000, turn: 20_000 });
}

/**
 * Everyone signs a record on the party's page, in turn (every page read and signed, the seam
 * by the first, the closing statement), then two officers sign at the desk in person and the
 * desk finishes it. Returns the finished record.
 */
export async function signThrough(
  desk: Client,
  tablet: Client,
  opened: SigningOpenedDto,
  officers: readonly { id: number; confirmation: { username: string; password: string } }[],
) {
  let s: SigningStatusDto = opened;
  let seed = 300;
  while (s.signer !== null) {
    const ref = {
      signingId: s.signingId,
      token: opened.token,
      version: s.version,
      signer: s.signer,
    };
    for (let page = 1; page <= s.pageCount; page++)
      s = await tablet.invoke('signing.viewPage', { ...ref, page });
    for (let page = 1; page <= s.pageCount; page++)
      s = await tablet.invoke('signing.signPage', {
        ...ref,
        page,
        handwriting: handwritingInput(seed++),
      });
    if (s.step === 'seam')
      await tablet.invoke('signing.seam', {
        ...ref,
        handwriting: handwritingInput(seed++, { width: 900, height: 300 }),
      });
    s = await tablet.invoke('signing.closingStatement', {
      ...ref,
      handwriting: handwritingInput(seed++),
    });
  }
  for (const o of officers)
    s = await desk.invoke('signing.officer', {
      signingId: s.signingId,
      version: s.version,
      officerId: o.id,
      handwriting: handwritingInput(seed++),
      confirmation: o.confirmation,
    });
  return desk.invoke('signing.finish', { signingId: s.signingId });
}

/** The hearing order as the 听证笔录 prints its steps, written out here (not read from the app). */
export const HEARING_STEP_NAMES = [
  '宣布听证纪律',
  '告知录音录像',
  '核对当事人身份',
  '告知权利义务',
  '询问是否申请回避',
  '调查人员陈述',
  '当事人陈述申辩',
  '质证',
  '辩论',
  '最后陈述',
] as const;

/**
 * Where each step's heading (【质证】) stands in a record's text (whitespace removed), in the
 * hearing order; -1 for a step not printed.
 */
export function stepPositions(text: string): number[] {
  return HEARING_STEP_NAMES.map((s) => text.indexOf(`【${s}】`));
}

/** Whether every step's heading has its time on the recording's clock beside it (00:01:23). */
export function stepsTimed(text: string): boolean {
  return HEARING_STEP_NAMES.every((s) => new RegExp(`\\d{2}:\\d{2}:\\d{2}【${s}】`).test(text));
}
