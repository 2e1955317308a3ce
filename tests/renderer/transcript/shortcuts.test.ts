/** The transcript's keyboard map. */
import { describe, expect, it } from 'vitest';
import {
  commandFor,
  markerForDigit,
  shortcutHelp,
  shortcutOfMarker,
  type KeyLike,
} from '../../../renderer/src/features/transcript/shortcuts';

const key = (k: Partial<KeyLike> & { key: string }): KeyLike => ({
  code: '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  isComposing: false,
  ...k,
});

describe('shortcut map', () => {
  it('Enter starts a turn, Shift+Enter does not (a line break)', () => {
    expect(commandFor(key({ key: 'Enter' }), 'interview')).toEqual({ type: 'enter' });
    expect(commandFor(key({ key: 'Enter', shiftKey: true }), 'interview')).toBeNull();
  });

  it('leaves every key to the IME while it composes', () => {
    expect(commandFor(key({ key: 'Enter', isComposing: true }), 'interview')).toBeNull();
    expect(commandFor(key({ key: 'z', ctrlKey: true, isComposing: true }), 'interview')).toBeNull();
  });

  it('Alt+S cycles the speaker, Alt+Shift+S backwards; Ctrl+. is left to the IME', () => {
    expect(commandFor(key({ key: 's', code: 'KeyS', altKey: true }), 'hearing')).toEqual({
      type: 'speaker',
      step: 1,
    });
    expect(
      commandFor(key({ key: 'S', code: 'KeyS', altKey: true, shiftKey: true }), 'hearing'),
    ).toEqual({ type: 'speaker', step: -1 });
    expect(commandFor(key({ key: '.', code: 'Period', ctrlKey: true }), 'interview')).toBeNull();
  });

  it('Alt+K opens the phrase guide at the caret, by key position', () => {
    expect(commandFor(key({ key: '˚', code: 'KeyK', altKey: true }), 'interview')).toEqual({
      type: 'phrases',
    });
    expect(
      commandFor(key({ key: 'K', code: 'KeyK', altKey: true, shiftKey: true }), 'interview'),
    ).toBeNull();
    expect(
      commandFor(key({ key: 'k', code: 'KeyK', altKey: true, isComposing: true }), 'interview'),
    ).toBeNull();
  });

  it('Alt+digit marks the steps of the session kind in order, by key position', () => {
    // macOS turns Alt+1 into "¡": the code still says Digit1.
    expect(commandFor(key({ key: '¡', code: 'Digit1', altKey: true }), 'interview')).toEqual({
      type: 'marker',
      kind: 'identity_shown',
    });
    expect(markerForDigit('interview', 4)).toBe('identity_checked');
    expect(markerForDigit('interview', 5)).toBeNull();
    expect(markerForDigit('hearing', 1)).toBe('discipline_announced');
    // Ten steps in a hearing: Alt+1…8 mark the first eight, the checklist the last two.
    expect(markerForDigit('hearing', 8)).toBe('cross_examination');
    expect(markerForDigit('hearing', 9)).toBe('interruption');
    expect(markerForDigit('hearing', 0)).toBe('resumed');
    expect(commandFor(key({ key: '5', code: 'Digit5', altKey: true }), 'interview')).toBeNull();
    expect(shortcutOfMarker('hearing', 'party_statement')).toBe('Alt+7');
    expect(shortcutOfMarker('hearing', 'debate')).toBeNull();
    expect(shortcutOfMarker('interview', 'debate')).toBeNull();
    expect(shortcutOfMarker('interview', 'resumed')).toBe('Alt+0');
  });

  it('undo and redo with Ctrl or ⌘', () => {
    expect(commandFor(key({ key: 'z', ctrlKey: true }), 'interview')).toEqual({ type: 'undo' });
    expect(commandFor(key({ key: 'z', metaKey: true }), 'interview')).toEqual({ type: 'undo' });
    expect(commandFor(key({ key: 'Z', ctrlKey: true, shiftKey: true }), 'interview')).toEqual({
      type: 'redo',
    });
    expect(commandFor(key({ key: 'y', ctrlKey: true }), 'interview')).toEqual({ type: 'redo' });
    expect(commandFor(key({ key: 'z', ctrlKey: true, altKey: true }), 'interview')).toBeNull();
  });

  it('arrows and Backspace are offered to the turn, plain letters are not commands', () => {
    expect(commandFor(key({ key: 'ArrowUp' }), 'interview')).toEqual({ type: 'up' });
    expect(commandFor(key({ key: 'ArrowDown' }), 'interview')).toEqual({ type: 'down' });
    expect(commandFor(key({ key: 'ArrowUp', shiftKey: true }), 'interview')).toBeNull();
    expect(commandFor(key({ key: 'Backspace' }), 'interview')).toEqual({ type: 'backspace' });
    expect(commandFor(key({ key: 'a', code: 'KeyA' }), 'interview')).toBeNull();
  });

  it('documents what it does, per session kind', () => {
    expect(shortcutHelp('interview').find((h) => h.does === 'steps')?.keys).toBe('Alt+1 … Alt+4');
    expect(shortcutHelp('hearing').find((h) => h.does === 'steps')?.keys).toBe('Alt+1 … Alt+8');
    expect(new Set(shortcutHelp('hearing').map((h) => h.does)).size).toBe(11);
  });
});
