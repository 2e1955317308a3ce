/** The unsent-edit queue: text coalescing, and replaying unsent edits over the core's state. */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  EMPTY_TRANSCRIPT,
  type TranscriptAction,
  type TranscriptState,
} from '@shared/rules/transcript';
import { enqueue, lostText, rebase } from '../../../renderer/src/features/transcript/queue';

const add = (id: string, at = 0): TranscriptAction => ({
  type: 'turn.add',
  id,
  speaker: 'question',
  text: '',
  at,
});
const text = (id: string, t: string): TranscriptAction => ({ type: 'turn.text', id, text: t });

function replay(actions: readonly TranscriptAction[], base = EMPTY_TRANSCRIPT): TranscriptState {
  return actions.reduce(applyAction, base);
}

describe('enqueue', () => {
  it('collapses consecutive text edits of one turn into the last', () => {
    let q: TranscriptAction[] = [];
    for (const a of [add('a'), text('a', '请'), text('a', '请问'), text('a', '请问你')])
      q = enqueue(q, a);
    expect(q).toEqual([add('a'), text('a', '请问你')]);
  });

  it('never merges across another action or another turn, so order is kept', () => {
    let q: TranscriptAction[] = [];
    const seq = [
      add('a'),
      add('b'),
      text('a', '问'),
      text('b', '答'),
      text('a', '问二'),
      { type: 'turn.speaker', id: 'a', speaker: 'answer' } as const,
      text('a', '问三'),
    ] satisfies TranscriptAction[];
    for (const a of seq) q = enqueue(q, a);
    expect(q).toEqual(seq);
  });

  it('gives the same state as sending every keystroke', () => {
    const keystrokes = [
      add('a'),
      ...'请问你的姓名'.split('').map((_, i, all) => text('a', all.slice(0, i + 1).join(''))),
    ];
    const q = keystrokes.reduce<TranscriptAction[]>((acc, a) => enqueue(acc, a), []);
    expect(q).toHaveLength(2);
    expect(replay(q)).toEqual(replay(keystrokes));
  });
});

describe('rebase', () => {
  it('replays unsent edits over edits made elsewhere', () => {
    const base = replay([add('x'), text('x', '别处')]);
    const r = rebase(base, [add('a', 5), text('a', '本窗口')]);
    expect(r.lost).toEqual([]);
    expect(r.kept).toEqual([add('a', 5), text('a', '本窗口')]);
    expect(r.state.turns.map((t) => t.text)).toEqual(['别处', '本窗口']);
  });

  it('drops silently what the core already has (a reply lost in a crash)', () => {
    const sent = [
      add('a'),
      text('a', '已保存'),
      { type: 'marker.add', id: 'm', kind: 'debate', at: 3, note: '' } as const,
    ];
    const base = replay(sent);
    const r = rebase(base, [...sent, text('a', '已保存，后续')]);
    expect(r.lost).toEqual([]);
    expect(r.kept).toEqual([text('a', '已保存'), text('a', '已保存，后续')]);
    expect(r.state.turns[0]!.text).toBe('已保存，后续');
    expect(r.state.markers).toHaveLength(1);
  });

  it('keeps aside edits of a turn removed elsewhere, with their words', () => {
    const base = EMPTY_TRANSCRIPT; // turn a was added and then removed by another window
    const r = rebase(base, [text('a', '这段话'), add('b'), text('b', '下一段')]);
    expect(r.lost).toEqual([text('a', '这段话')]);
    expect(r.kept).toEqual([add('b'), text('b', '下一段')]);
    expect(r.lost.map(lostText)).toEqual(['这段话']);
  });
});
