/**
 * The new-case form's state and its pure edits. Officers are kept in the order they were
 * picked; the lead (主办) is sent first, as `cases.create` expects.
 */
import type { MatterKind, OriginKind } from '@shared/domain';
import { fromDateTimeLocal } from '../../ui/time';
import { emptyParty, partyInput, type PartyDraft } from './partyDraft';

export interface CaseDraft {
  caseNo: string;
  cause: string;
  /** '' until chosen: no matter kind is a sensible default. */
  matterKind: MatterKind | '';
  originKind: OriginKind;
  source: string;
  reason: string;
  /** 紧急情况先行立案: why; empty for a case started the usual way. */
  emergency: string;
  complainant: string;
  receivedAt: string;
  officerIds: number[];
  leadId: number | null;
  withParty: boolean;
  party: PartyDraft;
}

export function emptyCase(): CaseDraft {
  return {
    caseNo: '',
    cause: '',
    matterKind: '',
    originKind: 'ex_officio',
    source: '',
    reason: '',
    emergency: '',
    complainant: '',
    receivedAt: '',
    officerIds: [],
    leadId: null,
    withParty: false,
    party: emptyParty(),
  };
}

export function toggleOfficer(draft: CaseDraft, officerId: number, selected: boolean): CaseDraft {
  const without = draft.officerIds.filter((id) => id !== officerId);
  const officerIds = selected ? [...without, officerId] : without;
  const leadId = draft.leadId !== null && officerIds.includes(draft.leadId) ? draft.leadId : null;
  return { ...draft, officerIds, leadId };
}

export function setLead(draft: CaseDraft, officerId: number): CaseDraft {
  const officerIds = draft.officerIds.includes(officerId)
    ? draft.officerIds
    : [...draft.officerIds, officerId];
  return { ...draft, officerIds, leadId: officerId };
}

/** The lead: the one marked, else the first picked. */
export function leadOf(draft: CaseDraft): number | null {
  return draft.leadId ?? draft.officerIds[0] ?? null;
}

/** Officer ids with the lead first, the others in picking order. */
export function orderedOfficerIds(draft: CaseDraft): number[] {
  const lead = leadOf(draft);
  return lead === null ? [] : [lead, ...draft.officerIds.filter((id) => id !== lead)];
}

/** Input for `caseCreateSchema`. */
export function caseInput(draft: CaseDraft): Record<string, unknown> {
  const receivedAt = fromDateTimeLocal(draft.receivedAt);
  return {
    caseNo: draft.caseNo,
    cause: draft.cause,
    matterKind: draft.matterKind === '' ? undefined : draft.matterKind,
    origin: {
      kind: draft.originKind,
      source: draft.source,
      reason: draft.reason,
      // A complainant belongs to complaints only; typed text stays in the form if the kind changes back.
      ...(draft.originKind === 'complaint' ? { complainant: draft.complainant } : {}),
      ...(receivedAt !== undefined ? { receivedAt } : {}),
    },
    officerIds: orderedOfficerIds(draft),
    ...(draft.emergency.trim() ? { emergency: draft.emergency } : {}),
    ...(draft.withParty ? { parties: [partyInput(draft.party)] } : {}),
  };
}
