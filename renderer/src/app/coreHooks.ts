/**
 * Small data hooks over the client: a loader that re-runs when its inputs or a reload ask
 * for it, and a subscription to the core's events.
 */
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import type { EventName, Events } from '@shared/api';
import { useClient } from './ClientContext';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** True while the newest load has not settled; `data` keeps the previous result meanwhile. */
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  load: () => Promise<T>;
  version: number;
  data: T | undefined;
  /** The load that produced `data` (after a failure, data may be an older load's). */
  dataFor: (() => Promise<T>) | null;
  error: unknown;
}

/**
 * Runs `load` (memoise it with useCallback) and again whenever it changes or `reload` is
 * called. Results of superseded loads are dropped, so a slow reply never overwrites a newer one.
 */
export function useResource<T>(
  load: () => Promise<T>,
  options: { keepStale?: boolean } = {},
): Resource<T> {
  const [version, setVersion] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (current) setSettled({ load, version, data, dataFor: load, error: undefined });
      },
      (error: unknown) => {
        if (current)
          setSettled((prev) => ({
            load,
            version,
            data: prev?.data,
            dataFor: prev?.dataFor ?? null,
            error,
          }));
      },
    );
    return () => {
      current = false;
    };
  }, [load, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const fresh = settled !== null && settled.load === load && settled.version === version;
  return {
    // Data of another query (another case id) is not shown as this one's, unless the caller
    // prefers it to a blank while the new result comes (a filtered list).
    data: settled && (settled.dataFor === load || options.keepStale) ? settled.data : undefined,
    error: fresh ? settled.error : undefined,
    loading: !fresh,
    reload,
  };
}

/** Subscribes to a core event for the component's lifetime; the listener may change freely. */
export function useCoreEvent<E extends EventName>(
  event: E,
  listener: (payload: Events[E]) => void,
): void {
  const client = useClient();
  const onEvent = useEffectEvent(listener);
  useEffect(() => client.subscribe(event, (payload) => onEvent(payload)), [client, event]);
}
