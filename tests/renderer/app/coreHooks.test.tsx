// @vitest-environment jsdom
/** The data hooks: stale replies are dropped, events reach the newest listener. */
import { act, useCallback } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@shared/client';
import { ClientProvider } from '../../../renderer/src/app/ClientContext';
import { useCoreEvent, useResource, type Resource } from '../../../renderer/src/app/coreHooks';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type Listener = (payload: unknown) => void;
function fakeClient() {
  const listeners = new Map<string, Set<Listener>>();
  const client = {
    invoke: () => Promise.reject(new Error('not used')),
    subscribe(event: string, listener: Listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    close() {},
  } as unknown as Client;
  const emit = (event: string, payload: unknown) =>
    listeners.get(event)?.forEach((l) => l(payload));
  return { client, emit, count: (event: string) => listeners.get(event)?.size ?? 0 };
}

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  root = createRoot(container);
});
afterEach(() => act(() => root.unmount()));

describe('useResource', () => {
  it('shows only the current query’s data and drops a late reply', async () => {
    const replies = new Map([1, 2, 3, 4].map((id) => [id, deferred<string>()]));
    let seen: Resource<string> | undefined;
    function Probe({ id }: { id: number }) {
      const load = useCallback(() => replies.get(id)!.promise, [id]);
      seen = useResource(load);
      return null;
    }
    const { client } = fakeClient();
    const render = (id: number) =>
      act(() =>
        root.render(
          <ClientProvider client={client}>
            <Probe id={id} />
          </ClientProvider>,
        ),
      );

    render(1);
    expect(seen?.loading).toBe(true);
    await act(async () => replies.get(1)!.resolve('case 1'));
    expect(seen?.data).toBe('case 1');

    render(2);
    expect(seen?.data).toBeUndefined();
    await act(async () => replies.get(2)!.resolve('case 2'));
    expect(seen).toMatchObject({ data: 'case 2', loading: false });

    // Case 3 is asked for, then case 4; case 3's reply comes last and is ignored.
    render(3);
    render(4);
    await act(async () => replies.get(4)!.resolve('case 4'));
    await act(async () => replies.get(3)!.resolve('case 3'));
    expect(seen).toMatchObject({ data: 'case 4', loading: false });
  });
});

describe('useCoreEvent', () => {
  it('calls the newest listener and unsubscribes on unmount', () => {
    const { client, emit, count } = fakeClient();
    const calls: string[] = [];
    function Probe({ tag }: { tag: string }) {
      useCoreEvent('case.changed', (e) => calls.push(`${tag}:${e.caseId}`));
      return null;
    }
    const render = (tag: string) =>
      act(() =>
        root.render(
          <ClientProvider client={client}>
            <Probe tag={tag} />
          </ClientProvider>,
        ),
      );
    render('a');
    render('b');
    act(() => emit('case.changed', { caseId: 7 }));
    expect(calls).toEqual(['b:7']);
    expect(count('case.changed')).toBe(1);
    act(() => root.render(<></>));
    expect(count('case.changed')).toBe(0);
  });
});
