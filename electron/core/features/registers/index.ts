/** What other features may use of the registers (officers, devices). */
export type { DevicesService, OfficersService } from './service';
export { deviceByNo, officerCard, type OfficerCard } from './store';
