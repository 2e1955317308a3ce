/** Approval forms (审批表, R1.4). */
export { ApprovalsService, FORM_TITLES, type ApprovalPorts } from './service';
export { approvalPrintsOfCase } from './store';
