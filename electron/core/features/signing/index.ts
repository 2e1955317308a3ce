/**
 * What other features may use of signing: the service (wired in features/services.ts), the
 * LAN tablet's pairing, and queries on the signing tables.
 */
export { SigningService, type SigningOptions, type SigningPorts } from './service';
export { placeholdersInChinese, templateSteps } from './phrases';
export { FORM_OF_SESSION } from './document';
export { TabletService, type LanTabletConfig } from './lan/tablet-service';
export {
  finishedRecordOfSession,
  isSessionSigned,
  latestSigningOfSession,
  refusalsOfSession,
  signedOfficerCount,
  signedFilesOf,
  signingIdsOfSession,
  type SigningRow,
} from './store';
export * from './stats';
