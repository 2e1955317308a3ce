/** Filing (立卷归档, R5.2) and retention (R4.4). */
export { FilingService, type FilingPorts, type FilingSignOff } from './service';
export { RetentionService } from './retention';
export { confirmedLongTermReason, filingOf } from './store';
export { caseFilingClock, filingClocksIn } from './clock';
