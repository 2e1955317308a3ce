/** What other features may use of the registers (officers, devices). */
export { deviceByNo, officerCard, type OfficerCard } from './store';
export type { DevicesService, OfficersService } from './service';
