/**
 * "Seek every video to this session time": clicking a turn's time stamp asks for it. The
 * playback (recording/PlaybackPanel) subscribes, and the screen shows the requested time.
 * A tiny bus rather than a callback prop, so any number of players can follow one request.
 */
import { createContext, useContext } from 'react';

export interface SeekBus {
  request(at: number): void;
  subscribe(listener: () => void): () => void;
  /** The last requested session time (ms), or null before any request. */
  last(): number | null;
}

export function createSeekBus(): SeekBus {
  let last: number | null = null;
  const listeners = new Set<() => void>();
  return {
    request(at) {
      last = at;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    last: () => last,
  };
}

export const SeekContext = createContext<SeekBus | null>(null);

export function useSeekBus(): SeekBus {
  const bus = useContext(SeekContext);
  if (!bus) throw new Error('useSeekBus outside <SeekContext>');
  return bus;
}
