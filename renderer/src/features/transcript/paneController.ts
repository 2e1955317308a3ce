/**
 * The transcript pane's behaviour outside React: which rows are on screen (windowing over
 * measured heights), where the caret goes, and what each key does to the transcript.
 *
 * Why a plain object: the pane shows 5,000 turns, and a keystroke must cost the work of one
 * row, not of the list. React renders only the rows in view (plus the focused one); this
 * object keeps the measured heights, the textareas on screen and the focus requests, and
 * publishes the few values React renders from (heights, viewport, focused turn) as
 * snapshots for useSyncExternalStore. Handlers read the newest render's inputs, which the
 * pane hands over after each commit (`update`).
 */
import type { SessionKind } from '@shared/domain';
import { nextSpeaker, SPEAKERS_BY_KIND, type TranscriptAction } from '@shared/rules/transcript';
import { caretAtEnd, caretOnFirstLine, caretOnLastLine } from './caret';
import { newId } from './ids';
import type { TranscriptStore } from './store';
import type { TimelineItem, TimelineLayout } from './timeline';
import { commandFor, type KeyLike } from './shortcuts';

/** First guess of a row's height before it is measured (one line of text, or a marker). */
export const ESTIMATE = { turn: 46, marker: 34 } as const;
/** Pixels rendered above and below the viewport, so fast scrolling does not show gaps. */
export const OVERSCAN_PX = 800;

export interface View {
  top: number;
  height: number;
}

export type Caret = 'start' | 'end';

export interface PaneInputs {
  items: readonly TimelineItem[];
  layout: TimelineLayout;
  offsets: Float64Array;
  kind: SessionKind;
  /** The clerk may edit turn text and speakers. */
  editable: boolean;
  /** The clerk may start new turns (session recording or ended). */
  canAddTurns: boolean;
  /** Session time now (ms), clamped into the session. */
  sessionNow: () => number;
  onSeek: (at: number) => void;
}

/** Top of each row (and, last, the total height): measured heights, estimates elsewhere. */
export function computeOffsets(
  layout: Pick<TimelineLayout, 'ids' | 'types'>,
  heights: ReadonlyMap<string, number>,
): Float64Array {
  const { ids, types } = layout;
  const offsets = new Float64Array(ids.length + 1);
  for (let i = 0; i < ids.length; i++)
    offsets[i + 1] = offsets[i]! + (heights.get(ids[i]!) ?? ESTIMATE[types[i]!]);
  return offsets;
}

