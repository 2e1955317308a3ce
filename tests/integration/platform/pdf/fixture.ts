/**
 * Synthetic transcripts and handwriting for the PDF tests and the benchmark: realistic
 * Chinese Q/A with Latin and digits mixed in, a rare-character name, corrections, and
 * pen strokes with time and pressure shaped like a cursive signature.
 */
import {
  paginateTranscript,
  SIGNATURES_SCHEMA,
  TRANSCRIPT_SCHEMA,
} from '../../../../electron/core/platform/pdf';
import type {
  Correction,
  Handwriting,
  OfficerSignature,
  Signatures,
  StrokePoint,
  Transcript,
  TranscriptDocument,
  TranscriptKind,
  Turn,
} from '../../../../electron/core/platform/pdf';

/** A small deterministic PRNG (mulberry32), so fixtures are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pointer events report CSS pixels with a fraction; pressure has ~10 bits. */
const px = (v: number): number => Math.round(v * 10) / 10;
const pr = (v: number): number => Math.round(v * 1000) / 1000;

const START = Date.parse('2026-11-22T01:30:15Z'); // 09:30:15 in Shanghai
const SESSION_START_MS = 120_000; // the recording began two minutes into the session

/**
 * A cursive-like signature on a 600×200 canvas: two looped "words" and an underline
 * flourish, drawn with a pen (pressure varies along the stroke), sampled every 8 ms.
 */
export function fakeSignature(seed: number, atMs: number, wide = false): Handwriting {
  const r = rng(seed);
  const strokes: StrokePoint[][] = [];
  let t = atMs;
  const loops = (x0: number, x1: number, y0: number, radius: number): StrokePoint[] => {
    const pts: StrokePoint[] = [];
    const turns = 3 + Math.floor(r() * 3);
    const n = 90;
    for (let i = 0; i <= n; i++) {
      const u = i / n;
      const a = u * turns * 2 * Math.PI;
      pts.push({
        x: px(x0 + (x1 - x0) * u + radius * 0.9 * Math.cos(a + Math.PI)),
        y: px(y0 + radius * Math.sin(a) + 8 * Math.sin(u * 5)),
        t: (t += 8),
        pressure: pr(0.35 + 0.3 * Math.sin(u * Math.PI) + 0.1 * r()),
        pointerType: 'pen',
      });
    }
    return pts;
  };
  strokes.push(loops(40, wide ? 300 : 260, 90, 38 + r() * 10));
  t += 250;
  strokes.push(loops(wide ? 320 : 300, 560, 95, 34 + r() * 10));
  t += 200;
  const under: StrokePoint[] = [];
  for (let i = 0; i <= 60; i++) {
    const u = i / 60;
    under.push({
      x: px(30 + 540 * u),
      y: px(160 + 10 * Math.sin(u * 3 * Math.PI) - 20 * u),
      t: (t += 8),
      pressure: pr(0.6 - 0.4 * u),
      pointerType: 'pen',
    });
  }
  strokes.push(under);
  return {
    canvas: { width: 600, height: 200 },
    strokes,
    signedAt: new Date(START + (atMs - SESSION_START_MS)).toISOString(),
    atMs,
  };
}

/** Initials: two short strokes on a small canvas, drawn with a finger (no pressure). */
export function fakeInitials(atMs: number): Handwriting {
  const a: StrokePoint[] = [];
  const b: StrokePoint[] = [];
  for (let i = 0; i <= 20; i++) {
    a.push({
      x: 10 + i * 3,
      y: px(60 - Math.sin(i / 3) * 25),
      t: atMs + i * 10,
      pressure: 0.5,
      pointerType: 'touch',
    });
    b.push({
      x: 40 + i * 2,
      y: 20 + i * 2.5,
      t: atMs + 400 + i * 10,
      pressure: 0.5,
      pointerType: 'touch',
    });
  }
  return {
    canvas: { width: 120, height: 80 },
    strokes: [a, b],
    signedAt: new Date(START + (atMs - SESSION_START_MS)).toISOString(),
    atMs,
  };
}

