/** What other features may use of cases. */
export type { CasesService } from './service';
export { casePhase, isCaseOfficer, isPartyOfCase, touchCase } from './store';
