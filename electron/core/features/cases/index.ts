/** What other features may use of cases: its service (as a type) and queries of its records. */
export type { CasesService } from './service';
export { caseNumberOf } from './store';
