/**
 * The one way a feature declares its part of the contract. Each `api/<feature>.ts` builds
 * its method map with {@link method} and its events with {@link events}; `api/index.ts`
 * combines them. The client type, the core's handler table and the UI's permission checks
 * are all derived from the combined map, so nothing here is written twice.
 */
import type { z } from 'zod';
import type { UserRole } from '../domain';

/** `public` (no sign-in), `user` (any signed-in user) or the roles allowed. */
export type AuthRequirement = 'public' | 'user' | readonly UserRole[];

export interface MethodSpec<I extends z.ZodType, O> {
  /** The schema every inbound frame is parsed with before a handler sees it. */
  input: I;
  auth: AuthRequirement;
  /** Phantom: carries the output type only; never set at run time. */
  output?: O;
}

/** `method<Output>()(inputSchema, auth)`: the input type is inferred from the schema. */
export function method<O>() {
  return <I extends z.ZodType>(input: I, auth: AuthRequirement): MethodSpec<I, O> => ({
    input,
    auth,
  });
}

/**
 * A feature's event names, checked against its payload map: `events<FooEvents>()([...])`
 * refuses a name the map lacks, and the `satisfies` at the combination refuses a map whose
 * names are not all listed.
 */
export function events<E>() {
  return <const N extends readonly (keyof E & string)[]>(names: N): N => names;
}

/** Roles that conduct cases: may create cases, parties, sessions, record, sign and seal. */
export const CASE_WRITERS: readonly UserRole[] = ['officer', 'moderator', 'admin'];
/** Administrators only: accounts, storage targets. */
export const ADMINS: readonly UserRole[] = ['admin'];
/** Roles that keep the registers of devices. */
export const REGISTER_KEEPERS: readonly UserRole[] = ['admin', 'clerk'];
/** Roles that supervise: may check the audit chain. */
export const SUPERVISORS: readonly UserRole[] = ['admin', 'leader', 'legal_reviewer'];
