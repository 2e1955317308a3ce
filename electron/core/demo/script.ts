/**
 * The demonstration case's facts and its scripted interview (询问): a fictitious civil air
 * defence matter, long enough for a record of several pages. Everything here is invented.
 */
import type { MarkerKind, TranscriptActionInput } from '../../shared/rules/transcript';

export const DEMO_CASE = {
  caseNo: '演示人防罚〔2026〕1号',
  cause: '未按规定修建防空地下室（演示案例）',
  place: '某市人民防空办公室执法大队（演示）',
  room: '1号询问室',
  unit: '某市人民防空办公室',
  officers: [
    { name: '张伟', certificateNo: 'DEMO13010001' },
    { name: '李娜', certificateNo: 'DEMO13010002' },
  ],
  party: { name: '赵六', address: '某市长安区建设北大街1号（演示）', contact: '13800000000' },
} as const;

/** Questions and answers, in order. */
const DIALOGUE: readonly [string, string][] = [
  [
    '我们是某市人民防空办公室的执法人员张伟、李娜，这是我们的执法证件，请你过目。今天的询问全程同步录音录像，你是否清楚？',
    '清楚，证件我看过了，我同意录音录像。',
  ],
  [
    '根据法律规定，你有陈述、申辩的权利，认为执法人员与本案有利害关系的，有申请回避的权利；同时你有如实回答询问、协助调查的义务。你是否听清楚了？是否申请回避？',
    '听清楚了，不申请回避，我会如实回答。',
  ],
  [
    '请你介绍一下你的基本情况，包括姓名、身份证号码、工作单位和职务。',
    '我叫赵六，在某置业有限公司工作，担任长安区建设北大街1号住宅项目的项目经理，负责项目的施工组织、进度和安全管理，身份证号码我已经向你们出示了。',
  ],
  [
    '你与本案涉及的住宅项目是什么关系？你在该项目中具体负责哪些工作？',
    '我从2024年3月起负责这个项目。公司委托我全面管理工程进度、质量和安全，报建手续主要由公司报建部办理，我负责配合提供施工方面的资料，也参加每周的工程例会。',
  ],
  [
    '该项目是否按照人防工程建设的有关规定修建了防空地下室？',
    '项目没有修建防空地下室。当时设计单位出具的施工图里有人防部分，后来公司为了加快进度调整了地下室方案，把原来的人防区域改成了普通地下车库，这个情况我是知道的。',
  ],
  [
    '调整地下室方案是谁决定的？有没有形成书面材料？',
    '是公司总经理办公会决定的，我列席了那次会议。会议形成了会议纪要，由公司行政部保存。设计单位后来出了变更图纸，但是变更图纸没有报人防主管部门审查。',
  ],
  [
    '你们在报建时是否申请了易地建设，是否缴纳了防空地下室易地建设费？',
    '据我了解，公司曾经向有关部门咨询过易地建设费的缴纳标准，但是没有正式提交易地建设的申请，也没有缴纳易地建设费。具体原因我不太清楚，需要问公司领导和报建部。',
  ],
  [
    '请说明项目的总建筑面积、地下室面积和开工、竣工时间。',
    '项目总建筑面积约三万二千平方米，其中地下室约四千五百平方米。2024年4月开工，目前主体已经封顶，正在进行外墙和室内装修，计划2026年年底竣工验收。',
  ],
  [
    '在施工过程中，人防主管部门是否对你们进行过检查或者提出过整改要求？',
    '去年十月人防办的同志来工地检查过一次，口头提出要按原设计修建人防工程。我当时向公司做了汇报，公司说会和主管部门沟通，但是后来施工方案没有改回去。',
  ],
  [
    '你们对口头整改要求是如何处理的？有没有书面回复？',
    '我向公司提交过书面的情况说明，公司报建部说会出正式回复，但是据我所知没有向人防办提交书面回复。这件事情我个人也觉得处理得不妥当。',
  ],
  [
    '现在向你出示现场检查笔录和现场照片共十二张，请你辨认照片中的地下室是否为本项目的地下室。',
    '我看过了，照片里的地下室就是我们项目的地下车库，拍摄的时间和位置我都认可，现场检查笔录上的签名也是我签的。',
  ],
  [
    '对于未按规定修建防空地下室的问题，你们公司目前有什么整改打算？',
    '公司已经召开会议研究，准备委托设计单位出具补建或者缴纳易地建设费的方案，报人防主管部门审查同意后执行。我们愿意积极配合整改，争取从轻处理。',
  ],
  [
    '你还需要向我们提供哪些证明材料？什么时候能够提供？',
    '我回去以后会尽快整理，包括原设计图纸、变更图纸、公司会议纪要、报建资料和施工合同的复印件，加盖公司公章，争取在五个工作日内送到人防办。',
  ],
  [
    '你对我们今天的询问还有什么补充或者意见？',
    '没有补充了。今天询问的过程都录了像，你们也告诉了我的权利，我对询问过程没有意见，愿意配合调查。',
  ],
];

/** Procedure steps, marked just after the turn (0-based) that does them (R1.3, R2.5, R3.4). */
const MARKERS: readonly { kind: MarkerKind; afterTurn: number }[] = [
  { kind: 'identity_shown', afterTurn: 0 },
  { kind: 'recording_announced', afterTurn: 0 },
  { kind: 'rights_explained', afterTurn: 2 },
  { kind: 'identity_checked', afterTurn: 5 },
];

/**
 * The interview as transcript actions, its turns spread over `durationMs` of recording
 * (session time), as a clerk would have typed them.
 */
export function demoTranscript(
  durationMs: number,
  /** Steps left unmarked (a notice forgotten, for the compliance report to find). */
  omit: readonly MarkerKind[] = [],
): TranscriptActionInput[] {
  const turns = DIALOGUE.flatMap(([q, a], i) => [
    { id: `q${i + 1}`, speaker: 'question' as const, text: q },
    { id: `a${i + 1}`, speaker: 'answer' as const, text: a },
  ]);
  const step = Math.max(200, Math.floor((durationMs - 4_000) / (turns.length + 1)));
  const actions: TranscriptActionInput[] = [];
  turns.forEach((turn, i) => {
    const at = 2_000 + i * step;
    actions.push({ type: 'turn.add', ...turn, at });
    for (const m of MARKERS.filter((x) => x.afterTurn === i && !omit.includes(x.kind))) {
      actions.push({ type: 'marker.add', id: `m-${m.kind}`, kind: m.kind, at: at + 100, note: '' });
    }
  });
  return actions;
}
