/** Undo/redo as ordinary inverse actions, with typing bursts folded into one step. */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  EMPTY_TRANSCRIPT,
  type TranscriptAction,
  type TranscriptState,
} from '@shared/rules/transcript';
import {
  EMPTY_UNDO,
  record,
  seal,
  takeRedo,
  takeUndo,
  TYPING_PAUSE_MS,
  UNDO_DEPTH,
  type UndoStack,
} from '../../../renderer/src/features/transcript/undo';

/** A tiny editor: applies and records, as the store does. */
function editor() {
  let state: TranscriptState = EMPTY_TRANSCRIPT;
  let stack: UndoStack = EMPTY_UNDO;
  let now = 0;
  return {
    get state() {
      return state;
    },
    get stack() {
      return stack;
    },
    tick(ms: number) {
      now += ms;
    },
    seal() {
      stack = seal(stack);
    },
    do(a: TranscriptAction) {
      stack = record(stack, state, a, now);
      state = applyAction(state, a);
    },
    undo() {
      const t = takeUndo(stack);
      if (!t) return false;
      stack = t.stack;
      state = t.entry.inverse.reduce(applyAction, state);
      return true;
    },
    redo() {
      const t = takeRedo(stack);
      if (!t) return false;
      stack = t.stack;
      state = t.entry.forward.reduce(applyAction, state);
      return true;
    },
  };
}

const text = (id: string, t: string): TranscriptAction => ({ type: 'turn.text', id, text: t });

describe('undo stack', () => {
  it('undoes a burst of typing in one step and redoes it', () => {
    const e = editor();
    e.do({ type: 'turn.add', id: 'a', speaker: 'question', text: '', at: 0 });
    e.seal();
    for (const t of ['你', '你好', '你好吗']) {
      e.tick(50);
      e.do(text('a', t));
    }
    expect(e.stack.undo).toHaveLength(2);
    e.undo();
    expect(e.state.turns[0]!.text).toBe('');
    e.redo();
    expect(e.state.turns[0]!.text).toBe('你好吗');
    e.undo();
    e.undo();
    expect(e.state.turns).toEqual([]);
    expect(e.undo()).toBe(false);
    e.redo();
    e.redo();
    expect(e.state.turns[0]!.text).toBe('你好吗');
    expect(e.redo()).toBe(false);
  });

  it('starts a new step after a pause, a seal, or another turn', () => {
    const e = editor();
    e.do({ type: 'turn.add', id: 'a', speaker: 'question', text: '', at: 0 });
    e.do({ type: 'turn.add', id: 'b', speaker: 'answer', text: '', at: 1 });
    e.do(text('a', '一'));
    e.tick(TYPING_PAUSE_MS);
    e.do(text('a', '一二'));
    e.seal();
    e.do(text('a', '一二三'));
    e.do(text('b', '答'));
    expect(e.stack.undo.length).toBe(2 + 4);
    e.undo();
    expect(e.state.turns.map((t) => t.text)).toEqual(['一二三', '']);
    e.undo();
    expect(e.state.turns[0]!.text).toBe('一二');
    e.undo();
    expect(e.state.turns[0]!.text).toBe('一');
  });

  it('restores a removed turn in its place, and a marker', () => {
    const e = editor();
    for (const id of ['a', 'b', 'c'])
      e.do({ type: 'turn.add', id, speaker: 'question', text: id, at: 0 });
    e.do({ type: 'turn.remove', id: 'b' });
    e.do({ type: 'marker.add', id: 'm', kind: 'identity_shown', at: 2, note: '' });
    e.undo();
    expect(e.state.markers).toEqual([]);
    e.undo();
    expect(e.state.turns.map((t) => t.id)).toEqual(['a', 'b', 'c']);
  });

  it('clears redo on a new edit, and keeps a bounded history', () => {
    const e = editor();
    e.do({ type: 'turn.add', id: 'a', speaker: 'question', text: '', at: 0 });
    e.undo();
    expect(e.stack.redo).toHaveLength(1);
    e.do({ type: 'turn.add', id: 'b', speaker: 'question', text: '', at: 0 });
    expect(e.stack.redo).toHaveLength(0);
    for (let i = 0; i < UNDO_DEPTH + 10; i++) {
      e.seal();
      e.do(text('b', String(i)));
    }
    expect(e.stack.undo).toHaveLength(UNDO_DEPTH);
  });
});
