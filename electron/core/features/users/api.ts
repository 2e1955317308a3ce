/** The handlers of the users methods (electron/shared/api/users.ts). */
import type { usersMethods } from '../../../shared/api/users';
import type { HandlersOf } from '../handler';

export const usersHandlers: HandlersOf<typeof usersMethods> = {
  'auth.setup': (s, _c, input) => s.users.setup(input),
  'auth.signIn': async (s, conn, input) => {
    const user = await s.users.signIn(input.username, input.password, conn.address);
    conn.signIn(user.id);
    return user;
  },
  'auth.signOut': (_s, conn) => {
    conn.signOut();
    return { signedOut: true };
  },
  'auth.me': (_s, conn) => conn.user,
  'auth.changePassword': async (s, conn, input) => {
    await s.users.changePassword(conn, input.currentPassword, input.newPassword);
    return { changed: true };
  },
  'users.list': (s) => s.users.list(),
  'users.create': (s, conn, input) => s.users.create(conn, input),
  'users.setDisabled': (s, conn, input) => s.users.setDisabled(conn, input.id, input.disabled),
};
