/**
 * Unsent transcript actions in localStorage, one entry per session and window. localStorage
 * rather than sessionStorage: it outlives the renderer process and the window, so a crash
 * of either loses nothing that was typed. Each window writes its own entry (two windows on
 * one session do not overwrite each other); a window opening the session adopts every entry
 * of it, including one a crashed window left behind. Replaying an entry twice is harmless:
 * the store drops what the core already has (queue.ts, rebase).
 */
import { z } from 'zod';
import { transcriptActionSchema, type TranscriptAction } from '@shared/rules/transcript';
import { newId } from './ids';
import type { PendingStore } from './store';

const PREFIX = 'attest.transcript.unsent.';
const WINDOW_KEY = 'attest.windowId';

const entrySchema = z.object({
  v: z.literal(1),
  savedAt: z.number(),
  actions: z.array(transcriptActionSchema),
});

/** This tab's id: kept in sessionStorage, so a reload of the same tab keeps it. */
export function windowId(session: Pick<Storage, 'getItem' | 'setItem'>): string {
  try {
    const existing = session.getItem(WINDOW_KEY);
    if (existing) return existing;
    const id = newId();
    session.setItem(WINDOW_KEY, id);
    return id;
  } catch {
    return newId();
  }
}

export function pendingKey(sessionId: number, window: string): string {
  return `${PREFIX}${sessionId}.${window}`;
}

export function localPendingStore(
  storage: Storage,
  sessionId: number,
  window: string,
  now: () => number = Date.now,
): PendingStore {
  const own = pendingKey(sessionId, window);
  const prefix = `${PREFIX}${sessionId}.`;
  const keys = () => {
    const out: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k?.startsWith(prefix)) out.push(k);
    }
    return out;
  };
  const read = (key: string): TranscriptAction[] => {
    try {
      const parsed = entrySchema.safeParse(JSON.parse(storage.getItem(key) ?? 'null'));
      return parsed.success ? parsed.data.actions : [];
    } catch {
      return [];
    }
  };
  return {
    readAll() {
      // This tab's own entry first (its own history), then any other window's.
      const others = keys()
        .filter((k) => k !== own)
        .sort();
      return [own, ...others].flatMap(read);
    },
    write(actions) {
      try {
        if (actions.length === 0) storage.removeItem(own);
        else storage.setItem(own, JSON.stringify({ v: 1, savedAt: now(), actions }));
      } catch {
        // Storage full or blocked: the edits are still queued in memory and being sent.
      }
    },
    dropOthers() {
      for (const k of keys()) if (k !== own) storage.removeItem(k);
    },
  };
}
