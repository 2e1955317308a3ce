/** Hearings (听证): the moderator's hearing report, signed and sealed with the session. */
export { HearingsService, type HearingPorts } from './service';
export { HearingProcedures } from './procedure';
export { reportSigningOf, type ReportSigningRow } from './store';
