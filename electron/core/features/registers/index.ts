/** What other features may use of the registers (officers, devices). */
export { officerIdentity } from './store';
export type { OfficersService } from './service';
