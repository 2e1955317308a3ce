/**
 * The transcript's keyboard map, as a pure function from a key event to a command, so the
 * map is tested on its own and the help the clerk sees is generated from the same table.
 *
 * Choices, for a clerk typing Chinese through an IME at speed:
 * - Enter at the end of a turn starts the next one; Shift+Enter is a line break inside it.
 * - Alt+S cycles the speaker (Alt+Shift+S backwards). Not Ctrl+.: Chinese IMEs use it to
 *   switch full-/half-width punctuation, and Ctrl+Space / Shift belong to the IME too.
 * - Alt+1 … Alt+8 mark the procedure steps in order; Alt+9 an interruption, Alt+0 the
 *   resumption (R3.5). Matched on `code`, so Alt+digit works on every layout (macOS turns
 *   Alt+1 into "¡").
 * - Alt+K opens the agency's phrase guide at the caret, searched as you type (K for 口径).
 * - Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo (⌘ on macOS).
 * - ↑ on the first line / ↓ on the last line move to the previous / next turn.
 * While an IME is composing, every key belongs to it (Enter picks a candidate).
 */
import type { SessionKind } from '@shared/domain';
import { PROCEDURE_STEPS, type MarkerKind } from '@shared/rules/transcript';

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** True while an IME composition is in progress (keyCode 229 in older engines). */
  isComposing: boolean;
}

/** The fields of a (React or DOM) keyboard event the map reads. */
export function keyLike(e: {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  nativeEvent: { isComposing: boolean; keyCode: number };
}): KeyLike {
  return {
    key: e.key,
    code: e.code,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    altKey: e.altKey,
    shiftKey: e.shiftKey,
    isComposing: e.nativeEvent.isComposing || e.nativeEvent.keyCode === 229,
  };
}

export type ShortcutCommand =
  | { type: 'enter' }
  | { type: 'speaker'; step: 1 | -1 }
  | { type: 'marker'; kind: MarkerKind }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'backspace' }
  | { type: 'phrases' };

/** Alt+digit for the n-th procedure step of the session kind (1-based), and the two events. */
export function markerForDigit(kind: SessionKind, digit: number): MarkerKind | null {
  if (digit === 9) return 'interruption';
  if (digit === 0) return 'resumed';
  return PROCEDURE_STEPS[kind][digit - 1] ?? null;
}

/** The key that marks `marker` in sessions of `kind` ("Alt+3"), or null when none does. */
export function shortcutOfMarker(kind: SessionKind, marker: MarkerKind): string | null {
  if (marker === 'interruption') return 'Alt+9';
  if (marker === 'resumed') return 'Alt+0';
  const i = (PROCEDURE_STEPS[kind] as readonly MarkerKind[]).indexOf(marker);
  return i >= 0 && i < 8 ? `Alt+${i + 1}` : null;
}

export function commandFor(e: KeyLike, kind: SessionKind): ShortcutCommand | null {
  if (e.isComposing) return null;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'z') return e.shiftKey ? { type: 'redo' } : { type: 'undo' };
    if (k === 'y' && !e.shiftKey) return { type: 'redo' };
    return null;
  }
  if (e.altKey && !mod) {
    if (e.code === 'KeyS') return { type: 'speaker', step: e.shiftKey ? -1 : 1 };
    if (e.code === 'KeyK' && !e.shiftKey) return { type: 'phrases' };
    const digit = /^Digit(\d)$/.exec(e.code)?.[1];
    if (digit !== undefined && !e.shiftKey) {
      const marker = markerForDigit(kind, Number(digit));
      return marker ? { type: 'marker', kind: marker } : null;
    }
    return null;
  }
  if (mod || e.altKey) return null;
  switch (e.key) {
    case 'Enter':
      return e.shiftKey ? null : { type: 'enter' };
    case 'ArrowUp':
      return e.shiftKey ? null : { type: 'up' };
    case 'ArrowDown':
      return e.shiftKey ? null : { type: 'down' };
    case 'Backspace':
      return e.shiftKey ? null : { type: 'backspace' };
    default:
      return null;
  }
}

/** One line of the visible shortcut help: keys and the i18n key of what they do. */
export interface ShortcutHelp {
  keys: string;
  does:
    | 'newTurn'
    | 'lineBreak'
    | 'speaker'
    | 'steps'
    | 'interruption'
    | 'resumed'
    | 'undo'
    | 'redo'
    | 'move'
    | 'removeEmpty'
    | 'phrases';
}

export function shortcutHelp(kind: SessionKind): ShortcutHelp[] {
  const steps = Math.min(PROCEDURE_STEPS[kind].length, 8);
  return [
    { keys: 'Enter', does: 'newTurn' },
    { keys: 'Shift+Enter', does: 'lineBreak' },
    { keys: 'Alt+S', does: 'speaker' },
    { keys: 'Alt+K', does: 'phrases' },
    { keys: `Alt+1 … Alt+${steps}`, does: 'steps' },
    { keys: 'Alt+9', does: 'interruption' },
    { keys: 'Alt+0', does: 'resumed' },
    { keys: 'Ctrl+Z', does: 'undo' },
    { keys: 'Ctrl+Shift+Z / Ctrl+Y', does: 'redo' },
    { keys: '↑ / ↓', does: 'move' },
    { keys: 'Backspace', does: 'removeEmpty' },
  ];
}
