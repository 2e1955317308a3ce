/** What other features may use of signing. */
export { finishedSigningOf } from './store';
