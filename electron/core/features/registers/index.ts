/** What other features may use of the registers (officers, devices). */
export { deviceByNo, officerCard, officerIdentity, type OfficerCard } from './store';
export type { OfficersService } from './service';
