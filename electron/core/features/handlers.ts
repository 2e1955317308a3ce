import type { MethodName, MethodOutput, MethodParsed } from '../../shared/contract';
import type { Caller } from './context';
import type { Services } from './services';
import { sealingHandlers } from './sealing/api';
import { discHandlers } from './discs/api';

/** Per-connection state a handler may change (sign-in and sign-out). */
export interface ConnectionState extends Caller {
  /** This connection's number in the core (segments belong to the connection that opened them). */
  readonly id: number;
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
  'sessions.end': (s, conn, input) => {
    // Segments the renderer did not close are finished by the core first: the recording ends
    // here, and the written end time is not earlier than the media it covers (R2.4).
    s.recording.sessionEnded(input.id);
    return s.sessions.end(
      conn,
      input.id,
      input.stoppedAtSessionMs,
      s.recording.mediaEndMs(input.id),
    );
  },

  'sessions.resume': (s, conn, input) => s.recording.resume(conn, input.id, input.reason),
  'sessions.abandon': (s, conn, input) =>
    s.recording.abandon(
      conn,
      input.id,
      input.statement,
      input.officerIds,
      input.confirmations ?? [],
    ),
  'system.disk': (s) => s.recording.disk(),
  'recording.savePreflight': (s, conn, input) =>
    s.recording.savePreflight(conn, input.sessionId, input.preflight),
  'recording.openSegment': (s, conn, input) => s.recording.openSegment(conn, conn.id, input),
  'recording.closeSegment': (s, conn, input) => s.recording.closeSegment(conn, conn.id, input),
  'recording.fault': (s, conn, input) => s.recording.fault(conn, input),
  'recording.status': (s, _c, input) => s.recording.status(input.sessionId),
  'recording.offsets': (s, _c, input) => s.recording.offsets(input.sessionId),
  'recording.fragments': (s, _c, input) => s.recording.fragments(input),
  'recording.read': (s, _c, input) =>
    s.recording.read(
      { sessionId: input.sessionId, sourceId: input.sourceId, segment: input.segment },
      input.offset,
      input.length,
    ),
  'recording.timeline': (s, _c, input) => s.recording.timeline(input.sessionId),
  'recording.recover': (s, conn) => s.recording.recover(conn),
  'transcripts.get': (s, _c, input) => s.transcripts.get(input.sessionId),
  'transcripts.apply': (s, conn, input) =>
    s.transcripts.apply(conn, input.sessionId, input.baseSeq, input.actions),
  'devices.list': (s, _c, input) => s.devices.list(input.includeInactive),
  'devices.register': (s, conn, input) => s.devices.register(conn, input),
  'devices.setActive': (s, conn, input) => s.devices.setActive(conn, input.id, input.active),
  'audit.list': (s, _c, input) => s.audit.list(input),
  'audit.verifyChain': (s) => s.audit.verify(),
  'signing.open': (s, conn, i) => s.signing.open(conn, i.sessionId, i.closingText),
  'signing.ofSession': (s, conn, i) => s.signing.ofSession(conn, i.sessionId),
  'signing.status': (s, conn, i) => s.signing.status(conn, i.signingId, i.token),
  'signing.preview': (s, conn, i) => s.signing.preview(conn, i.signingId, i.token, i.offset),
  'signing.viewPage': (s, conn, i) =>
    s.signing.viewPage(conn, i.signingId, i.token, i.version, i.page),
  'signing.refresh': (s, conn, i) => s.signing.refresh(conn, i.signingId),
  'signing.confirmCorrection': (s, conn, i) =>
    s.signing.confirmCorrection(
      conn,
      i.signingId,
      i.token,
      i.version,
      i.correctionId,
      i.handwriting,
    ),
  'signing.signPage': (s, conn, i) =>
    s.signing.signPage(conn, i.signingId, i.token, i.version, i.page, i.handwriting),
  'signing.seam': (s, conn, i) =>
    s.signing.seam(conn, i.signingId, i.token, i.version, i.handwriting),
  'signing.closingStatement': (s, conn, i) =>
    s.signing.closingStatement(conn, i.signingId, i.token, i.version, i.text, i.handwriting),
  'signing.officer': (s, conn, i) =>
    s.signing.officer(
      conn,
      i.signingId,
      i.token,
      i.version,
      i.officerId,
      i.handwriting,
      i.confirmation,
    ),
  'signing.armOfficer': (s, conn, i) =>
    s.signing.armOfficer(conn, i.signingId, i.officerId, i.confirmation),
  'signing.disarmOfficer': (s, conn, i) => s.signing.disarmOfficer(conn, i.signingId),
  'signing.lanPair': (s, conn, i) => s.tablet.pair(conn, i.signingId),
  'signing.lanUnpair': (s, conn, i) => s.tablet.unpair(conn, i.signingId),
  'signing.refuse': (s, conn, i) => s.signing.refuse(conn, i.signingId, i.reason),
  'signing.finish': (s, conn, i) => s.signing.finish(conn, i.signingId),
  ...sealingHandlers,
  ...discHandlers,
};
