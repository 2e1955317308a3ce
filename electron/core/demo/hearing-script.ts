/**
 * The demonstration hearing (听证) of the demo case: who sits, who takes part, what each says
 * at each step of the hearing order, and the moderator's report. Everything here is invented.
 */
import type { MarkerKind, Speaker, TranscriptActionInput } from '../../shared/rules/transcript';
import type { HearingReportContent } from '../../shared/api/hearings';

export const DEMO_HEARING = {
  room: '听证室',
  /** Not an investigator of the case (the moderator never is). */
  moderator: { name: '王芳', certificateNo: 'DEMO13010003' },
  recorder: { name: '刘洋', certificateNo: 'DEMO13010004' },
  agent: '王明',
  /** The agent's power of attorney (授权委托书), as the agent hands it in. */
  mandate: '当事人2026年11月30日出具的授权委托书（特别授权）',
  /** A third party (第三人): the owner of the land the project stands on. */
  thirdParty: '陈立',
  witness: '孙强',
  /** Why the witness declines to sign the whole record. */
  witnessRefusal: '证人称只对本人证言负责，不愿在整份听证笔录上签名',
} as const;

/** The hearing order, and what is said at each step. */
const STEPS: HearingScript = [
  {
    step: 'discipline_announced',
    turns: [
      [
        'moderator',
        '现在开始听证。宣布听证纪律：听证参加人和旁听人员应当遵守听证秩序，未经主持人允许不得发言。',
      ],
    ],
  },
  {
    step: 'recording_announced',
    turns: [['moderator', '本次听证全程同步录音录像，录音录像资料与听证笔录一并归入案卷。']],
  },
  {
    step: 'identity_checked',
    turns: [
      ['moderator', '请听证参加人报告身份。'],
      [
        'party',
        '我叫赵六，是某置业有限公司长安区建设北大街1号住宅项目的项目经理，身份证件已向主持人出示。',
      ],
      [
        'agent',
        '我是某律师事务所律师王明，受当事人委托参加听证，授权委托书已提交，代理权限为特别授权。',
      ],
      ['third_party', '我叫陈立，是项目所在地块的原土地使用权人，与本案处理结果有利害关系。'],
    ],
  },
  {
    step: 'rights_explained',
    turns: [
      [
        'moderator',
        '当事人在听证中享有陈述、申辩、质证和申请回避的权利，有如实回答询问、遵守听证纪律的义务。当事人是否听清楚了？',
      ],
      ['party', '听清楚了。'],
    ],
  },
  {
    step: 'recusal_asked',
    turns: [
      ['moderator', '当事人是否申请主持人、听证员、记录员回避？'],
      ['party', '不申请回避。'],
    ],
  },
  {
    step: 'investigation',
    turns: [
      [
        'investigator',
        '经调查，当事人建设的住宅项目总建筑面积约三万二千平方米，依法应当修建防空地下室而未修建，也未缴纳易地建设费。证据有现场检查笔录、现场照片十二张、询问笔录和施工图纸。建议依法处以罚款并责令限期补建或者补缴易地建设费。',
      ],
    ],
  },
  {
    step: 'party_statement',
    turns: [
      ['party', '我们承认没有按原设计修建防空地下室，但公司曾经咨询过易地建设费，不是故意逃避。'],
      ['agent', '当事人系初次违法，主动配合调查，已经启动整改方案，请求依法从轻处罚。'],
    ],
  },
  {
    step: 'cross_examination',
    turns: [
      ['moderator', '请当事人对调查人员出示的证据发表质证意见。请证人陈述。'],
      [
        'witness',
        '我是项目的监理工程师孙强。项目的施工图纸中原有人防部分，后来设计变更取消了，现场确实没有修建防空地下室。',
      ],
      [
        'agent',
        '对现场检查笔录和照片的真实性没有异议；证人不了解报建过程，对其关于设计变更原因的陈述有异议。',
      ],
    ],
  },
  {
    step: 'debate',
    turns: [
      ['investigator', '事实清楚，证据确凿，处罚建议适当。'],
      ['agent', '当事人有从轻情节，请求从轻处罚。'],
    ],
  },
  {
    step: 'final_statement',
    turns: [
      ['moderator', '辩论结束。现在由当事人作最后陈述。'],
      ['third_party', '我没有其他意见，请依法处理。'],
      ['party', '请求从轻处理，公司会尽快补缴易地建设费。'],
    ],
  },
];

/** A hearing's script: at each step of the order, who says what. */
export type HearingScript = readonly {
  step: MarkerKind;
  turns: readonly (readonly [Speaker, string])[];
}[];

/**
 * A hearing script as the clerk takes it down: each step marked on the clock (with the party's
 * answers to the notices: understood, no recusal asked), then what was said at it. Times start
 * at `startAt` and move on by `gaps.step` after a marker and `gaps.turn` after a turn.
 */
export function hearingActionsOf(
  script: HearingScript,
  startAt: number,
  gaps: { step: number; turn: number },
): TranscriptActionInput[] {
  const actions: TranscriptActionInput[] = [];
  let at = startAt;
  script.forEach((s, i) => {
    const answers =
      s.step === 'rights_explained'
        ? { understood: true }
        : s.step === 'recusal_asked'
          ? { recusal: 'none' as const }
          : undefined;
    actions.push({
      type: 'marker.add',
      id: `h-${s.step}`,
      kind: s.step,
      at,
      note: '',
      ...(answers ? { answers } : {}),
    });
    at += gaps.step;
    s.turns.forEach(([speaker, text], j) => {
      actions.push({ type: 'turn.add', id: `h${i + 1}-${j + 1}`, speaker, text, at });
      at += gaps.turn;
    });
  });
  return actions;
}

/** The demo hearing as transcript actions spread over `durationMs` of recording. */
export function demoHearingTranscript(durationMs: number): TranscriptActionInput[] {
  const count = STEPS.reduce((n, s) => n + 1 + s.turns.length, 0);
  const step = Math.max(150, Math.floor((durationMs - 4_000) / (count + 1)));
  return hearingActionsOf(STEPS, 2_000, { step, turn: step });
}

/** The moderator's report. */
export const DEMO_HEARING_REPORT: HearingReportContent = {
  investigatorCase:
    '调查人员认为，当事人建设的住宅项目应当修建防空地下室而未修建，也未缴纳易地建设费，证据有现场检查笔录、现场照片、询问笔录和施工图纸，建议依法处以罚款并责令限期补建或补缴易地建设费。',
  partyCase:
    '当事人承认未按原设计修建防空地下室，称曾咨询易地建设费；委托代理人认为当事人系初次违法、主动配合调查并已启动整改，请求从轻处罚；对证人关于设计变更原因的陈述有异议。',
  findings:
    '经听证，当事人建设的住宅项目未修建防空地下室、未缴纳易地建设费的事实清楚，现场检查笔录、现场照片、询问笔录和证人证言相互印证，证据确实充分。',
  recommendation:
    '主持人认为，调查人员认定的事实清楚、证据充分，适用依据正确；考虑当事人初次违法并积极整改，建议在法定幅度内从轻处罚，并责令限期补缴易地建设费。',
};
