/** Hearings (听证): the moderator's hearing report, signed and sealed with the session. */
export { HearingsService, type HearingPorts } from './service';
export { reportSigningOf, type ReportSigningRow } from './store';
