/**
 * A session's transcript store as the session screen holds it: loaded from the core on
 * mount, pending edits kept in this browser's storage until the core has them, remote
 * changes followed, stopped on unmount.
 */
import { useEffect, useState } from 'react';
import type { Client } from '@shared/client';
import type { TranscriptAction } from '@shared/rules/transcript';
import { useCoreEvent } from '../../app/coreHooks';
import { localPendingStore, windowId } from './pendingStorage';
import { TranscriptStore, type TranscriptBackend } from './store';

function transcriptBackend(client: Client, sessionId: number): TranscriptBackend {
  return {
    load: () => client.invoke('transcripts.get', { sessionId }),
    apply: (baseSeq: number, actions: TranscriptAction[]) =>
      client.invoke('transcripts.apply', { sessionId, baseSeq, actions }),
  };
}

/**
 * Web storage, or an in-memory stand-in where it is blocked (a locked-down profile): the
 * edits are then still queued and sent, only not kept across a crash.
 */
function storage(which: 'localStorage' | 'sessionStorage'): Storage {
  try {
    const s = window[which];
    s.getItem('');
    return s;
  } catch {
    const m = new Map<string, string>();
    return {
      get length() {
        return m.size;
      },
      key: (i) => [...m.keys()][i] ?? null,
      getItem: (k) => m.get(k) ?? null,
      setItem: (k, v) => void m.set(k, v),
      removeItem: (k) => void m.delete(k),
      clear: () => m.clear(),
    };
  }
}

/** The transcript store of this session, loaded on mount and stopped on unmount. */
export function useTranscriptStore(client: Client, sessionId: number): TranscriptStore {
  const [store] = useState(
    () =>
      new TranscriptStore(
        transcriptBackend(client, sessionId),
        localPendingStore(storage('localStorage'), sessionId, windowId(storage('sessionStorage'))),
      ),
  );
  useEffect(() => {
    void store.start();
    return () => store.dispose();
  }, [store]);
  useCoreEvent('transcript.changed', (e) => {
    if (e.sessionId === sessionId) store.remoteChanged(e.seq);
  });
  return store;
}
