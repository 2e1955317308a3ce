/** What other features may use of users. */
export { UsersService } from './service';
export {
  accountOf,
  activeAccountsWithRole,
  userDisplayName,
  userIdOfOfficer,
  userNames,
} from './store';