const QA: [string, string][] = [
  ['你是否清楚今天为什么到我局接受询问？', '清楚，是因为我店里销售的那批进口冷冻牛肉的事情。'],
  [
    '请你介绍一下你店里的经营情况，包括营业执照、食品经营许可证的办理情况。',
    '我的店叫“鑫隆生鲜超市”，营业执照上的统一社会信用代码是91130100MA0CXXXX1Y，食品经营许可证编号JY11301050012345，有效期到2028年6月30日。店里主要卖生鲜、冻品和副食，面积大约120平方米，雇了3个店员。',
  ],
  [
    '执法人员于2026年11月10日在你店冷柜中查获的冷冻牛肉是从哪里进的货？',
    '是从石家庄市桥西区一个叫王某的批发商那里进的，他在华北冷链物流园有个档口（B区17号），我们一直在他那里拿货。进货的时候他给了我一张手写的送货单，没有给发票，也没有给《入境货物检验检疫证明》和核酸检测报告。',
  ],
  [
    '这批货一共进了多少？进价和售价各是多少？',
    '一共进了40箱，每箱20公斤，进价每公斤38元，我们卖每公斤52元。',
  ],
  [
    '到执法人员检查时为止，已经卖出去多少？',
    '大概卖了11箱半，剩下的28箱半都在冷柜里，被你们查封了。卖出去的部分主要是零售，散客买的，没有登记。',
  ],
  [
    '你在进货时有没有查验供货者的许可证和产品合格证明文件？有没有建立进货查验记录？',
    '查了他的营业执照复印件，许可证没看。进货记录有一个本子，记了日期、品名、数量和金额，没有记生产批号和供货者的联系方式。我知道这样不规范，以后一定改正。',
  ],
  [
    '你是否知道进口冷链食品需要有检验检疫证明和追溯码？',
    '知道一点，但是王某说他的货都是正规渠道来的，证明文件在他那里，需要的时候可以提供，所以我就没有坚持要。',
  ],
  [
    '执法人员现场检查时，发现部分包装上没有中文标签，你对此有什么说明？',
    '有一部分箱子外面的中文标签掉了（不是我撕的），里面的小包装上是英文“FROZEN BONELESS BEEF, Product of Brazil, Est. SIF 1234”，我没有注意到这个问题。',
  ],
  [
    '你还有什么需要补充的吗？',
    '没有了。我愿意配合调查，把剩下的货封存好，也会联系王某让他把证明材料交过来。',
  ],
];

/** Options for {@link makeTranscript}. */
export interface FixtureOptions {
  kind?: TranscriptKind;
  /** How many times to cycle through the Q/A bank (about 1.2 pages each). */
  rounds?: number;
  id?: string;
}

/** A transcript with procedures, turns and two corrections. */
export function makeTranscript(o: FixtureOptions = {}): Transcript {
  const rounds = o.rounds ?? 3;
  const turns: Turn[] = [];
  let at = SESSION_START_MS + 95_000;
  for (let r = 0; r < rounds; r++) {
    QA.forEach(([q, a], i) => {
      const prefix = r === 0 ? '' : `（第${r + 1}轮核实）`;
      turns.push({ id: `t${r}-${i}-q`, speaker: '问', text: prefix + q, atMs: (at += 20_000) });
      turns.push({ id: `t${r}-${i}-a`, speaker: '答', text: a, atMs: (at += 6_000) });
    });
  }
  // A correction in an early answer: the party said 5日, the clerk typed 3日; fixed after review.
  const fixTurn = turns.find((t) => t.id === 't0-3-a')!;
  fixTurn.text = '一共进了40箱，每箱20公斤，进价每公斤36元，我们卖每公斤52元。';
  const start1 = fixTurn.text.indexOf('36');
  const corrections: Correction[] = [
    {
      id: 'c1',
      turnId: fixTurn.id,
      start: start1,
      end: start1 + 2,
      originalText: '38',
      newText: '36',
      atMs: at + 60_000,
    },
  ];
  // One later, on another page when there are several rounds.
  const late = turns.find((t) => t.id === `t${rounds - 1}-4-a`)!;
  const start2 = late.text.indexOf('28箱半');
  corrections.push({
    id: 'c2',
    turnId: late.id,
    start: start2,
    end: start2 + 4,
    originalText: '二十八箱',
    newText: '28箱半',
    atMs: at + 70_000,
  });
  const end = at + 120_000;
  return {
    schema: TRANSCRIPT_SCHEMA,
    id: o.id ?? '3f1c9a7e-5b2d-4e8a-9c61-0d7f2b4a8e10',
    kind: o.kind ?? 'inquiry',
    header: {
      agency: '石家庄市市场监督管理局',
      caseNumber: '石市监罚〔2026〕第0187号',
      cause: '涉嫌经营无合法来源进口冷链食品',
      place: '石家庄市市场监督管理局第三询问室',
      recording: {
        startedAt: new Date(START).toISOString(),
        endedAt: new Date(START + (end - SESSION_START_MS)).toISOString(),
        timeZone: 'Asia/Shanghai',
        startMs: SESSION_START_MS,
        endMs: end,
      },
      sequence: 1,
      officers: [
        { name: '张建国', certificateNo: '13010021003' },
        { name: '李  娜', certificateNo: '13010021017' },
      ],
      recorder: { name: '王晓明', certificateNo: '13010021042' },
      party: {
        name: '龚䶮',
        idType: '居民身份证',
        idNumber: '130102198503071234',
        gender: '男',
        address: '河北省石家庄市长安区中山东路398号鑫隆生鲜超市',
        contact: '138 3311 2468',
        employer: '鑫隆生鲜超市 负责人',
      },
      others: [{ role: '委托代理人', name: 'Anna Müller', note: '河北某律师事务所律师' }],
    },
    procedures: [
      {
        kind: 'identity',
        speaker: '问',
        statement:
          '我们是石家庄市市场监督管理局的执法人员张建国、李娜，执法证号分别为13010021003、13010021017，这是我们的执法证件，请你过目。',
        responder: '答',
        response: '看清楚了。',
        atMs: SESSION_START_MS + 5_000,
      },
      {
        kind: 'recording-notice',
        speaker: '问',
        statement: '根据规定，本次询问全程录音录像，你是否清楚？',
        responder: '答',
        response: '清楚。',
        atMs: SESSION_START_MS + 25_000,
      },
      {
        kind: 'rights',
        speaker: '问',
        statement:
          '你有陈述、申辩的权利；认为执法人员与本案有直接利害关系的，有申请回避的权利；依法有申请听证的权利。同时你应当如实回答询问，协助调查，不得阻挠。你是否申请回避？',
        responder: '答',
        response: '不申请回避。',
        atMs: SESSION_START_MS + 45_000,
      },
    ],
    turns,
    corrections,
  };
}

