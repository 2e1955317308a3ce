/** What other features may use of cases. */
export { caseHeader, phaseChangesOfCase, approvalsOfCase, archivingStartedAt } from './store';
export type { CasesService } from './service';
