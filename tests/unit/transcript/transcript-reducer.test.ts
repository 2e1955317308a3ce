import { describe, expect, it } from 'vitest';
import {
  EMPTY_TRANSCRIPT,
  TranscriptError,
  answersText,
  applyAction,
  inverseOf,
  missingSteps,
  nextSpeaker,
  transcriptActionSchema,
  type TranscriptAction,
  type TranscriptState,
} from '../../../electron/shared/rules/transcript';

const run = (actions: TranscriptAction[], from: TranscriptState = EMPTY_TRANSCRIPT) =>
  actions.reduce(applyAction, from);

const script: TranscriptAction[] = [
  { type: 'marker.add', id: 'm1', kind: 'identity_shown', at: 1_000, note: '' },
  { type: 'turn.add', id: 't1', speaker: 'question', text: '', at: 5_000 },
  { type: 'turn.text', id: 't1', text: '你的姓名？' },
  { type: 'turn.add', id: 't2', speaker: 'answer', text: '赵六。', at: 9_000 },
  { type: 'turn.add', id: 't15', after: 't1', speaker: 'answer', text: '（插入）', at: 7_000 },
  { type: 'turn.speaker', id: 't15', speaker: 'question' },
  { type: 'marker.add', id: 'm0', kind: 'recording_announced', at: 500, note: '' },
  { type: 'turn.remove', id: 't15' },
];

describe('transcript reducer', () => {
  it('builds the state from actions, inserting after a turn and keeping markers in time order', () => {
    const s = run(script);
    expect(s.turns.map((t) => [t.id, t.speaker, t.text, t.at])).toEqual([
      ['t1', 'question', '你的姓名？', 5_000],
      ['t2', 'answer', '赵六。', 9_000],
    ]);
    expect(s.markers.map((m) => m.kind)).toEqual(['recording_announced', 'identity_shown']);
  });

  it('never mutates the state it is given', () => {
    const before = run(script.slice(0, 4));
    const frozen = JSON.stringify(before);
    applyAction(before, { type: 'turn.text', id: 't1', text: 'changed' });
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('refuses actions that do not fit the state', () => {
    expect(() => applyAction(EMPTY_TRANSCRIPT, { type: 'turn.text', id: 'x', text: 'a' })).toThrow(
      TranscriptError,
    );
    const s = run(script.slice(0, 2));
    expect(() =>
      applyAction(s, { type: 'turn.add', id: 't1', speaker: 'answer', text: '', at: 1 }),
    ).toThrow(/exists/);
  });

  it('undoes every kind of action exactly (inverse applied after the action restores the state)', () => {
    let state = EMPTY_TRANSCRIPT;
    for (const action of script) {
      const inverse = inverseOf(state, action);
      const after = applyAction(state, action);
      expect(applyAction(after, inverse)).toEqual(state);
      state = after;
    }
  });

  it('validates actions at the boundary', () => {
    expect(
      transcriptActionSchema.safeParse({ type: 'turn.add', id: 'a', speaker: 'judge', at: 0 })
        .success,
    ).toBe(false);
    expect(
      transcriptActionSchema.safeParse({ type: 'turn.text', id: '../x', text: '' }).success,
    ).toBe(false);
    expect(
      transcriptActionSchema.parse({ type: 'turn.add', id: 'a', speaker: 'question', at: 0 }),
    ).toMatchObject({
      text: '',
    });
  });

  it('lists the procedure steps still missing, in order, per kind of session', () => {
    const s = run(script);
    expect(missingSteps('interview', s)).toEqual(['rights_explained', 'identity_checked']);
    expect(missingSteps('hearing', EMPTY_TRANSCRIPT)[0]).toBe('discipline_announced');
    expect(nextSpeaker('interview', 'question')).toBe('answer');
    expect(nextSpeaker('interview', undefined)).toBe('question');
    expect(nextSpeaker('hearing', 'party')).toBe('party');
  });
});

describe('the party’s answers to a notice', () => {
  const marked = applyAction(EMPTY_TRANSCRIPT, {
    type: 'marker.add',
    id: 'r',
    kind: 'rights_explained',
    at: 1_000,
    note: '',
  });

  it('are fields on the notice’s marker, worded for the record, and undone exactly', () => {
    const answers = {
      understood: true,
      recusal: 'requested' as const,
      recusalOf: '记录人李娜',
      recusalReason: '与当事人有亲属关系',
    };
    const action = { type: 'marker.answers' as const, id: 'r', answers };
    const after = applyAction(marked, action);
    expect(after.markers[0]!.answers).toEqual(answers);
    expect(answersText(after.markers[0]!.answers)).toBe(
      '表示听清楚了；申请记录人李娜回避，理由：与当事人有亲属关系',
    );
    expect(applyAction(after, inverseOf(marked, action))).toEqual(marked);
    // Removing the marker and undoing that brings the answers back with it.
    const removed = applyAction(after, { type: 'marker.remove', id: 'r' });
    expect(applyAction(removed, inverseOf(after, { type: 'marker.remove', id: 'r' }))).toEqual(
      after,
    );
    expect(answersText({ understood: true, recusal: 'none' })).toBe('表示听清楚了；不申请回避');
  });

  it('refuse answers that do not fit the notice', () => {
    const bad =
      (answers: object, state = marked) =>
      () =>
        applyAction(state, { type: 'marker.answers', id: 'r', answers } as never);
    // A recusal asked names whom; whom and why belong to a recusal asked.
    expect(bad({ recusal: 'requested' })).toThrow(TranscriptError);
    expect(bad({ recusal: 'none', recusalOf: '李娜' })).toThrow(TranscriptError);
    // An interruption takes no answers; the recording notice is not where recusal is asked.
    const other = applyAction(EMPTY_TRANSCRIPT, {
      type: 'marker.add',
      id: 'r',
      kind: 'recording_announced',
      at: 1,
      note: '',
    });
    expect(bad({ recusal: 'none' }, other)).toThrow(TranscriptError);
    expect(bad({ understood: true }, other)).not.toThrow();
    const pause = applyAction(EMPTY_TRANSCRIPT, {
      type: 'marker.add',
      id: 'r',
      kind: 'interruption',
      at: 1,
      note: '',
    });
    expect(bad({ understood: true }, pause)).toThrow(TranscriptError);
  });
});
