import { AppError } from '../../../shared/errors';
import type {
  OfficerConfirmation,
  OfficerPresence,
  UserDto,
  UserRole,
} from '../../../shared/domain';
import { dummyHash, hashPassword, verifyPassword } from '../../platform/password';
import { conflictOnUnique, requireUser, type Caller, type ServiceDeps } from '../context';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  officer_id: number | null;
  disabled: number;
  created_at: number;
}

function toDto(r: UserRow): UserDto {
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

/** After this many consecutive failures a username is locked for {@link LOCK_MS}. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 60_000;

export class UsersService {
  private readonly failures = new Map<
    string,
    { count: number; lockedUntil: number; pending: number }
  >();

  constructor(private readonly deps: ServiceDeps) {}

  count(): number {
    return (this.deps.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  get(id: number): UserDto {
    const row = this.deps.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as
      UserRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no user ${id}`);
    return toDto(row);
  }

  list(): UserDto[] {
    return (this.deps.db.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[]).map(toDto);
  }

  /** The first administrator, created on first run; refused once any user exists. */
  async setup(input: {
    username: string;
    displayName: string;
    password: string;
  }): Promise<UserDto> {
    const hash = await hashPassword(input.password);
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      if (this.count() > 0) throw new AppError('ALREADY_INITIALISED', 'Attest is already set up');
      const at = now();
      const id = Number(
        db
          .prepare(
            `INSERT INTO users (username, display_name, password_hash, roles, created_at, password_changed_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(input.username, input.displayName, hash, JSON.stringify(['admin']), at, at)
          .lastInsertRowid,
      );
      audit.append({
        at,
        actorUserId: id,
        actor: input.displayName,
        action: 'user.setup',
        entity: 'user',
        entityId: id,
        caseId: null,
        data: { username: input.username, roles: ['admin'] },
      });
      return this.get(id);
    })();
  }

  async create(
    caller: Caller,
    input: {
      username: string;
      displayName: string;
      password: string;
      roles: UserRole[];
      officerId?: number | undefined;
    },
  ): Promise<UserDto> {
    const admin = requireUser(caller);
    const hash = await hashPassword(input.password);
    const { db, audit, now } = this.deps;
    const roles = [...new Set(input.roles)];
    return db.transaction(() => {
      if (input.officerId !== undefined) {
        const officer = db.prepare('SELECT id FROM officers WHERE id = ?').get(input.officerId);
        if (!officer) throw new AppError('NOT_FOUND', `no officer ${input.officerId}`);
        this.assertNoOtherAccount(input.officerId, null);
      }
      const at = now();
      const id = conflictOnUnique(
        () =>
          Number(
            db
              .prepare(
                `INSERT INTO users (username, display_name, password_hash, roles, officer_id, created_at, password_changed_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(
                input.username,
                input.displayName,
                hash,
                JSON.stringify(roles),
                input.officerId ?? null,
                at,
                at,
              ).lastInsertRowid,
          ),
        `the username ${input.username} is taken`,
      );
      audit.append({
        at,
        actorUserId: admin.id,
        actor: admin.displayName,
        action: 'user.created',
        entity: 'user',
        entityId: id,
        caseId: null,
        data: { username: input.username, roles, officerId: input.officerId ?? null },
      });
      return this.get(id);
    })();
  }

  setDisabled(caller: Caller, id: number, disabled: boolean): UserDto {
    const admin = requireUser(caller);
    if (admin.id === id && disabled)
      throw new AppError('CONFLICT', 'you cannot disable your own account');
    const { db, audit, now } = this.deps;
    return db.transaction(() => {
      const target = this.get(id);
      if (!disabled && target.officerId !== null) this.assertNoOtherAccount(target.officerId, id);
      db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
      audit.append({
        at: now(),
        actorUserId: admin.id,
        actor: admin.displayName,
        action: disabled ? 'user.disabled' : 'user.enabled',
        entity: 'user',
        entityId: id,
        caseId: null,
        data: null,
      });
      return this.get(id);
    })();
  }

  /** One account in use per officer (migration 009): an officer signs only as themselves. */
  private assertNoOtherAccount(officerId: number, except: number | null): void {
    const other = this.deps.db
      .prepare(
        'SELECT username FROM users WHERE officer_id = ? AND disabled = 0 AND id IS NOT ? LIMIT 1',
      )
      .get(officerId, except) as { username: string } | undefined;
    if (other) {
      throw new AppError(
        'CONFLICT',
        `this officer already has an account in use (${other.username}); an officer has one account`,
      );
    }
  }

  /**
   * Checks a username and password. The same error for an unknown user, a wrong password
   * and a disabled account, and the same work (a dummy hash) either way, so a caller learns
   * nothing about which accounts exist. Repeated failures lock the username briefly.
   */
  async signIn(username: string, password: string): Promise<UserDto> {
    const row = await this.checkCredentials(username, password);
    const at = this.deps.now();
    this.deps.db.transaction(() =>
      this.deps.audit.append({
        at,
        actorUserId: row.id,
        actor: row.display_name,
        action: 'auth.signed_in',
        entity: 'user',
        entityId: row.id,
        caseId: null,
        data: null,
      }),
    )();
    return toDto(row);
  }

  /**
   * Establishes that officer `officerId` takes part in an act in person (R2.2 "two or more
   * officers sign", R3.5): either the caller is signed in with that officer's own account,
   * or `confirmation` carries that officer's own username and password, checked exactly
   * like a sign-in (same lockout; failures audited as `auth.failed`). A case writer signed
   * in with another account cannot act in an officer's name by naming them, and an account
   * made after the session began (`since`) does not count: it could be one an administrator
   * just made with a password of their own choosing.
   *
   * `record()` writes the confirmation to the audit trail; the caller runs it inside the
   * transaction of the act, so a confirmation is on record only with the act it was for.
   */
  async confirmOfficer(
    caller: Caller,
    officerId: number,
    confirmation: OfficerConfirmation | undefined,
    purpose: { action: string; caseId: number | null; since: number | null },
  ): Promise<{ userId: number; presence: OfficerPresence; record: () => void }> {
    const user = requireUser(caller);
    const officer = this.deps.db
      .prepare('SELECT id, name FROM officers WHERE id = ?')
      .get(officerId) as { id: number; name: string } | undefined;
    if (!officer) throw new AppError('NOT_FOUND', `no officer ${officerId}`);
    const tooNew = (createdAt: number) => purpose.since !== null && createdAt > purpose.since;
    const refuseNew = () =>
      new AppError(
        'FORBIDDEN',
        `${officer.name}'s account was made after this session began; it cannot sign for it`,
      );
    if (!confirmation) {
      if (user.officerId === officerId) {
        if (tooNew(user.createdAt)) throw refuseNew();
        return { userId: user.id, presence: 'signed_in', record: () => undefined };
      }
      throw new AppError(
        'FORBIDDEN',
        `only ${officer.name} may act in their own name: sign in with their account, or have them enter their own username and password`,
      );
    }
    const row = await this.checkCredentials(confirmation.username, confirmation.password);
    const at = this.deps.now();
    if (row.officer_id !== officerId || tooNew(row.created_at)) {
      this.deps.db.transaction(() =>
        this.deps.audit.append({
          at,
          actorUserId: user.id,
          actor: user.displayName,
          action: 'officer.confirmation_refused',
          entity: 'officer',
          entityId: officerId,
          caseId: purpose.caseId,
          data: { purpose: purpose.action, accountUserId: row.id },
        }),
      )();
      if (row.officer_id === officerId) throw refuseNew();
      throw new AppError(
        'FORBIDDEN',
        `that account is not ${officer.name}'s; ${officer.name} enters their own username and password`,
      );
    }
    return {
      userId: row.id,
      presence: 'password',
      record: () =>
        this.deps.audit.append({
          at,
          actorUserId: row.id,
          actor: row.display_name,
          action: 'officer.confirmed',
          entity: 'officer',
          entityId: officerId,
          caseId: purpose.caseId,
          data: { purpose: purpose.action, atDeskOf: user.id },
        }),
    };
  }

  /** A username and password checked with lockout; the account's row when they are right. */
  private async checkCredentials(username: string, password: string): Promise<UserRow> {
    const key = username.toLowerCase();
    const at = this.deps.now();
    // One state object per username, changed in place: attempts that run at the same time
    // all see each other, so a burst of parallel guesses cannot slip past the lock.
    let state = this.failures.get(key);
    if (!state) this.failures.set(key, (state = { count: 0, lockedUntil: 0, pending: 0 }));
    if (state.lockedUntil > at) {
      throw new AppError(
        'BAD_CREDENTIALS',
        `too many failed attempts; try again in ${Math.ceil((state.lockedUntil - at) / 1000)} s`,
      );
    }
    // Each attempt counts as a possible failure from the moment it starts.
    if (state.count + state.pending >= MAX_FAILURES) {
      throw new AppError('BAD_CREDENTIALS', 'too many attempts at once; try again shortly');
    }
    state.pending++;
    const row = this.deps.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as
      UserRow | undefined;
    let ok: boolean;
    try {
      ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    } finally {
      state.pending--;
    }
    if (!row || !ok || row.disabled === 1) {
      state.count++;
      const locked = state.count >= MAX_FAILURES;
      if (locked) {
        state.count = 0;
        state.lockedUntil = this.deps.now() + LOCK_MS;
      }
      this.deps.db.transaction(() =>
        this.deps.audit.append({
          at,
          actorUserId: null,
          actor: null,
          action: 'auth.failed',
          entity: 'user',
          entityId: row?.id ?? null,
          caseId: null,
          // The typed name only when it is an account's: a password typed into the
          // username field must not end up in the audit trail.
          data: { username: row ? row.username : null, locked },
        }),
      )();
      throw new AppError('BAD_CREDENTIALS', 'wrong username or password');
    }
    this.failures.delete(key);
    return row;
  }

  async changePassword(caller: Caller, current: string, next: string): Promise<void> {
    const user = requireUser(caller);
    const row = this.deps.db.prepare('SELECT * FROM users WHERE id = ?').get(user.id) as UserRow;
    if (!(await verifyPassword(current, row.password_hash))) {
      throw new AppError('BAD_CREDENTIALS', 'the current password is wrong');
    }
    const hash = await hashPassword(next);
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?')
        .run(hash, at, user.id);
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'user.password_changed',
        entity: 'user',
        entityId: user.id,
        caseId: null,
        data: null,
      });
    })();
  }
}
