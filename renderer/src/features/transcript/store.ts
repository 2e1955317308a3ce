/**
 * The transcript of one session in the renderer: the state on screen, the edits not yet
 * acknowledged by the core, and the undo history.
 *
 * Every edit is a pure action. It is applied here at once (the clerk never waits on the
 * core), queued, written to local storage, and sent as soon as the previous send returned:
 * no timer stands between a keystroke and its send, so nothing waits to be lost. While a send
 * is out, further keystrokes queue up and a run of text edits of one turn collapses into the
 * last (queue.ts), so a fast typist produces few, small requests.
 *
 * A failed send keeps its actions at the head of the queue and is retried with backoff,
 * forever: an edit leaves the queue only when the core said it was stored. CONFLICT (another
 * window moved the transcript on) reloads from the core and replays what is still unsent
 * over it; what no longer fits is kept aside and shown to the user, never silently dropped.
 * After a renderer crash or reload, the unsent actions come back from storage and are
 * replayed the same way, so a keystroke that was on screen is not lost.
 */
import { AppError } from '@shared/errors';
import {
  applyAction,
  EMPTY_TRANSCRIPT,
  TranscriptError,
  transcriptActionSchema,
  type TranscriptAction,
  type TranscriptState,
} from '@shared/rules/transcript';
import { enqueue, MAX_BATCH, rebase } from './queue';
import { EMPTY_UNDO, record, seal, takeRedo, takeUndo, type UndoStack } from './undo';

export interface TranscriptBackend {
  load(): Promise<{ seq: number; state: TranscriptState }>;
  apply(baseSeq: number, actions: TranscriptAction[]): Promise<{ seq: number }>;
}

/** Where unsent actions survive a crash (pendingStorage.ts keeps them in localStorage). */
export interface PendingStore {
  /** Unsent actions kept for this session by this window or by one that is gone. */
  readAll(): TranscriptAction[];
  /** Replaces this window's entry; an empty list removes it. */
  write(actions: readonly TranscriptAction[]): void;
  /** Forgets entries of other windows once their actions are adopted into this one's. */
  dropOthers(): void;
}

/** `refused`: the core will not show this reader the record (no grant); nothing retries. */
export type SaveStatus = 'loading' | 'saved' | 'saving' | 'retrying' | 'refused';

export interface SaveState {
  status: SaveStatus;
  /** Error code of the last failure while retrying (or loading), else null. */
  error: string | null;
  /** Why the core refused to show the record (its own words), when it did. */
  refusal?: string;
  /** Edits that no longer fit the transcript after another window changed it. */
  lost: readonly TranscriptAction[];
}

export interface StoreOptions {
  /** Milliseconds for undo grouping (performance.now by default). */
  clock?: () => number;
  /** Schedules a retry; returns a cancel function (setTimeout by default). */
  schedule?: (run: () => void, ms: number) => () => void;
}

/** Backoff between retries: 0.5 s doubling to 10 s. */
export function retryDelay(failures: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, failures - 1));
}

function errorCode(e: unknown): string {
  return e instanceof AppError ? e.code : 'INTERNAL';
}

export class TranscriptStore {
  private state: TranscriptState = EMPTY_TRANSCRIPT;
  private save: SaveState = { status: 'loading', error: null, lost: [] };
  private seq = 0;
  /** Highest sequence announced by `transcript.changed` (any window). */
  private remoteSeq = 0;
  /** Set by a CONFLICT: reload before the next send even if no event said why. */
  private stale = false;
  private queue: TranscriptAction[] = [];
  private inflight: TranscriptAction[] | null = null;
  private busy = false;
  private loaded = false;
  private disposed = false;
  /** Bumped by start and dispose: async work of an older generation stops where it is. */
  private generation = 0;
  private failures = 0;
  private conflicts = 0;
  private kickQueued = false;
  private cancelRetry: (() => void) | null = null;
  private history: UndoStack = EMPTY_UNDO;
  private readonly listeners = new Set<() => void>();
  private readonly clock: () => number;
  private readonly schedule: (run: () => void, ms: number) => () => void;

  constructor(
    private readonly backend: TranscriptBackend,
    private readonly pending: PendingStore,
    options: StoreOptions = {},
  ) {
    this.clock = options.clock ?? (() => performance.now());
    this.schedule =
      options.schedule ??
      ((run, ms) => {
        const timer = setTimeout(run, ms);
        return () => clearTimeout(timer);
      });
  }

