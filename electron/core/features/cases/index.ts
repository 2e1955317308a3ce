/** What other features may use of cases. */
export { casePhase, isCaseOfficer, isPartyOfCase, touchCase } from './store';
