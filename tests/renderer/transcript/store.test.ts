/**
 * The renderer's transcript store against a fake core: edits apply at once, are batched
 * while a send is out, survive failures (retried, never dropped) and conflicts (reloaded and
 * replayed), and come back from storage after a crash.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import {
  applyAction,
  EMPTY_TRANSCRIPT,
  type TranscriptAction,
  type TranscriptState,
} from '@shared/rules/transcript';
import {
  retryDelay,
  TranscriptStore,
  type PendingStore,
  type TranscriptBackend,
} from '../../../renderer/src/features/transcript/store';
import {
  localPendingStore,
  pendingKey,
} from '../../../renderer/src/features/transcript/pendingStorage';

/** A core that keeps a log, answers when told to, and can fail or be moved on by "another window". */
function fakeCore() {
  let log: TranscriptAction[] = [];
  const calls: { baseSeq: number; actions: TranscriptAction[] }[] = [];
  const waiting: (() => void)[] = [];
  let failWith: AppError | null = null;
  let hold = false;
  const state = (): TranscriptState => log.reduce(applyAction, EMPTY_TRANSCRIPT);
  const backend: TranscriptBackend = {
    load: async () => ({ seq: log.length, state: state() }),
    apply: (baseSeq, actions) => {
      calls.push({ baseSeq, actions });
      const run = () => {
        if (failWith) throw failWith;
        if (baseSeq !== log.length) throw new AppError('CONFLICT', 'moved on');
        let s = state();
        for (const a of actions) s = applyAction(s, a);
        log = [...log, ...actions];
        return { seq: log.length };
      };
      if (!hold) return Promise.resolve().then(run);
      return new Promise((resolve, reject) =>
        waiting.push(() => {
          try {
            resolve(run());
          } catch (e) {
            reject(e);
          }
        }),
      );
    },
  };
  return {
    backend,
    calls,
    state,
    get seq() {
      return log.length;
    },
    /** Another writer appends directly. */
    external(...actions: TranscriptAction[]) {
      log = [...log, ...actions];
    },
    fail(e: AppError | null) {
      failWith = e;
    },
    hold(on: boolean) {
      hold = on;
    },
    release() {
      for (const w of waiting.splice(0)) w();
    },
  };
}

function memoryPending(): PendingStore & { saved: TranscriptAction[] } {
  const p = {
    saved: [] as TranscriptAction[],
    readAll: () => p.saved,
    write: (a: readonly TranscriptAction[]) => {
      p.saved = [...a];
    },
    dropOthers: () => {},
  };
  return p;
}

