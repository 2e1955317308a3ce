/** What other features may use of users: queries of its records. */
export { userDisplayName } from './store';
