import { AppError } from '../../../shared/errors';
import type {
  OfficerConfirmation,
  OfficerPresence,
  UserDto,
  UserRole,
} from '../../../shared/domain';
import { dummyHash, hashPassword, verifyPassword } from '../../platform/password';
import { conflictOnUnique, requireUser, type Caller, type ServiceDeps } from '../context';
import { officerCard } from '../registers';
import { SignInThrottle } from './rules';
import {
  countUsers,
  insertUser,
  otherAccountOfOfficer,
  setPasswordHash,
  setUserDisabled,
  userRow,
  userRowByUsername,
  userRows,
  userToDto,
  type UserRow,
} from './store';

/** Accounts: setup, sign-in with lockout, officers confirming in person, passwords. */
export class UsersService {
  private readonly throttle = new SignInThrottle();

  constructor(private readonly deps: ServiceDeps) {}

  count(): number {
    return countUsers(this.deps.db);
  }

  get(id: number): UserDto {
    const row = userRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `no user ${id}`);
    return userToDto(row);
  }

  list(): UserDto[] {
    return userRows(this.deps.db).map(userToDto);
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
      const id = insertUser(
        db,
        {
          username: input.username,
          displayName: input.displayName,
          passwordHash: hash,
          roles: ['admin'],
          officerId: null,
        },
        at,
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
        if (!officerCard(db, input.officerId))
          throw new AppError('NOT_FOUND', `no officer ${input.officerId}`);
        this.assertNoOtherAccount(input.officerId, null);
      }
      const at = now();
      const id = conflictOnUnique(
        () =>
          insertUser(
            db,
            {
              username: input.username,
              displayName: input.displayName,
              passwordHash: hash,
              roles,
              officerId: input.officerId ?? null,
            },
            at,
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
      setUserDisabled(db, id, disabled);
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
    const other = otherAccountOfOfficer(this.deps.db, officerId, except);
    if (other !== undefined) {
      throw new AppError(
        'CONFLICT',
        `this officer already has an account in use (${other}); an officer has one account`,
      );
    }
  }

  /**
   * Checks a username and password. The same error for an unknown user, a wrong password
   * and a disabled account, and the same work (a dummy hash) either way, so a caller learns
   * nothing about which accounts exist. Repeated failures lock the username briefly.
   */
  async signIn(username: string, password: string, address = 'local'): Promise<UserDto> {
    const row = await this.checkCredentials(username, password, address);
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
    return userToDto(row);
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
    const officer = officerCard(this.deps.db, officerId);
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
    const row = await this.checkCredentials(
      confirmation.username,
      confirmation.password,
      caller.address ?? 'local',
    );
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
      record: this.confirmed(row, user, purpose, at, { entity: 'officer', entityId: officerId }),
    };
  }

  /** The audit entry of a confirmation by password at another's desk, written by `record()`. */
  private confirmed(
    row: UserRow,
    desk: UserDto,
    purpose: { action: string; caseId: number | null },
    at: number,
    about: { entity: 'officer' | 'user'; entityId: number },
  ): () => void {
    return () =>
      this.deps.audit.append({
        at,
        actorUserId: row.id,
        actor: row.display_name,
        action: 'officer.confirmed',
        ...about,
        caseId: purpose.caseId,
        data: { purpose: purpose.action, atDeskOf: desk.id },
      });
  }

  /**
   * Establishes who signs at the desk in person: the signed-in user, or the one whose own
   * username and password `confirmation` carries (checked like a sign-in, with its lockout).
   * `record()` writes a confirmation to the audit trail inside the act's transaction.
   */
  async confirmPerson(
    caller: Caller,
    confirmation: { username: string; password: string } | undefined,
    purpose: { action: string; caseId: number | null },
  ): Promise<{ user: UserDto; presence: OfficerPresence; record: () => void }> {
    const user = requireUser(caller);
    if (!confirmation) return { user, presence: 'signed_in', record: () => undefined };
    const row = await this.checkCredentials(
      confirmation.username,
      confirmation.password,
      caller.address ?? 'local',
    );
    return {
      user: userToDto(row),
      presence: 'password',
      record: this.confirmed(row, user, purpose, this.deps.now(), {
        entity: 'user',
        entityId: row.id,
      }),
    };
  }

  /**
   * A username and password checked with lockout (per username and address: a stranger's
   * guesses from one address lock that address out, not the account's owner elsewhere); the
   * account's row when they are right.
   */
  private async checkCredentials(
    username: string,
    password: string,
    address: string,
  ): Promise<UserRow> {
    const at = this.deps.now();
    const attempts = this.throttle.begin(username, address, at);
    const row = userRowByUsername(this.deps.db, username);
    let ok: boolean;
    try {
      ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    } finally {
      this.throttle.settled(attempts);
    }
    if (!row || !ok || row.disabled === 1) {
      const locked = this.throttle.failed(attempts, this.deps.now());
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
          data: { username: row ? row.username : null, locked, address },
        }),
      )();
      throw new AppError('BAD_CREDENTIALS', 'wrong username or password');
    }
    this.throttle.succeeded(username, address);
    return row;
  }

  async changePassword(caller: Caller, current: string, next: string): Promise<void> {
    const user = requireUser(caller);
    const row = userRow(this.deps.db, user.id) as UserRow;
    // Checked like a sign-in: the same lockout, and each failure in the audit trail.
    await this.checkCredentials(row.username, current, caller.address ?? 'local').catch(
      (e: unknown) => {
        throw e instanceof AppError && /too many/.test(e.message)
          ? e
          : new AppError('BAD_CREDENTIALS', 'the current password is wrong');
      },
    );
    const hash = await hashPassword(next);
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      setPasswordHash(this.deps.db, user.id, hash, at);
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
