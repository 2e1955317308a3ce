/** What other features may use of users. */
export { UsersService } from './service';
export { userDisplayName, userIdOfOfficer, userNames } from './store';
