/** The handlers of the cases methods (electron/shared/api/cases.ts). */
import type { casesMethods } from '../../../shared/api/cases';
import type { HandlersOf } from '../handler';

export const casesHandlers: HandlersOf<typeof casesMethods> = {
  'cases.list': (s, _c, input) => s.cases.list(input),
  'cases.get': (s, _c, input) => s.cases.get(input.id),
  'cases.create': (s, conn, input) => s.cases.create(conn, input),
  'cases.advancePhase': (s, conn, input) =>
    s.cases.advancePhase(conn, input.id, input.to, input.note),
  'cases.addParty': (s, conn, input) => s.cases.addParty(conn, input.caseId, input.party),
  'cases.updateParty': (s, conn, input) =>
    s.cases.updateParty(conn, input.caseId, input.partyId, input.party, input.reason),
  'cases.assignOfficer': (s, conn, input) =>
    s.cases.assignOfficer(conn, input.caseId, input.officerId, input.lead),
};
