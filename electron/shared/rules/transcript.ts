/**
 * The transcript (笔录) of a session as pure data and pure actions. The renderer applies an
 * action at once (the clerk sees it) and sends the same action to the core, which appends
 * it to the session's operation log and applies the same reducer. Replaying the log gives
 * the same state, so the log is the record and nothing typed is lost between the two.
 *
 * Times (`at`) are session time in milliseconds: 0 is the start of the recording (R2.4).
 */
import { z } from 'zod';
import type { SessionKind } from '../domain';

/** Who speaks a turn. Interviews alternate 问/答; hearings name the role. */
export const SPEAKERS = [
  'question', // 问
  'answer', // 答
  'moderator', // 主持人
  'investigator', // 调查人员
  'party', // 当事人
  'agent', // 委托代理人
  'witness', // 证人
  'third_party', // 第三人
  'recorder', // 记录员
  'finding', // 现场情况 (what an inspection finds, written down as seen)
] as const;
export type Speaker = (typeof SPEAKERS)[number];

export const SPEAKERS_BY_KIND: Record<SessionKind, readonly Speaker[]> = {
  interview: ['question', 'answer'],
  summons: ['question', 'answer'],
  inspection: ['finding', 'question', 'answer'],
  hearing: ['moderator', 'investigator', 'party', 'agent', 'witness', 'third_party', 'recorder'],
};

/**
 * Procedure steps, prompted in order and shown as missing until done (R1.3, R2.5, R3.4).
 * Interviews: officers identify themselves and show certificates, the party is told of the
 * recording, rights and duties are explained, the party's identity is checked. Hearings
 * follow the hearing order.
 */
export const PROCEDURE_STEPS: Record<SessionKind, readonly ProcedureStep[]> = {
  interview: ['identity_shown', 'recording_announced', 'rights_explained', 'identity_checked'],
  summons: ['identity_shown', 'recording_announced', 'rights_explained', 'identity_checked'],
  inspection: ['identity_shown', 'recording_announced', 'rights_explained', 'identity_checked'],
  // The hearing order (宣布纪律, 核对身份, 告知权利, 申请回避, 调查人员陈述, 当事人陈述申辩,
  // 质证, 辩论, 最后陈述), with the recording announced at the opening as in every session.
  hearing: [
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
  ],
};

export const PROCEDURE_STEP_KINDS = [
  'identity_shown', // 表明身份、出示证件
  'recording_announced', // 告知录音录像
  'rights_explained', // 告知权利义务（陈述、申辩、申请回避、申请听证）
  'identity_checked', // 核对当事人身份
  'discipline_announced', // 宣布听证纪律
  'recusal_asked', // 询问是否申请回避
  'investigation', // 调查人员陈述（案件事实、证据、依据和处理意见）
  'party_statement', // 当事人陈述、申辩
  'cross_examination', // 质证
  'debate', // 辩论
  'final_statement', // 最后陈述
] as const;
export type ProcedureStep = (typeof PROCEDURE_STEP_KINDS)[number];

/** Markers that are not steps of the order: interruptions and their resumption (R3.5), refusal to sign (R2.2). */
export const EVENT_MARKER_KINDS = ['interruption', 'resumed', 'refusal'] as const;
export const MARKER_KINDS = [...PROCEDURE_STEP_KINDS, ...EVENT_MARKER_KINDS] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

export interface Turn {
  id: string;
  speaker: Speaker;
  text: string;
  at: number;
}

/**
 * The party's answers to a notice, as fields (R1.3: how the party used the rights told): that
 * they understood, and whether they ask for anyone's recusal, of whom and why.
 */
