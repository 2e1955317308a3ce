/** What other features may use of trust: the register and the time-stamping authority. */
export type { TrustService } from './service';
