/** Accounts and sign-in: who may use the workstation, with which roles. */
import { z } from 'zod';
import { USER_ROLES, idSchema, passwordSchema, usernameSchema, type UserDto } from '../domain';
import { ADMINS, events, method } from './define';
import { empty, text } from '../schema';

export const usersMethods = {
  /** Creates the first administrator; refused once any user exists. */
  'auth.setup': method<UserDto>()(
    z
      .object({ username: usernameSchema, displayName: text(60), password: passwordSchema })
      .strict(),
    'public',
  ),
  'auth.signIn': method<UserDto>()(
    z
      .object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) })
      .strict(),
    'public',
  ),
  'auth.signOut': method<{ signedOut: true }>()(empty, 'public'),
  'auth.me': method<UserDto | null>()(empty, 'public'),
  'auth.changePassword': method<{ changed: true }>()(
    z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }).strict(),
    'user',
  ),

  'users.list': method<UserDto[]>()(empty, ADMINS),
  'users.create': method<UserDto>()(
    z
      .object({
        username: usernameSchema,
        displayName: text(60),
        password: passwordSchema,
        roles: z.array(z.enum(USER_ROLES)).min(1).max(USER_ROLES.length),
        officerId: idSchema.optional(),
      })
      .strict(),
    ADMINS,
  ),
  'users.setDisabled': method<UserDto>()(
    z.object({ id: idSchema, disabled: z.boolean() }).strict(),
    ADMINS,
  ),
} as const;

export interface UsersEvents {
  /** The signed-in state of this connection changed (sign-in, sign-out, account disabled). */
  'auth.changed': { userId: number | null };
}
export const USERS_EVENTS = events<UsersEvents>()(['auth.changed']);