export const noticeAnswersSchema = z
  .object({
    understood: z.boolean().optional(),
    recusal: z.enum(['none', 'requested']).optional(),
    recusalOf: z.string().trim().min(1).max(60).optional(),
    recusalReason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type NoticeAnswers = z.output<typeof noticeAnswersSchema>;

/** The steps whose markers take the party's answers. */
export const ANSWERED_STEPS: readonly MarkerKind[] = [
  'recording_announced',
  'rights_explained',
  'recusal_asked',
];

export interface Marker {
  id: string;
  kind: MarkerKind;
  at: number;
  note: string;
  /** The party's answers to the notice the marker records. */
  answers?: NoticeAnswers;
}

/** The party's answers in the record's words: 当事人表示听清楚；申请记录人李娜回避，理由：…。 */
export function answersText(a: NoticeAnswers | undefined): string | null {
  if (!a) return null;
  const parts: string[] = [];
  if (a.understood !== undefined) parts.push(a.understood ? '表示听清楚了' : '表示没有听清楚');
  if (a.recusal === 'none') parts.push('不申请回避');
  if (a.recusal === 'requested')
    parts.push(
      `申请${a.recusalOf ?? ''}回避${a.recusalReason ? `，理由：${a.recusalReason}` : ''}`,
    );
  return parts.length ? parts.join('；') : null;
}

export interface TranscriptState {
  turns: Turn[];
  markers: Marker[];
}

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const at = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600 * 1000);

export const transcriptActionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('turn.add'),
      id,
      /** Insert after this turn; absent: at the end. */
      after: id.optional(),
      speaker: z.enum(SPEAKERS),
      text: z.string().max(20_000).default(''),
      at,
    })
    .strict(),
  z.object({ type: z.literal('turn.text'), id, text: z.string().max(20_000) }).strict(),
  z.object({ type: z.literal('turn.speaker'), id, speaker: z.enum(SPEAKERS) }).strict(),
  z.object({ type: z.literal('turn.remove'), id }).strict(),
  z
    .object({
      type: z.literal('marker.add'),
      id,
      kind: z.enum(MARKER_KINDS),
      at,
      note: z.string().max(2000).default(''),
      answers: noticeAnswersSchema.optional(),
    })
    .strict(),
  z.object({ type: z.literal('marker.remove'), id }).strict(),
  /** The party's answers to a notice, set on its marker (an empty object clears them). */
  z.object({ type: z.literal('marker.answers'), id, answers: noticeAnswersSchema }).strict(),
]);
export type TranscriptAction = z.output<typeof transcriptActionSchema>;
export type TranscriptActionInput = z.input<typeof transcriptActionSchema>;

export const EMPTY_TRANSCRIPT: TranscriptState = { turns: [], markers: [] };

export class TranscriptError extends Error {}

/** Answers belong to a notice the party answers; a recusal asked names whom. */
function answersFit(kind: MarkerKind, a: NoticeAnswers): void {
  if (!ANSWERED_STEPS.includes(kind))
    throw new TranscriptError(`a ${kind} marker takes no answers`);
  if (a.recusal !== undefined && kind === 'recording_announced')
    throw new TranscriptError('recusal is answered to the rights notice, not the recording notice');
  if (a.recusal === 'requested' && !a.recusalOf)
    throw new TranscriptError('a recusal asked for names whom (回避对象)');
  if (a.recusal !== 'requested' && (a.recusalOf || a.recusalReason))
    throw new TranscriptError('whom and why belong to a recusal asked for');
}

/**
 * Applies one action. Pure: returns a new state, never mutates. Throws
 * {@link TranscriptError} for an action that does not fit the state (unknown id, duplicate
 * id), so a bad action is refused rather than half-applied.
 */
export function applyAction(state: TranscriptState, action: TranscriptAction): TranscriptState {
  const turnIndex = (tid: string) => {
    const i = state.turns.findIndex((t) => t.id === tid);
    if (i < 0) throw new TranscriptError(`no turn ${tid}`);
    return i;
  };
  switch (action.type) {
    case 'turn.add': {
      if (state.turns.some((t) => t.id === action.id))
        throw new TranscriptError(`turn ${action.id} exists`);
      const turn: Turn = {
        id: action.id,
        speaker: action.speaker,
        text: action.text,
        at: action.at,
      };
      const turns = state.turns.slice();
      const pos = action.after === undefined ? turns.length : turnIndex(action.after) + 1;
      turns.splice(pos, 0, turn);
      return { ...state, turns };
    }
    case 'turn.text': {
      const i = turnIndex(action.id);
      const turns = state.turns.slice();
      turns[i] = { ...turns[i]!, text: action.text };
      return { ...state, turns };
    }
    case 'turn.speaker': {
      const i = turnIndex(action.id);
      const turns = state.turns.slice();
      turns[i] = { ...turns[i]!, speaker: action.speaker };
      return { ...state, turns };
    }
    case 'turn.remove': {
      const i = turnIndex(action.id);
      return { ...state, turns: state.turns.filter((_, j) => j !== i) };
    }
    case 'marker.add': {
      if (state.markers.some((m) => m.id === action.id))
        throw new TranscriptError(`marker ${action.id} exists`);
      const marker: Marker = { id: action.id, kind: action.kind, at: action.at, note: action.note };
      if (action.answers && Object.keys(action.answers).length) {
        answersFit(marker.kind, action.answers);
        marker.answers = action.answers;
      }
      const markers = [...state.markers, marker].sort((a, b) => a.at - b.at);
      return { ...state, markers };
    }
    case 'marker.answers': {
      const i = state.markers.findIndex((m) => m.id === action.id);
      if (i < 0) throw new TranscriptError(`no marker ${action.id}`);
      const markers = state.markers.slice();
      const bare: Marker = { ...markers[i]! };
      delete bare.answers;
      if (Object.keys(action.answers).length) answersFit(bare.kind, action.answers);
      markers[i] = Object.keys(action.answers).length ? { ...bare, answers: action.answers } : bare;
      return { ...state, markers };
    }
    case 'marker.remove': {
      if (!state.markers.some((m) => m.id === action.id))
        throw new TranscriptError(`no marker ${action.id}`);
      return { ...state, markers: state.markers.filter((m) => m.id !== action.id) };
    }
  }
}

