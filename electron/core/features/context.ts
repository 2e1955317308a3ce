import type { Db } from '../platform/db/database';
import type { AuditLog } from '../platform/audit';
import type { UserDto, UserRole } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { EventName, Events } from '../../shared/api/index';
import type { AccessBasisDto, AccessMode } from '../../shared/api/access';
import type { AuditEntity } from '../../shared/audit-actions';

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

/** A read of evidence, as the access check sees it. */
export interface EvidenceAsk {
  caseId: number;
  mode: AccessMode;
  /** The sessions read (a disc of several bundles needs each); empty: the case as a whole. */
  sessionIds: readonly number[];
  /** In Chinese, for the refusal: e.g. `播放音像记录`. */
  what: string;
  /** Read under this grant only. */
  grantId?: number | undefined;
  /** What the audit entry of a refusal is about. */
  entity: AuditEntity;
  entityId: number | null;
  detail?: Record<string, unknown>;
}

/**
 * The access check (features/access) as the features that read evidence see it: every read
 * calls {@link EvidenceGuard.require} first; lists ask {@link EvidenceGuard.allows} to leave
 * out what the caller may not open.
 */
export interface EvidenceGuard {
  /** The basis the read is allowed on, or throws ACCESS_NOT_GRANTED (the refusal audited). */
  require(caller: Caller, ask: EvidenceAsk): AccessBasisDto;
  /** Whether the caller may read now, without recording anything. */
  allows(caller: Caller, need: Pick<EvidenceAsk, 'caseId' | 'mode' | 'sessionIds'>): boolean;
  /**
   * Writing the record of an open case is the case team's alone (a grant lets one read, never
   * write): returns, or throws ACCESS_NOT_GRANTED with the refusal audited.
   */
  requireTeam(
    caller: Caller,
    ask: Pick<EvidenceAsk, 'caseId' | 'what' | 'entity' | 'entityId'>,
  ): void;
}
