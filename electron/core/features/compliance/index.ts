/** The compliance report of a session and of a case. */
export { ComplianceService, type CompliancePorts } from './service';
export { renderComplianceReport } from './report-pdf';
export { recordSealedFindings, findingsStatSql } from './findings';
