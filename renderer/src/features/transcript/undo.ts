/**
 * Undo and redo over transcript actions. An undo is not a rewind: it applies the inverse
 * action (`inverseOf`), which is sent and logged like any edit, so the log stays the record
 * of everything that was on screen. Pure: each function returns a new stack.
 */
import { inverseOf, type TranscriptAction, type TranscriptState } from '@shared/rules/transcript';

export interface UndoEntry {
  /** What redo applies again. */
  forward: TranscriptAction[];
  /** What undo applies (in order). */
  inverse: TranscriptAction[];
  /** A burst of typing in one turn, still open to further keystrokes. */
  typingIn: string | null;
  /** When the entry last grew (ms), to end a burst after a pause. */
  at: number;
}

export interface UndoStack {
  undo: readonly UndoEntry[];
  redo: readonly UndoEntry[];
}

export const EMPTY_UNDO: UndoStack = { undo: [], redo: [] };

/** How many steps are kept; older ones fall off. */
export const UNDO_DEPTH = 500;
/** A pause this long (ms) ends a typing burst: the next keystroke starts a new undo step. */
export const TYPING_PAUSE_MS = 1000;

/**
 * Records `action`, applied to `before`. Keystrokes in the same turn without a pause fold
 * into one step (undoing letter by letter would make undo useless to a fast typist); the
 * step keeps the inverse of its first keystroke and the forward of its last. Any new edit
 * clears the redo side, as in every editor.
 */
export function record(
  stack: UndoStack,
  before: TranscriptState,
  action: TranscriptAction,
  now: number,
): UndoStack {
  const top = stack.undo.at(-1);
  if (
    action.type === 'turn.text' &&
    top !== undefined &&
    top.typingIn === action.id &&
    now - top.at < TYPING_PAUSE_MS
  ) {
    const grown: UndoEntry = { ...top, forward: [action], at: now };
    return { undo: [...stack.undo.slice(0, -1), grown], redo: [] };
  }
  const entry: UndoEntry = {
    forward: [action],
    inverse: [inverseOf(before, action)],
    typingIn: action.type === 'turn.text' ? action.id : null,
    at: now,
  };
  return { undo: [...stack.undo, entry].slice(-UNDO_DEPTH), redo: [] };
}

/** Closes the typing burst on top (the clerk left the turn, pressed Enter, undid…). */
export function seal(stack: UndoStack): UndoStack {
  const top = stack.undo.at(-1);
  if (!top || top.typingIn === null) return stack;
  return { ...stack, undo: [...stack.undo.slice(0, -1), { ...top, typingIn: null }] };
}

/** The step to undo and the stack after it moved to the redo side; null when nothing to undo. */
export function takeUndo(stack: UndoStack): { entry: UndoEntry; stack: UndoStack } | null {
  const entry = stack.undo.at(-1);
  if (!entry) return null;
  const closed = { ...entry, typingIn: null };
  return { entry: closed, stack: { undo: stack.undo.slice(0, -1), redo: [...stack.redo, closed] } };
}

/** The step to redo and the stack after it moved back to the undo side. */
export function takeRedo(stack: UndoStack): { entry: UndoEntry; stack: UndoStack } | null {
  const entry = stack.redo.at(-1);
  if (!entry) return null;
  return { entry, stack: { undo: [...stack.undo, entry], redo: stack.redo.slice(0, -1) } };
}