function officerSignatures(t: Transcript, role: 'inquiry' | 'refusal'): OfficerSignature[] {
  const h = t.header;
  const at = h.recording.endMs + 300_000;
  const sigs: OfficerSignature[] = h.officers.map((o, i) => ({
    officer: o,
    role: role === 'refusal' ? '执法人员' : '询问人',
    signature: fakeSignature(100 + i, at + i * 5_000),
  }));
  if (role === 'inquiry') {
    sigs.push({ officer: h.recorder, role: '记录人', signature: fakeSignature(200, at + 20_000) });
  }
  return sigs;
}

/** Signatures for every page laid out, the seam, initials, closing statement and officers. */
export function signAll(t: Transcript): Signatures {
  const n = paginateTranscript({ transcript: t, signatures: { kind: 'signed' } }).pageCount;
  const at = t.header.recording.endMs + 60_000;
  return {
    schema: SIGNATURES_SCHEMA,
    kind: 'signed',
    pages: Array.from({ length: n }, (_, i) => ({
      page: i + 1,
      signature: fakeSignature(1 + i, at + i * 4_000),
    })),
    seam: fakeSignature(999, at + n * 4_000 + 10_000, true),
    corrections: Object.fromEntries(
      t.corrections.map((c, i) => [c.id, fakeInitials(at - 30_000 + i * 3_000)]),
    ),
    closing: {
      text: '以上笔录我看过，和我说的相符',
      handwriting: fakeSignature(500, at + n * 4_000 + 30_000),
    },
    officers: officerSignatures(t, 'inquiry'),
  };
}

/** The refusal: no party signatures, a reason, two officers. */
export function refuse(t: Transcript): Signatures {
  return {
    schema: SIGNATURES_SCHEMA,
    kind: 'refused',
    reason:
      '当事人认为第3页记载的进货数量与其陈述不符，拒绝在笔录上签名，并拒绝说明理由以外的其他意见。',
    atMs: t.header.recording.endMs + 45_000,
    officers: officerSignatures(t, 'refusal'),
  };
}

/** A complete signed document. */
export function signedDocument(o: FixtureOptions = {}): TranscriptDocument {
  const transcript = makeTranscript(o);
  return { transcript, signatures: signAll(transcript) };
}

/**
 * A transcript that lays out to exactly `pages` pages (when reachable): enough Q/A rounds,
 * then turns dropped from the end (never a corrected one) until it fits.
 */
export function transcriptOfPages(
  pages: number,
  o: Omit<FixtureOptions, 'rounds'> = {},
): Transcript {
  const count = (t: Transcript): number =>
    paginateTranscript({ transcript: t, signatures: { kind: 'signed' } }).pageCount;
  let rounds = 1;
  let t = makeTranscript({ ...o, rounds });
  while (count(t) < pages) t = makeTranscript({ ...o, rounds: ++rounds });
  const corrected = new Set(t.corrections.map((c) => c.turnId));
  for (let i = t.turns.length - 1; i >= 0 && count(t) > pages; i--) {
    if (!corrected.has(t.turns[i]!.id)) t.turns.splice(i, 1);
  }
  return t;
}