  // -- for useSyncExternalStore: stable functions, snapshots that change only on change --

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getState = (): TranscriptState => this.state;
  readonly getSave = (): SaveState => this.save;

  isLoaded(): boolean {
    return this.loaded;
  }

  /** Actions not yet acknowledged by the core (queued and in flight). */
  unsent(): TranscriptAction[] {
    return [...(this.inflight ?? []), ...this.queue];
  }

  canUndo(): boolean {
    return this.history.undo.length > 0;
  }

  canRedo(): boolean {
    return this.history.redo.length > 0;
  }

  /**
   * Loads the transcript and replays whatever a previous page left unsent. May be called
   * again after `dispose` (React's StrictMode mounts twice): each start is a generation, and
   * a reply that arrives for an older one is ignored.
   */
  async start(): Promise<void> {
    const gen = ++this.generation;
    this.disposed = false;
    let fresh: { seq: number; state: TranscriptState };
    try {
      fresh = await this.backend.load();
    } catch (e) {
      if (gen !== this.generation) return;
      // A reader without a grant asks again only after asking a leader: no retry loop.
      if (errorCode(e) === 'ACCESS_NOT_GRANTED') {
        this.setSave({ status: 'refused', error: errorCode(e), refusal: (e as Error).message });
        return;
      }
      this.failures++;
      this.setSave({ status: 'loading', error: errorCode(e) });
      this.retryLater(() => void this.start());
      return;
    }
    if (gen !== this.generation) return;
    const left = this.pending.readAll();
    const replayed = rebase(fresh.state, left);
    this.state = replayed.state;
    this.seq = fresh.seq;
    this.remoteSeq = Math.max(this.remoteSeq, fresh.seq);
    this.queue = replayed.kept;
    this.inflight = null;
    this.busy = false;
    this.loaded = true;
    this.failures = 0;
    this.persist();
    this.pending.dropOthers();
    this.setSave({
      status: this.queue.length ? 'saving' : 'saved',
      error: null,
      lost: replayed.lost.length ? [...this.save.lost, ...replayed.lost] : this.save.lost,
    });
    this.emit();
    this.kickSoon();
  }

