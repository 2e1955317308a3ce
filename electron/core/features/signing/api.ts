/** The handlers of the signing methods (electron/shared/api/signing.ts). */
import type { signingMethods } from '../../../shared/api/signing';
import type { HandlersOf } from '../handler';

export const signingHandlers: HandlersOf<typeof signingMethods> = {
  'signing.open': (s, conn, i) =>
    s.signing.open(conn, i.sessionId, i.closingText, i.noticeOverride, i.readAloud),
  'signing.ofSession': (s, conn, i) => s.signing.ofSession(conn, i.sessionId),
  'signing.phrases': (s, _c, i) => s.signing.phrases(i.sessionId),
  'signing.partyPage': (s, conn, i) => s.signing.partyPage(conn, i.signingId),
  'signing.status': (s, conn, i) => s.signing.status(conn, i.signingId, i.token),
  'signing.preview': (s, conn, i) => s.signing.preview(conn, i.signingId, i.token, i.offset),
  'signing.viewPage': (s, conn, i) =>
    s.signing.viewPage(conn, i.signingId, i.token, i.version, i.page, i.signer),
  'signing.refresh': (s, conn, i) => s.signing.refresh(conn, i.signingId),
  'signing.confirmCorrection': (s, conn, i) =>
    s.signing.confirmCorrection(
      conn,
      i.signingId,
      i.token,
      i.version,
      i.correctionId,
      i.handwriting,
      i.signer,
    ),
  'signing.signPage': (s, conn, i) =>
    s.signing.signPage(conn, i.signingId, i.token, i.version, i.page, i.handwriting, i.signer),
  'signing.seam': (s, conn, i) =>
    s.signing.seam(conn, i.signingId, i.token, i.version, i.handwriting, i.signer),
  'signing.closingStatement': (s, conn, i) =>
    s.signing.closingStatement(
      conn,
      i.signingId,
      i.token,
      i.version,
      i.text,
      i.handwriting,
      i.signer,
    ),
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
  'signing.refuse': (s, conn, i) => s.signing.refuse(conn, i.signingId, i.reason, i.signer),
  'signing.finish': (s, conn, i) => s.signing.finish(conn, i.signingId),
};
