/** What other features may use of signing: queries of a session's signing. */
export {
  latestSigningOfSession,
  signedFileHashes,
  signingIdsOfSession,
  type SessionSigning,
} from './store';
