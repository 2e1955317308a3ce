/**
 * The client half of the contract, independent of the transport. A {@link Channel} moves
 * JSON text both ways; `createClient` turns it into the typed {@link Api}. Used by the
 * renderer (Electron IPC or WebSocket), by the in-memory transport and by the tests.
 */
import { AppError, isErrorCode, type ErrorInfo } from './errors';
import type { EventName, Events, MethodInput, MethodName, MethodOutput } from './api/index';
import type { Api, RequestFrame, ServerFrame } from './rpc';

export interface Channel {
  send(text: string): void;
  /**
   * Sends one binary media frame (./media.ts), where the transport carries them (WebSocket,
   * IPC, in-memory). Replies to it, if any, come back as ordinary frames.
   */
  sendBinary?(bytes: Uint8Array): void;
  /** Registers the receiver of every frame the server sends. */
  onMessage(receive: (text: string) => void): void;
  /** Registers a callback for when the channel closes for good. */
  onClose(closed: (reason: string) => void): void;
}

export class ApiError extends AppError {
  constructor(info: ErrorInfo) {
    super(isErrorCode(info.code) ? info.code : 'INTERNAL', info.message, info.issues);
    this.name = 'ApiError';
  }
}

export interface Client extends Api {
  /**
   * Sends one binary media frame (`encodeMediaFrame`). Fire and forget: an accepted frame
   * gets no reply; a refused one an error response with id -1 and a `recording.fault` event.
   * Throws if the transport carries no media or the client is closed.
   */
  sendMedia(bytes: Uint8Array): void;
  /** Rejects every pending call; later calls fail at once. */
  close(reason?: string): void;
}

export function createClient(channel: Channel): Client {
  let nextId = 1;
  let closedReason: string | null = null;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  channel.onMessage((text) => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return; // a transport fault; nothing sensible to route it to
    }
    if (frame.t === 'res') {
      const call = pending.get(frame.id);
      if (!call) return;
      pending.delete(frame.id);
      if (frame.ok) call.resolve(frame.value);
      else call.reject(new ApiError(frame.error));
    } else if (frame.t === 'evt') {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    }
  });

  const failAll = (reason: string) => {
    closedReason = reason;
    for (const call of pending.values())
      call.reject(new ApiError({ code: 'INTERNAL', message: `connection closed: ${reason}` }));
    pending.clear();
  };
  channel.onClose(failAll);

  return {
    invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      if (closedReason !== null)
        return Promise.reject(
          new ApiError({ code: 'INTERNAL', message: `connection closed: ${closedReason}` }),
        );
      const id = nextId++;
      const frame: RequestFrame = { t: 'req', id, method, input };
      return new Promise<MethodOutput<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        try {
          channel.send(JSON.stringify(frame));
        } catch (e) {
          pending.delete(id);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    },
    sendMedia(bytes: Uint8Array) {
      if (closedReason !== null) throw new Error(`connection closed: ${closedReason}`);
      if (!channel.sendBinary) throw new Error('this transport does not carry media frames');
      channel.sendBinary(bytes);
    },
    subscribe<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    close(reason = 'closed by client') {
      failAll(reason);
    },
  };
}