/** Manual timers: retries run only when the test says so. */
function manualTimers() {
  const timers: { run: () => void; ms: number }[] = [];
  return {
    schedule: (run: () => void, ms: number) => {
      const t = { run, ms };
      timers.push(t);
      return () => timers.splice(timers.indexOf(t), 1);
    },
    timers,
    fire() {
      const t = timers.shift();
      t?.run();
      return t?.ms;
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

const add = (id: string, at = 0): TranscriptAction => ({
  type: 'turn.add',
  id,
  speaker: 'question',
  text: '',
  at,
});
const text = (id: string, t: string): TranscriptAction => ({ type: 'turn.text', id, text: t });

describe('TranscriptStore', () => {
  it('applies at once, sends at once, and batches what is typed while a send is out', async () => {
    const core = fakeCore();
    const store = new TranscriptStore(core.backend, memoryPending());
    await store.start();
    expect(store.getSave().status).toBe('saved');
    core.hold(true);
    store.dispatch(add('a'));
    expect(store.getState().turns).toHaveLength(1); // on screen before the core answers
    await settle();
    expect(core.calls).toHaveLength(1);
    expect(store.getSave().status).toBe('saving');
    for (const t of ['请', '请问', '请问你']) store.dispatch(text('a', t));
    await settle();
    expect(core.calls).toHaveLength(1); // waits for the reply: no overlapping sends
    core.release();
    await settle();
    // The three keystrokes travel as one action, based on the sequence just acknowledged.
    expect(core.calls[1]).toEqual({ baseSeq: 1, actions: [text('a', '请问你')] });
    core.release();
    await settle();
    expect(store.getSave().status).toBe('saved');
    expect(core.state()).toEqual(store.getState());
  });

  it('refuses an action that does not fit, or breaks the contract, without queueing it', async () => {
    const core = fakeCore();
    const pending = memoryPending();
    const store = new TranscriptStore(core.backend, pending);
    await store.start();
    expect(store.dispatch(text('nope', 'x'))).toBe(false);
    expect(store.dispatch({ ...add('bad id!') })).toBe(false);
    expect(store.unsent()).toEqual([]);
  });

  it('keeps failed actions and retries with backoff until the core takes them', async () => {
    const core = fakeCore();
    const pending = memoryPending();
    const timers = manualTimers();
    const store = new TranscriptStore(core.backend, pending, { schedule: timers.schedule });
    await store.start();
    core.fail(new AppError('INTERNAL', 'down'));
    store.dispatch(add('a'));
    store.dispatch(text('a', '断网时输入'));
    await settle();
    expect(store.getSave()).toMatchObject({ status: 'retrying', error: 'INTERNAL' });
    expect(pending.saved).toEqual([add('a'), text('a', '断网时输入')]);
    expect(timers.fire()).toBe(retryDelay(1));
    await settle();
    expect(timers.fire()).toBe(retryDelay(2));
    expect(retryDelay(2)).toBeGreaterThan(retryDelay(1));
    // More typing meanwhile queues behind the failed batch.
    store.dispatch(text('a', '断网时输入，继续'));
    await settle();
    core.fail(null);
    timers.fire();
    await settle();
    expect(store.getSave()).toMatchObject({ status: 'saved', error: null });
    expect(core.state().turns[0]!.text).toBe('断网时输入，继续');
    expect(pending.saved).toEqual([]);
    expect(retryDelay(20)).toBe(10_000);
  });

  it('shows why a reader without a grant may not see the record, and does not ask again', async () => {
    const core = fakeCore();
    const timers = manualTimers();
    const refusal =
      '查看笔录（石人防罚〔2026〕12号）：您不是本案的办案人员，需要经负责人批准的查阅授权';
    const backend = {
      ...core.backend,
      load: () => Promise.reject(new AppError('ACCESS_NOT_GRANTED', refusal)),
    };
    const store = new TranscriptStore(backend, memoryPending(), { schedule: timers.schedule });
    await store.start();
    expect(store.getSave()).toMatchObject({ status: 'refused', refusal });
    expect(timers.timers).toHaveLength(0);
    // Any other failure to load is retried.
    const down = { ...core.backend, load: () => Promise.reject(new AppError('INTERNAL', 'down')) };
    const other = new TranscriptStore(down, memoryPending(), { schedule: timers.schedule });
    await other.start();
    expect(other.getSave()).toMatchObject({ status: 'loading', error: 'INTERNAL' });
    expect(timers.timers).toHaveLength(1);
  });

  it('on CONFLICT reloads, replays what still fits and reports what does not', async () => {
    const core = fakeCore();
    core.external(add('x'), add('y'));
    const store = new TranscriptStore(core.backend, memoryPending());
    await store.start();
    // Another window removes y and adds z; this one edits x and y meanwhile.
    core.external({ type: 'turn.remove', id: 'y' }, add('z'));
    store.dispatch(text('x', '保留'));
    store.dispatch(text('y', '这段被别处删除'));
    await settle();
    expect(core.state().turns.map((t) => [t.id, t.text])).toEqual([
      ['x', '保留'],
      ['z', ''],
    ]);
    expect(store.getState()).toEqual(core.state());
    expect(store.getSave().lost).toEqual([text('y', '这段被别处删除')]);
    store.dismissLost();
    expect(store.getSave().lost).toEqual([]);
  });

  it('follows changes from other windows when it has nothing unsent', async () => {
    const core = fakeCore();
    const store = new TranscriptStore(core.backend, memoryPending());
    await store.start();
    core.external(add('other'));
    store.remoteChanged(core.seq);
    await settle();
    expect(store.getState().turns.map((t) => t.id)).toEqual(['other']);
    // Its own echo changes nothing and costs no reload.
    store.dispatch(text('other', '本窗口'));
    await settle();
    store.remoteChanged(core.seq);
    await settle();
    expect(store.getState().turns[0]!.text).toBe('本窗口');
  });

  it('after a crash, re-sends what was on screen but unsent, once', async () => {
    const core = fakeCore();
    const storage = new Map<string, string>();
    const fakeStorage = {
      get length() {
        return storage.size;
      },
      key: (i: number) => [...storage.keys()][i] ?? null,
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k),
      clear: () => storage.clear(),
    } as Storage;
    const first = new TranscriptStore(core.backend, localPendingStore(fakeStorage, 7, 'w1'));
    await first.start();
    first.dispatch(add('a'));
    await settle();
    core.hold(true);
    first.dispatch(text('a', '崩溃前的最后一句'));
    await settle();
    expect(storage.has(pendingKey(7, 'w1'))).toBe(true);
    // The renderer dies with the send in flight; the core never stored it.
    first.dispose();
    core.hold(false);

    // A reload (any window) adopts the entry, replays it and sends it.
    const second = new TranscriptStore(core.backend, localPendingStore(fakeStorage, 7, 'w2'));
    await second.start();
    expect(second.getState().turns[0]!.text).toBe('崩溃前的最后一句');
    await settle();
    expect(core.state().turns[0]!.text).toBe('崩溃前的最后一句');
    expect(storage.size).toBe(0);
  });

  it('restarts cleanly after dispose (StrictMode mounts twice)', async () => {
    const core = fakeCore();
    core.external(add('a'));
    const store = new TranscriptStore(core.backend, memoryPending());
    const first = store.start();
    store.dispose();
    await store.start();
    await first;
    expect(store.isLoaded()).toBe(true);
    expect(store.dispatch(text('a', '好'))).toBe(true);
    await settle();
    expect(core.state().turns[0]!.text).toBe('好');
    expect(core.calls).toHaveLength(1);
  });

  it('undo and redo are ordinary actions that are sent and logged', async () => {
    const core = fakeCore();
    const store = new TranscriptStore(core.backend, memoryPending());
    await store.start();
    store.dispatch(add('a'));
    store.sealUndo();
    store.dispatch(text('a', '多余'));
    await settle();
    expect(store.undo()).toBe('a');
    await settle();
    expect(core.state().turns[0]!.text).toBe('');
    expect(store.redo()).toBe('a');
    await settle();
    expect(core.state().turns[0]!.text).toBe('多余');
    expect(core.seq).toBe(4);
  });
});
