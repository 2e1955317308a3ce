/** SQL on the users' table (users). */
import type { UserDto, UserRole } from '../../../shared/domain';
import type { Db } from '../../platform/db/database';

/** A row of `users`. */
export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  officer_id: number | null;
  disabled: number;
  created_at: number;
}

/** A user as the contract shows one (never the password hash). */
export function userToDto(r: UserRow): UserDto {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: JSON.parse(r.roles) as UserRole[],
    officerId: r.officer_id,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
  };
}

/** How many accounts there are (none before the first administrator is set up). */
export function countUsers(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

/** The account with this id, or undefined. */
export function userRow(db: Db, id: number): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

/** The account with this username, or undefined. */
export function userRowByUsername(db: Db, username: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
}

/** Every account, oldest first. */
export function userRows(db: Db): UserRow[] {
  return db.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[];
}

/** Adds an account (the username is unique); returns the new id. */
export function insertUser(
  db: Db,
  user: {
    username: string;
    displayName: string;
    passwordHash: string;
    roles: readonly UserRole[];
    officerId: number | null;
  },
  at: number,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO users (username, display_name, password_hash, roles, officer_id, created_at, password_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        user.username,
        user.displayName,
        user.passwordHash,
        JSON.stringify(user.roles),
        user.officerId,
        at,
        at,
      ).lastInsertRowid,
  );
}

/** Disables or enables an account; accounts are never deleted. */
export function setUserDisabled(db: Db, id: number, disabled: boolean): void {
  db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
}

/** Replaces an account's password hash, noting when. */
export function setPasswordHash(db: Db, id: number, hash: string, at: number): void {
  db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?').run(
    hash,
    at,
    id,
  );
}

/** The username of an enabled account of the officer other than `except`, or undefined. */
export function otherAccountOfOfficer(
  db: Db,
  officerId: number,
  except: number | null,
): string | undefined {
  const row = db
    .prepare(
      'SELECT username FROM users WHERE officer_id = ? AND disabled = 0 AND id IS NOT ? LIMIT 1',
    )
    .get(officerId, except) as { username: string } | undefined;
  return row?.username;
}

// Queries other features use

/** The id of an account of the officer (any, enabled or not), or undefined when none. */
export function userIdOfOfficer(db: Db, officerId: number): number | undefined {
  const row = db.prepare('SELECT id FROM users WHERE officer_id = ?').get(officerId) as
    { id: number } | undefined;
  return row?.id;
}

/** The display name of the account with this id, or undefined when there is none. */
/** Every account's id and name, by name (the audit viewer's people). */
export function userNames(db: Db): { id: number; displayName: string }[] {
  return db
    .prepare('SELECT id, display_name AS displayName FROM users ORDER BY display_name, id')
    .all() as { id: number; displayName: string }[];
}

export function userDisplayName(db: Db, id: number): string | undefined {
  const row = db.prepare('SELECT display_name FROM users WHERE id = ?').get(id) as
    { display_name: string } | undefined;
  return row?.display_name;
}

/** An account as other features see it: its name, roles and whether it is in use. */
export function accountOf(
  db: Db,
  id: number,
): { displayName: string; roles: UserRole[]; disabled: boolean } | undefined {
  const r = userRow(db, id);
  return r
    ? { displayName: r.display_name, roles: userToDto(r).roles, disabled: r.disabled === 1 }
    : undefined;
}

/** The accounts in use that hold a role, by name. */
export function activeAccountsWithRole(db: Db, role: UserRole): { userId: number; name: string }[] {
  return userRows(db)
    .map(userToDto)
    .filter((u) => !u.disabled && u.roles.includes(role))
    .map((u) => ({ userId: u.id, name: u.displayName }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
