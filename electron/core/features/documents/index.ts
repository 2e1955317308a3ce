/** Issued documents, their service and execution (R1.5, R2.1). */
export { DocumentsService, type DocumentPorts, type DocumentOptions } from './service';
export { ServiceRecords } from './serving';
export {
  agencyIdentityRow,
  documentRowsOfCase,
  executionEntriesOf,
  matterEndFacts,
  matterEndFactsIn,
  serviceEntriesOf,
} from './store';