  /**
   * Stops sending and retrying (the screen closed). Unsent actions stay in storage, where
   * the next start (or the next window) picks them up.
   */
  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.loaded = false;
    this.cancelRetry?.();
    this.cancelRetry = null;
  }

  /**
   * Applies an edit now and queues it for the core. Returns false (and changes nothing) for
   * an action that does not fit the transcript or the contract.
   */
  dispatch(action: TranscriptAction, options: { undoable?: boolean } = {}): boolean {
    if (!this.loaded || this.disposed) return false;
    if (!transcriptActionSchema.safeParse(action).success) return false;
    let next: TranscriptState;
    try {
      next = applyAction(this.state, action);
    } catch (e) {
      if (e instanceof TranscriptError) return false;
      throw e;
    }
    if (options.undoable !== false)
      this.history = record(this.history, this.state, action, this.clock());
    this.state = next;
    this.queue = enqueue(this.queue, action);
    this.persist();
    this.emit();
    this.kickSoon();
    return true;
  }

  /** Ends the current typing burst, so the next keystroke is a new undo step. */
  sealUndo(): void {
    this.history = seal(this.history);
  }

  /** Undoes the last step; returns the turn to put the caret in (null: none). */
  undo(): string | null {
    const taken = takeUndo(this.history);
    if (!taken) return null;
    const focus = this.applyAll(taken.entry.inverse);
    // A step that no longer fits (its turn went away elsewhere) is dropped, not retried.
    this.history =
      focus === false ? { ...taken.stack, redo: taken.stack.redo.slice(0, -1) } : taken.stack;
    return focus || null;
  }

  redo(): string | null {
    const taken = takeRedo(this.history);
    if (!taken) return null;
    const focus = this.applyAll(taken.entry.forward);
    this.history =
      focus === false ? { ...taken.stack, undo: taken.stack.undo.slice(0, -1) } : taken.stack;
    return focus || null;
  }

  /** `transcript.changed` from the core (our own writes announce themselves too). */
  remoteChanged(seq: number): void {
    if (seq <= this.remoteSeq) return;
    this.remoteSeq = seq;
    this.kickSoon();
  }

  dismissLost(): void {
    this.setSave({ lost: [] });
  }

  // -- internals --

  /** Applies history actions; returns the turn to focus, or false if one did not fit. */
  private applyAll(actions: readonly TranscriptAction[]): string | false {
    const before = this.state;
    let focus = '';
    for (const a of actions) {
      if (!this.dispatch(a, { undoable: false })) return false;
      if (a.type.startsWith('turn.')) focus = focusAfter(before, this.state, a);
    }
    return focus;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private setSave(patch: Partial<SaveState>): void {
    const next = { ...this.save, ...patch };
    if (
      next.status === this.save.status &&
      next.error === this.save.error &&
      next.lost === this.save.lost
    )
      return;
    this.save = next;
    this.emit();
  }

  private persist(): void {
    this.pending.write(this.unsent());
  }

  /** Sends on the next microtask, so the actions of one key press travel together. */
  private kickSoon(): void {
    if (this.kickQueued) return;
    this.kickQueued = true;
    queueMicrotask(() => {
      this.kickQueued = false;
      void this.kick();
    });
  }

  private retryLater(run: () => void): void {
    this.cancelRetry?.();
    this.cancelRetry = this.schedule(() => {
      this.cancelRetry = null;
      run();
    }, retryDelay(this.failures));
  }

  private async kick(): Promise<void> {
    if (this.disposed || !this.loaded || this.busy || this.cancelRetry) return;
    const gen = this.generation;
    this.busy = true;
    try {
      if (this.stale || this.remoteSeq > this.seq) await this.refresh(gen);
      else if (this.queue.length) await this.send(gen);
    } finally {
      if (gen === this.generation) this.busy = false;
    }
    if (gen !== this.generation || this.cancelRetry) return;
    if (this.queue.length || this.stale || this.remoteSeq > this.seq) this.kickSoon();
    else this.setSave({ status: 'saved', error: null });
  }

  private async send(gen: number): Promise<void> {
    const batch = this.queue.slice(0, MAX_BATCH);
    this.queue = this.queue.slice(batch.length);
    this.inflight = batch;
    this.setSave({ status: this.failures ? 'retrying' : 'saving' });
    try {
      const { seq } = await this.backend.apply(this.seq, batch);
      // A reply for a closed screen: storage still holds the batch, and the next start
      // recognises it as saved (queue.ts, rebase).
      if (gen !== this.generation) return;
      this.seq = seq;
      this.inflight = null;
      this.failures = 0;
      this.conflicts = 0;
      this.persist();
      if (this.save.error) this.setSave({ error: null });
    } catch (e) {
      if (gen !== this.generation) return;
      // Back to the head of the queue, in order, before anything typed meanwhile.
      this.queue = [...batch, ...this.queue];
      this.inflight = null;
      // The first conflicts mean "reload and replay"; repeated ones (a sealed session) are
      // failures like any other and wait their backoff.
      if (errorCode(e) === 'CONFLICT' && this.conflicts < 2) {
        this.conflicts++;
        this.stale = true;
      } else {
        this.fail(e);
      }
    }
  }

  private async refresh(gen: number): Promise<void> {
    let fresh: { seq: number; state: TranscriptState };
    try {
      fresh = await this.backend.load();
    } catch (e) {
      if (gen === this.generation) this.fail(e);
      return;
    }
    if (gen !== this.generation) return;
    // Anything typed while the load was out is in the queue and is replayed with the rest.
    const replayed = rebase(fresh.state, this.queue);
    this.state = replayed.state;
    this.queue = replayed.kept;
    this.seq = fresh.seq;
    this.stale = false;
    this.persist();
    if (replayed.lost.length) this.setSave({ lost: [...this.save.lost, ...replayed.lost] });
    this.emit();
  }

  private fail(e: unknown): void {
    // Access ended while the screen was open (a grant expired, the case was filed): say so
    // and stop; asking again only adds refusals to the audit trail.
    if (errorCode(e) === 'ACCESS_NOT_GRANTED') {
      this.setSave({ status: 'refused', error: errorCode(e), refusal: (e as Error).message });
      return;
    }
    this.failures++;
    this.setSave({ status: 'retrying', error: errorCode(e) });
    this.retryLater(() => this.kickSoon());
  }
}

/** After an undo/redo action on `turnId`: the turn itself if it is there, else the one before it. */
function focusAfter(before: TranscriptState, after: TranscriptState, a: TranscriptAction): string {
  if (!('id' in a)) return '';
  if (after.turns.some((t) => t.id === a.id)) return a.id;
  const i = before.turns.findIndex((t) => t.id === a.id);
  return (i > 0 ? before.turns[i - 1]?.id : after.turns[0]?.id) ?? '';
}
