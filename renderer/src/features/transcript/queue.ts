/**
 * The unsent edits of a transcript, as pure functions over arrays: queueing with text
 * coalescing, and replaying what is still unsent over a fresh copy from the core (after a
 * conflict or a crash). The store (store.ts) holds the arrays; these functions decide.
 */
import {
  applyAction,
  TranscriptError,
  type TranscriptAction,
  type TranscriptState,
} from '@shared/rules/transcript';

/** Most actions one `transcripts.apply` call carries (the contract's limit). */
export const MAX_BATCH = 200;

/**
 * Appends `action` to the queue. A `turn.text` right after a `turn.text` of the same turn
 * replaces it: each carries the turn's whole text, so the later one says everything the
 * earlier did. Only the last queued action is merged, never one further back, so the order
 * of what the core receives is the order the clerk acted in.
 */
export function enqueue(
  queue: readonly TranscriptAction[],
  action: TranscriptAction,
): TranscriptAction[] {
  const last = queue.at(-1);
  if (
    last !== undefined &&
    last.type === 'turn.text' &&
    action.type === 'turn.text' &&
    last.id === action.id
  )
    return [...queue.slice(0, -1), action];
  return [...queue, action];
}

export interface Rebased {
  /** The fresh state with every unsent action that still fits applied over it. */
  state: TranscriptState;
  /** The actions to send now (those that applied). */
  kept: TranscriptAction[];
  /** Actions that no longer fit (their turn was removed elsewhere): the user is told. */
  lost: TranscriptAction[];
}

/**
 * Re-applies unsent actions over the core's current state. An action already reflected
 * there (a turn or marker that exists under its id, a removal already done) was saved
 * before its reply was lost, so it is dropped silently: ids are random per action, so an id
 * that exists is ours.
 */
export function rebase(base: TranscriptState, pending: readonly TranscriptAction[]): Rebased {
  let state = base;
  const kept: TranscriptAction[] = [];
  const lost: TranscriptAction[] = [];
  for (const action of pending) {
    try {
      state = applyAction(state, action);
      kept.push(action);
    } catch (e) {
      if (!(e instanceof TranscriptError)) throw e;
      if (!alreadyApplied(state, action)) lost.push(action);
    }
  }
  return { state, kept, lost };
}

function alreadyApplied(state: TranscriptState, action: TranscriptAction): boolean {
  switch (action.type) {
    case 'turn.add':
      return state.turns.some((t) => t.id === action.id);
    case 'marker.add':
      return state.markers.some((m) => m.id === action.id);
    case 'turn.remove':
      return !state.turns.some((t) => t.id === action.id);
    case 'marker.remove':
      return !state.markers.some((m) => m.id === action.id);
    case 'turn.text':
    case 'turn.speaker':
    case 'marker.answers':
      return false;
  }
}

/** The words a lost action carried, so the user can type them again (empty: nothing to show). */
export function lostText(action: TranscriptAction): string {
  return action.type === 'turn.text' || action.type === 'turn.add' ? action.text.trim() : '';
}
