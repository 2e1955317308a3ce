/** The handlers of the trust methods (electron/shared/api/trust.ts). */
import type { trustMethods } from '../../../shared/api/trust';
import type { HandlersOf } from '../handler';

export const trustHandlers: HandlersOf<typeof trustMethods> = {
  'trust.status': (s) => s.trust.status(),
  'trust.registerFile': (s) => s.trust.registerFile(),
  'trust.addToRegister': (s, c, input) => s.trust.addToRegister(c, input),
  'trust.withdraw': (s, c, input) => s.trust.withdraw(c, input),
  'trust.requestCertificate': (s, c, input) => s.trust.requestCertificate(c, input),
  'trust.installCertificate': (s, c, input) => s.trust.installCertificate(c, input),
  'trust.importPkcs12': (s, c, input) => s.trust.importPkcs12(c, input),
  'trust.setTimeStampAuthority': (s, c, input) => s.trust.setTimeStampAuthority(c, input),
  'trust.acceptPlainSecrets': (s, c, input) => s.trust.acceptPlainSecrets(c, input),
};
