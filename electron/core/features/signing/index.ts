/** What other features may use of signing. */
export { finishedSigningOf } from './store';
export {
  latestSigningOfSession,
  signedFileHashes,
  signingIdsOfSession,
  type SessionSigning,
} from './store';