/** Index of the row at pixel `y` (binary search over the offsets). */
export function indexAt(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows to render for a viewport: [start, end). */
export function visibleRange(offsets: Float64Array, view: View): [number, number] {
  const count = offsets.length - 1;
  if (count <= 0) return [0, 0];
  // Before the first measurement of the viewport, assume a tall one rather than render nothing.
  const height = view.height || 1200;
  const start = indexAt(offsets, Math.max(0, view.top - OVERSCAN_PX));
  const end = Math.min(count, indexAt(offsets, view.top + height + OVERSCAN_PX) + 1);
  return [start, end];
}

export class PaneController {
  private heights: ReadonlyMap<string, number> = new Map();
  private view: View = { top: 0, height: 0 };
  private active: string | null = null;
  private readonly listeners = new Set<() => void>();
  private inputs: PaneInputs | null = null;
  private scrollEl: HTMLElement | null = null;
  /** Follow the end of the transcript while the clerk is there (the usual case: typing live). */
  private stick = true;
  private readonly textareas = new Map<string, HTMLTextAreaElement>();
  private pendingFocus: { id: string; caret: Caret } | null = null;
  private lastFocused: string | null = null;
  /** The phrase palette, open at a turn's caret (the selection it will replace). */
  private palette: { turnId: string; start: number; end: number } | null = null;
  private readonly rows: ResizeObserver | null;
  private readonly viewport: ResizeObserver | null;

  constructor(private readonly store: TranscriptStore) {
    const RO = typeof ResizeObserver === 'undefined' ? null : ResizeObserver;
    this.rows = RO ? new RO((entries) => this.measured(entries)) : null;
    this.viewport = RO ? new RO(() => this.readView()) : null;
  }

  // -- snapshots for React --

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getHeights = (): ReadonlyMap<string, number> => this.heights;
  readonly getView = (): View => this.view;
  readonly getActive = (): string | null => this.active;
  readonly getPalette = (): { turnId: string; start: number; end: number } | null => this.palette;

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** The newest render's inputs; called after every commit. */
  update(inputs: PaneInputs): void {
    this.inputs = inputs;
    if (this.stick && this.scrollEl) this.scrollEl.scrollTop = this.scrollEl.scrollHeight;
  }

  dispose(): void {
    this.rows?.disconnect();
    this.viewport?.disconnect();
    this.listeners.clear();
  }

  // -- scrolling and measuring --

  readonly attachScroller = (el: HTMLElement | null): void => {
    if (this.scrollEl) this.viewport?.unobserve(this.scrollEl);
    this.scrollEl = el;
    if (el) {
      this.viewport?.observe(el);
      this.readView();
    }
  };

  readonly onScroll = (): void => {
    const el = this.scrollEl;
    if (!el) return;
    this.stick = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
    this.readView();
  };

  private readView(): void {
    const el = this.scrollEl;
    if (!el) return;
    const next = { top: el.scrollTop, height: el.clientHeight };
    if (next.top === this.view.top && next.height === this.view.height) return;
    this.view = next;
    this.emit();
  }

  /** Observes a rendered row; returns the cleanup (React 19 ref-callback style). */
  observeRow(el: HTMLElement): () => void {
    this.rows?.observe(el);
    return () => this.rows?.unobserve(el);
  }

  private measured(entries: ResizeObserverEntry[]): void {
    let next: Map<string, number> | null = null;
    let shift = 0;
    const inputs = this.inputs;
    const top = this.scrollEl?.scrollTop ?? 0;
    for (const entry of entries) {
      const id = (entry.target as HTMLElement).dataset['rowId'];
      if (!id) continue;
      const h = entry.borderBoxSize[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight;
      if (h === 0) continue;
      const old = (next ?? this.heights).get(id);
      if (old === h) continue;
      next ??= new Map(this.heights);
      next.set(id, h);
      // A row above the viewport that turns out taller or shorter than guessed would push
      // what the clerk is reading up or down; move the scroll position with it.
      if (inputs && !this.stick) {
        const i = inputs.layout.index.get(id);
        if (i !== undefined && inputs.offsets[i]! < top)
          shift += h - (old ?? ESTIMATE[inputs.layout.types[i]!]);
      }
    }
    if (!next) return;
    this.heights = next;
    if (shift && this.scrollEl) this.scrollEl.scrollTop += shift;
    this.emit();
  }

  // -- focus --

  readonly register = (id: string, el: HTMLTextAreaElement | null): void => {
    if (el) {
      this.textareas.set(id, el);
      if (this.pendingFocus?.id === id) {
        const { caret } = this.pendingFocus;
        this.pendingFocus = null;
        focusAt(el, caret);
      }
    } else if (this.textareas.get(id)) {
      this.textareas.delete(id);
    }
  };

  readonly focused = (id: string): void => {
    // Moving to another turn ends the typing burst: undo then works turn by turn.
    if (this.lastFocused !== id) this.store.sealUndo();
    this.lastFocused = id;
    if (this.active !== id) {
      this.active = id;
      this.emit();
    }
  };

  /** Puts the caret in a turn, scrolling it into view (and rendering it) first if needed. */
  focusTurn(id: string, caret: Caret): void {
    const el = this.textareas.get(id);
    if (el) {
      focusAt(el, caret);
      return;
    }
    this.pendingFocus = { id, caret };
    const inputs = this.inputs;
    const i = inputs?.layout.index.get(id);
    if (inputs && i !== undefined && this.scrollEl) {
      this.stick = i === inputs.items.length - 1;
      this.scrollEl.scrollTop = Math.max(0, inputs.offsets[i]! - this.view.height / 3);
    }
    // Rendering the turn as the active one mounts its textarea even before the scroll lands.
    this.active = id;
    this.emit();
  }

  // -- editing --

  /** The turn's text box changed; `shown` is the text the row last rendered. */
  readonly text = (id: string, text: string, shown: string): void => {
    // compositionend repeats the last input's text: not a second edit.
    if (text === shown || !this.inputs?.editable) return;
    this.store.dispatch({ type: 'turn.text', id, text });
  };

  readonly seek = (at: number): void => {
    this.inputs?.onSeek(at);
  };

  readonly cycleSpeaker = (id: string, step: 1 | -1): void => {
    const turn = this.turn(id);
    const inputs = this.inputs;
    if (!turn || !inputs?.editable) return;
    const order = SPEAKERS_BY_KIND[inputs.kind];
    const i = order.indexOf(turn.speaker);
    const speaker = order[(i + step + order.length) % order.length]!;
    if (speaker === turn.speaker) return;
    this.store.sealUndo();
    this.store.dispatch({ type: 'turn.speaker', id, speaker });
    this.store.sealUndo();
  };

  /** Starts a new turn after `afterId` (or at the end), stamped now, and puts the caret in it. */
  readonly newTurn = (afterId?: string): void => {
    const inputs = this.inputs;
    if (!inputs?.canAddTurns) return;
    const turns = this.store.getState().turns;
    const after = afterId === undefined ? turns.at(-1) : turns.find((t) => t.id === afterId);
    const id = newId();
    const last = turns.at(-1);
    const action: TranscriptAction = {
      type: 'turn.add',
      id,
      speaker: nextSpeaker(inputs.kind, after?.speaker),
      text: '',
      at: inputs.sessionNow(),
      // Appending needs no anchor; inserting inside the transcript does.
      ...(after && after.id !== last?.id ? { after: after.id } : {}),
    };
    this.store.sealUndo();
    this.pendingFocus = { id, caret: 'start' };
    if (!this.store.dispatch(action)) {
      this.pendingFocus = null;
      return;
    }
    if (!after || after.id === last?.id) this.stick = true;
    this.active = id;
    this.emit();
  };

  /**
   * Turn-level keys, from the turn's textarea. Returns true when the key was used. Markers
   * and undo/redo bubble on to the session screen, which handles them wherever focus is.
   */
  turnKey(key: KeyLike, id: string, el: HTMLTextAreaElement): boolean {
    const inputs = this.inputs;
    const command = inputs ? commandFor(key, inputs.kind) : null;
    if (!inputs || !command) return false;
    switch (command.type) {
      case 'enter':
        if (!caretAtEnd(el)) return false; // inside the text: an ordinary line break
        // An empty turn is not ended by Enter: that would only pile up empty turns.
        if (inputs.canAddTurns && el.value.trim() !== '') this.newTurn(id);
        return true;
      case 'speaker':
        this.cycleSpeaker(id, command.step);
        return true;
      case 'up': {
        if (!caretOnFirstLine(el)) return false;
        const prev = this.neighbour(id, -1);
        if (prev) this.focusTurn(prev, 'end');
        return true;
      }
      case 'down': {
        if (!caretOnLastLine(el)) return false;
        const next = this.neighbour(id, 1);
        if (next) this.focusTurn(next, 'start');
        return true;
      }
      case 'backspace': {
        const turns = this.store.getState().turns;
        if (el.value !== '' || turns.length < 2 || !inputs.editable) return false;
        const target = this.neighbour(id, -1) ?? this.neighbour(id, 1);
        this.store.sealUndo();
        if (!this.store.dispatch({ type: 'turn.remove', id })) return true;
        if (target) this.focusTurn(target, 'end');
        return true;
      }
      case 'phrases':
        if (!inputs.editable) return false;
        this.palette = { turnId: id, start: el.selectionStart, end: el.selectionEnd };
        this.emit();
        return true;
      default:
        return false;
    }
  }

  /** Closes the phrase palette, the caret back where it was. */
  closePalette(): void {
    const p = this.palette;
    if (!p) return;
    this.palette = null;
    this.emit();
    const el = this.textareas.get(p.turnId);
    if (el) {
      el.focus();
      el.setSelectionRange(p.start, p.end);
    }
  }

  /** Inserts `text` at the caret the palette was opened at, as the clerk's typing would. */
  insertPhrase(text: string): void {
    const p = this.palette;
    const el = p ? this.textareas.get(p.turnId) : undefined;
    const turn = p ? this.turn(p.turnId) : undefined;
    this.palette = null;
    this.emit();
    if (!p || !el || !turn) return;
    const value = el.value.slice(0, p.start) + text + el.value.slice(p.end);
    this.store.sealUndo();
    el.value = value;
    this.text(p.turnId, value, turn.text);
    el.focus();
    const caret = p.start + text.length;
    el.setSelectionRange(caret, caret);
  }

  private turn(id: string) {
    return this.store.getState().turns.find((t) => t.id === id);
  }

  /** The id of the turn before (-1) or after (+1) `id`, skipping markers. */
  private neighbour(id: string, dir: -1 | 1): string | null {
    const turns = this.store.getState().turns;
    const i = turns.findIndex((t) => t.id === id);
    return (i >= 0 && turns[i + dir]?.id) || null;
  }
}

function focusAt(el: HTMLTextAreaElement, caret: Caret): void {
  el.focus({ preventScroll: false });
  const pos = caret === 'start' ? 0 : el.value.length;
  el.setSelectionRange(pos, pos);
}