/**
 * The action that undoes `action` on `before` (the state it was applied to). Undo and redo
 * are ordinary actions, so they are logged like any edit and the log stays the record.
 */
export function inverseOf(before: TranscriptState, action: TranscriptAction): TranscriptAction {
  switch (action.type) {
    case 'turn.add':
      return { type: 'turn.remove', id: action.id };
    case 'turn.text': {
      const t = before.turns.find((x) => x.id === action.id);
      if (!t) throw new TranscriptError(`no turn ${action.id}`);
      return { type: 'turn.text', id: action.id, text: t.text };
    }
    case 'turn.speaker': {
      const t = before.turns.find((x) => x.id === action.id);
      if (!t) throw new TranscriptError(`no turn ${action.id}`);
      return { type: 'turn.speaker', id: action.id, speaker: t.speaker };
    }
    case 'turn.remove': {
      const i = before.turns.findIndex((x) => x.id === action.id);
      if (i < 0) throw new TranscriptError(`no turn ${action.id}`);
      const t = before.turns[i]!;
      const prev = before.turns[i - 1];
      return {
        type: 'turn.add',
        id: t.id,
        speaker: t.speaker,
        text: t.text,
        at: t.at,
        ...(prev ? { after: prev.id } : {}),
      } as TranscriptAction;
    }
    case 'marker.add':
      return { type: 'marker.remove', id: action.id };
    case 'marker.remove': {
      const m = before.markers.find((x) => x.id === action.id);
      if (!m) throw new TranscriptError(`no marker ${action.id}`);
      return {
        type: 'marker.add',
        id: m.id,
        kind: m.kind,
        at: m.at,
        note: m.note,
        ...(m.answers ? { answers: m.answers } : {}),
      };
    }
    case 'marker.answers': {
      const m = before.markers.find((x) => x.id === action.id);
      if (!m) throw new TranscriptError(`no marker ${action.id}`);
      return { type: 'marker.answers', id: m.id, answers: m.answers ?? {} };
    }
  }
}

/** Steps of the session's order not yet marked, in order. */
export function missingSteps(kind: SessionKind, state: TranscriptState): ProcedureStep[] {
  const done = new Set(state.markers.map((m) => m.kind));
  return PROCEDURE_STEPS[kind].filter((s) => !done.has(s));
}

/**
 * The notices without which the record is not signed (R3.4, R2.5): that the session is
 * recorded and what the party's rights and duties are, where the session's order has them.
 */
export const REQUIRED_NOTICES: readonly ProcedureStep[] = [
  'recording_announced',
  'rights_explained',
];

/** The required notices of the session's order not on the record, in order. */
export function missingNotices(kind: SessionKind, state: TranscriptState): ProcedureStep[] {
  return missingSteps(kind, state).filter((s) => REQUIRED_NOTICES.includes(s));
}

/** The speaker that usually follows `speaker` (问 → 答 → 问; in hearings the same role again). */
export function nextSpeaker(kind: SessionKind, speaker: Speaker | undefined): Speaker {
  const order = SPEAKERS_BY_KIND[kind];
  if (speaker === undefined) return order[0]!;
  if (speaker === 'question') return 'answer';
  if (speaker === 'answer') return 'question';
  return speaker;
}
