/**
 * Whether the signed-in user may call a method, read from the contract's own `auth` so the
 * UI and the core never disagree. Used only to hide or disable controls: the core checks
 * every call again.
 */
import { methods, type MethodName } from '@shared/api';
import { APPROVAL_ROLE_HOLDERS, type UserDto, type UserRole } from '@shared/domain';

export { APPROVAL_ROLE_HOLDERS };

export function canInvoke(
  user: Pick<UserDto, 'roles' | 'disabled'> | null,
  method: MethodName,
): boolean {
  const auth = methods[method].auth;
  if (auth === 'public') return true;
  if (!user || user.disabled) return false;
  if (auth === 'user') return true;
  return user.roles.some((role) => auth.includes(role));
}

/**
 * The screens that only some roles may open, each by the method it reads: a user who may
 * not (an officer signing in where the administrator signed out) is taken to the case list.
 */
const SCREEN_METHOD = {
  users: 'users.list',
  storage: 'storage.targets.list',
  trust: 'trust.status',
  // The administrator sets the zone and the calendar; the legal-affairs office edits the phrase guide.
  settings: 'guide.save',
  audit: 'audit.search',
  stats: 'stats.summary',
} as const satisfies Record<string, MethodName>;

export function mayOpenScreen(
  user: Pick<UserDto, 'roles' | 'disabled'> | null,
  screen: string,
): boolean {
  const method = (SCREEN_METHOD as Record<string, MethodName>)[screen];
  return method === undefined || canInvoke(user, method);
}

/**
 * The roles that may call a method, for telling a user who may not why; null when every
 * signed-in user may (or anyone may).
 */
export function rolesAllowed(method: MethodName): readonly UserRole[] | null {
  const auth = methods[method].auth;
  return auth === 'public' || auth === 'user' ? null : auth;
}
