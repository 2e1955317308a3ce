/**
 * The shape of a feature's handlers. Each `features/<feature>/api.ts` maps its part of the
 * contract to its services with {@link HandlersOf}; `./handlers.ts` combines them, and the
 * combined type makes a missing handler a compile error.
 */
import type { MethodName, MethodOutput, MethodParsed } from '../../shared/api';
import type { Caller } from './context';
import type { Services } from './services';

/** Per-connection state a handler may change (sign-in and sign-out). */
export interface ConnectionState extends Caller {
  /** This connection's number in the core (segments belong to the connection that opened them). */
  readonly id: number;
  signIn(userId: number): void;
  signOut(): void;
  /** Re-reads the signed-in user, so role changes and disabled accounts apply at once. */
  refresh(): void;
}

export type Handler<M extends MethodName> = (
  s: Services,
  conn: ConnectionState,
  input: MethodParsed<M>,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** One handler for each method of a feature's method map. */
export type HandlersOf<T> = { [M in keyof T & MethodName]: Handler<M> };
