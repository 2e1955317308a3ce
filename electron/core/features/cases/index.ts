/** What other features may use of cases. */
export {
  approvalsOfCase,
  caseHeader,
  caseIdByNo,
  caseOfficersOf,
  casePhase,
  isCaseOfficer,
  isPartyOfCase,
  phaseChangesOfCase,
  touchCase,
} from './store';
export type { CasesService } from './service';
export * from './stats';
