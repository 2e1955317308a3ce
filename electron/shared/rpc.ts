/**
 * Frames on the wire, the same for every transport. A request carries an id chosen by the
 * client; the response echoes it. Events carry no id. Frames are plain JSON.
 */
import { z } from 'zod';
import type { ErrorInfo } from './errors';
import type { EventName, Events, MethodName, MethodInput, MethodOutput } from './api/index';

/** Largest request frame a transport accepts (bytes of JSON). */
export const MAX_FRAME_BYTES = 1024 * 1024;

export const requestFrameSchema = z
  .object({
    t: z.literal('req'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(64),
    input: z.unknown(),
  })
  .strict();
export type RequestFrame = z.infer<typeof requestFrameSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export type ResponseFrame = { t: 'res'; id: number } & Result<unknown>;
export interface EventFrame<E extends EventName = EventName> {
  t: 'evt';
  event: E;
  payload: Events[E];
}
export type ServerFrame = ResponseFrame | EventFrame;

/** What a client sees, derived from the contract. */
export interface Api {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  subscribe<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
