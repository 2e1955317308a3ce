import type { Db } from '../platform/db/database';
import type { AuditLog } from '../platform/audit';
import type { UserDto, UserRole } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { EventName, Events } from '../../shared/api/index';

/** What every service gets: the store, the audit trail, the clock, and a way to notify clients. */
export interface ServiceDeps {
  db: Db;
  audit: AuditLog;
  now: () => number;
  /** The agency's time zone (IANA): what every printed or shown time is in. */
  timeZone: () => string;
  emit: <E extends EventName>(event: E, payload: Events[E]) => void;
}

/** The caller of one request, as established by its connection's sign-in. */
export interface Caller {
  user: UserDto | null;
  /** Where the connection comes from (`local` for the app's windows), when known. */
  address?: string;
}

export function requireUser(caller: Caller): UserDto {
  if (!caller.user) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return caller.user;
}

export function requireRole(caller: Caller, roles: readonly UserRole[], what: string): UserDto {
  const user = requireUser(caller);
  if (!user.roles.some((r) => roles.includes(r))) {
    throw new AppError('FORBIDDEN', `${what} needs one of the roles: ${roles.join(', ')}`);
  }
  return user;
}

/** Maps SQLite's unique-constraint failure to a CONFLICT the user can act on. */
export function conflictOnUnique<T>(fn: () => T, message: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new AppError('CONFLICT', message);
    }
    throw e;
  }
}
