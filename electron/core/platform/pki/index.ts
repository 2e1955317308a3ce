/**
 * The workstation's signing identity (a self-issued certificate on first run, replaceable
 * by an agency PKCS#12) and the {@link Signer} port that makes CMS/CAdES signatures.
 */
export type { Signer } from './cms-sign';
export { buildSignedData, createKeySigner } from './cms-sign';
export type {
  IdentityOptions,
  IdentitySource,
  ImportOptions,
  PendingRequest,
  SelfIssuedKeyType,
  WorkstationIdentity,
} from './identity';
export {
  currentIdentity,
  identityDirOf,
  importPkcs12,
  installIssuedCertificate,
  pendingRequest,
  protectKeysWith,
  requestCertificate,
  listArchivedIdentities,
  loadOrCreateIdentity,
} from './identity';
export type { IdentityErrorCode, Pkcs12Contents } from './pkcs12';
export { IdentityError, parsePkcs12 } from './pkcs12';
export type { CertificateInfo } from './certificate';
export { certificateToPem, describeCertificate } from './certificate';
export type { RequestSubject } from './csr';
export type { AgencyRegister, RegisterEntry, RegisterEntryKind } from './register';
export {
  REGISTER_FILE,
  REGISTER_FORMAT,
  RegisterError,
  parseRegister,
  registerEntry,
  registerSha256,
  registerText,
  registerTrust,
} from './register';
