/** What other features may use of the registers: the officers' register (as a type). */
export type { OfficersService } from './service';
