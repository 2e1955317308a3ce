/** What other features may use of users. */
export { userDisplayName } from './store';
