import type { MethodName, MethodOutput, MethodParsed } from '../shared/contract';
import type { Caller } from './services/context';
import type { Services } from './services';

/** Per-connection state a handler may change (sign-in and sign-out). */
export interface ConnectionState extends Caller {
  signIn(userId: number): void;
  signOut(): void;
  /** Re-reads the signed-in user, so role changes and disabled accounts apply at once. */
  refresh(): void;
}

type Handler<M extends MethodName> = (
  s: Services,
  conn: ConnectionState,
  input: MethodParsed<M>,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

/** One handler per contract method; the type makes a missing one a compile error. */
export const handlers: { [M in MethodName]: Handler<M> } = {
  'app.info': (s) => s.info(),
  'auth.setup': (s, _c, input) => s.users.setup(input),
  'auth.signIn': async (s, conn, input) => {
    const user = await s.users.signIn(input.username, input.password);
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
  'officers.list': (s, _c, input) => s.officers.list(input.includeInactive),
  'officers.create': (s, conn, input) => s.officers.create(conn, input),
  'cases.list': (s, _c, input) => s.cases.list(input),
  'cases.get': (s, _c, input) => s.cases.get(input.id),
  'cases.create': (s, conn, input) => s.cases.create(conn, input),
  'cases.advancePhase': (s, conn, input) =>
    s.cases.advancePhase(conn, input.id, input.to, input.note),
  'cases.addParty': (s, conn, input) => s.cases.addParty(conn, input.caseId, input.party),
  'cases.assignOfficer': (s, conn, input) =>
    s.cases.assignOfficer(conn, input.caseId, input.officerId, input.lead),
  'cases.addApproval': (s, conn, input) => s.cases.addApproval(conn, input),
  'sessions.create': (s, conn, input) => s.sessions.create(conn, input),
  'sessions.get': (s, _c, input) => s.sessions.get(input.id),
  'sessions.start': (s, conn, input) => s.sessions.start(conn, input.id),
  'sessions.end': (s, conn, input) => s.sessions.end(conn, input.id),
  'transcripts.get': (s, _c, input) => s.transcripts.get(input.sessionId),
  'transcripts.apply': (s, conn, input) =>
    s.transcripts.apply(conn, input.sessionId, input.baseSeq, input.actions),
  'devices.list': (s, _c, input) => s.devices.list(input.includeInactive),
  'devices.register': (s, conn, input) => s.devices.register(conn, input),
  'devices.setActive': (s, conn, input) => s.devices.setActive(conn, input.id, input.active),
  'audit.list': (s, _c, input) => s.audit.list(input),
  'audit.verifyChain': (s) => s.audit.verify(),
};
