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
  SelfIssuedKeyType,
  WorkstationIdentity,
} from './identity';
export {
  identityDirOf,
  importPkcs12,
  listArchivedIdentities,
  loadOrCreateIdentity,
} from './identity';
export type { IdentityErrorCode, Pkcs12Contents } from './pkcs12';
export { IdentityError, parsePkcs12 } from './pkcs12';
export type { CertificateInfo } from './certificate';
export { certificateToPem, describeCertificate } from './certificate';
