/**
 * The "open a session" form as data plus pure edits (perform(state) → state). Officers and
 * parties of the case are listed as rows the user ticks; other officers come from the
 * register (a hearing's moderator), other people are typed in.
 */
import type {
  AgentAuthority,
  CaseDetailDto,
  OfficerSessionRole,
  ParticipantRole,
  SessionKind,
} from '@shared/domain';
import { SESSION_KINDS_NEEDING_TWO_OFFICERS } from '@shared/domain';
import { fromDateTimeLocal } from '../../ui/time';
import { partyInput, type PartyDraft } from '../cases/partyDraft';

export interface OfficerRow {
  officerId: number;
  name: string;
  certificateNo: string;
  /** On the case (investigating) or brought in from the register (e.g. a hearing moderator). */
  onCase: boolean;
  selected: boolean;
  role: OfficerSessionRole;
}

export interface PartyRow {
  partyId: number;
  name: string;
  selected: boolean;
  role: ParticipantRole;
}

export interface OtherRow {
  key: number;
  name: string;
  role: ParticipantRole;
  /** An agent's authority (代理权限) and power of attorney (授权委托书); '' while not given. */
  authority: AgentAuthority | '';
  mandate: string;
  /** Their particulars, for one questioned who is not a party (a witness); null: none given. */
  particulars: PartyDraft | null;
}

export interface SessionDraft {
  kind: SessionKind;
  place: string;
  room: string;
  /** An inspection's objects and items (检查对象及项目). */
  subject: string;
  scheduledAt: string;
  officers: OfficerRow[];
  /** Once the user picks a role by hand, later changes no longer re-assign roles. */
  rolesTouched: boolean;
  parties: PartyRow[];
  others: OtherRow[];
  nextKey: number;
}

/**
 * Roles given, in order, to the ticked officers of each kind of session; any further ones
 * investigate. At a hearing the case's own officers present the investigation, and the
 * officers brought in from the register moderate and record (the moderator must not be one
 * of the case's investigators).
 */
export const DEFAULT_OFFICER_ROLES: Readonly<Record<SessionKind, readonly OfficerSessionRole[]>> = {
  interview: ['interviewer', 'recorder'],
  summons: ['interviewer', 'recorder'],
  inspection: ['investigator', 'recorder'],
  hearing: ['moderator', 'recorder'],
};

export function withDefaultRoles(officers: OfficerRow[], kind: SessionKind): OfficerRow[] {
  const roles = DEFAULT_OFFICER_ROLES[kind];
  let n = 0;
  return officers.map((o) => {
    if (!o.selected) return o;
    if (kind === 'hearing' && o.onCase) return { ...o, role: 'investigator' };
    return { ...o, role: roles[n++] ?? 'investigator' };
  });
}

/** Starts with the case's first two officers (lead first) ticked, as the rules need two. */
export function initialSessionDraft(
  detail: Pick<CaseDetailDto, 'officers' | 'parties'>,
  kind: SessionKind = 'interview',
): SessionDraft {
  const ordered = [...detail.officers].sort((a, b) => Number(b.lead) - Number(a.lead));
  const officers: OfficerRow[] = ordered.map((o, i) => ({
    officerId: o.officerId,
    name: o.name,
    certificateNo: o.certificateNo,
    onCase: true,
    selected: i < 2,
    role: 'investigator',
  }));
  return {
    kind,
    place: '',
    room: '',
    subject: '',
    scheduledAt: '',
    officers: withDefaultRoles(officers, kind),
    rolesTouched: false,
    parties: detail.parties.map((p) => ({
      partyId: p.id,
      name: p.name,
      selected: false,
      role: 'party',
    })),
    others: [],
    nextKey: 1,
  };
}

export type SessionAction =
  | { type: 'field'; field: 'place' | 'room' | 'subject' | 'scheduledAt'; value: string }
  | { type: 'kind'; kind: SessionKind }
  | { type: 'officerSelected'; officerId: number; selected: boolean }
  | { type: 'officerRole'; officerId: number; role: OfficerSessionRole }
  | { type: 'addOfficer'; officer: { id: number; name: string; certificateNo: string } }
  | { type: 'removeOfficer'; officerId: number }
  | { type: 'partySelected'; partyId: number; selected: boolean }
  | { type: 'partyRole'; partyId: number; role: ParticipantRole }
  | { type: 'addOther' }
  | { type: 'otherName'; key: number; name: string }
  | { type: 'otherRole'; key: number; role: ParticipantRole }
  | { type: 'otherAuthority'; key: number; authority: AgentAuthority | '' }
  | { type: 'otherMandate'; key: number; mandate: string }
  | { type: 'otherParticulars'; key: number; particulars: PartyDraft | null }
  | { type: 'removeOther'; key: number };

/** New officer rows, with roles re-assigned unless the user chose them by hand. */
function withOfficers(draft: SessionDraft, officers: OfficerRow[]): SessionDraft {
  return {
    ...draft,
    officers: draft.rolesTouched ? officers : withDefaultRoles(officers, draft.kind),
  };
}

export function sessionReducer(draft: SessionDraft, action: SessionAction): SessionDraft {
  switch (action.type) {
    case 'field':
      return { ...draft, [action.field]: action.value };
    case 'kind':
      return withOfficers({ ...draft, kind: action.kind }, draft.officers);
    case 'officerSelected':
      return withOfficers(
        draft,
        draft.officers.map((o) =>
          o.officerId === action.officerId ? { ...o, selected: action.selected } : o,
        ),
      );
    case 'officerRole':
      return {
        ...draft,
        rolesTouched: true,
        officers: draft.officers.map((o) =>
          o.officerId === action.officerId ? { ...o, role: action.role } : o,
        ),
      };
    case 'addOfficer': {
      if (draft.officers.some((o) => o.officerId === action.officer.id)) return draft;
      const row: OfficerRow = {
        officerId: action.officer.id,
        name: action.officer.name,
        certificateNo: action.officer.certificateNo,
        onCase: false,
        selected: true,
        role: 'investigator',
      };
      return withOfficers(draft, [...draft.officers, row]);
    }
    case 'removeOfficer':
      return withOfficers(
        draft,
        draft.officers.filter((o) => o.onCase || o.officerId !== action.officerId),
      );
    case 'partySelected':
      return {
        ...draft,
        parties: draft.parties.map((p) =>
          p.partyId === action.partyId ? { ...p, selected: action.selected } : p,
        ),
      };
    case 'partyRole':
      return {
        ...draft,
        parties: draft.parties.map((p) =>
          p.partyId === action.partyId ? { ...p, role: action.role } : p,
        ),
      };
    case 'addOther':
      return {
        ...draft,
        others: [
          ...draft.others,
          {
            key: draft.nextKey,
            name: '',
            role: 'witness',
            authority: '',
            mandate: '',
            particulars: null,
          },
        ],
        nextKey: draft.nextKey + 1,
      };
    case 'otherName':
      return {
        ...draft,
        others: draft.others.map((o) => (o.key === action.key ? { ...o, name: action.name } : o)),
      };
    case 'otherRole':
      return {
        ...draft,
        others: draft.others.map((o) => (o.key === action.key ? { ...o, role: action.role } : o)),
      };
    case 'otherAuthority':
      return {
        ...draft,
        others: draft.others.map((o) =>
          o.key === action.key ? { ...o, authority: action.authority } : o,
        ),
      };
    case 'otherMandate':
      return {
        ...draft,
        others: draft.others.map((o) =>
          o.key === action.key ? { ...o, mandate: action.mandate } : o,
        ),
      };
    case 'otherParticulars':
      return {
        ...draft,
        others: draft.others.map((o) =>
          o.key === action.key ? { ...o, particulars: action.particulars } : o,
        ),
      };
    case 'removeOther':
      return { ...draft, others: draft.others.filter((o) => o.key !== action.key) };
  }
}

/**
 * Input for `sessions.create`. Participants are the ticked parties first, then the typed
 * people; the schema's paths (`participants.N.name`) follow this order, see
 * {@link participantPath}.
 */
export function sessionInput(draft: SessionDraft, caseId: number): Record<string, unknown> {
  const scheduledAt = fromDateTimeLocal(draft.scheduledAt);
  return {
    caseId,
    kind: draft.kind,
    place: draft.place,
    room: draft.room,
    // Only an inspection names what it looks at.
    ...(draft.kind === 'inspection' && draft.subject.trim() ? { subject: draft.subject } : {}),
    ...(scheduledAt !== undefined ? { scheduledAt } : {}),
    officers: draft.officers
      .filter((o) => o.selected)
      .map((o) => ({ officerId: o.officerId, role: o.role })),
    participants: [
      ...draft.parties
        .filter((p) => p.selected)
        .map((p) => ({ role: p.role, partyId: p.partyId, name: p.name })),
      // An agent's authority and power of attorney go with them; others have none.
      ...draft.others.map((o) => ({
        role: o.role,
        name: o.name,
        ...(o.role === 'agent' && o.authority ? { authority: o.authority } : {}),
        ...(o.role === 'agent' && o.mandate.trim() ? { mandate: o.mandate } : {}),
        // The particulars are the named person's.
        ...(o.particulars ? { particulars: partyInput({ ...o.particulars, name: o.name }) } : {}),
      })),
    ],
  };
}

/** Field key of a typed participant's name, matching the index {@link sessionInput} gives it. */
export function participantPath(draft: SessionDraft, key: number, field = 'name'): string {
  const offset = draft.parties.filter((p) => p.selected).length;
  return `participants.${offset + draft.others.findIndex((o) => o.key === key)}.${field}`;
}

export type OfficerRuleProblem =
  | 'twoOfficers'
  | 'hearingModerator'
  | 'moderatorNotInvestigator'
  | 'hearingOfficerNotInvestigator'
  | 'hearingOfficerAtHearings';

/**
 * The core's rules on who takes part (R1.3: two or more officers; a hearing has exactly one
 * moderator, who is not one of the case's investigators). The core checks them again;
 * checking here words the problem at the right place and saves a round trip.
 */
export function officerRuleProblem(draft: SessionDraft): OfficerRuleProblem | null {
  const selected = draft.officers.filter((o) => o.selected);
  if (SESSION_KINDS_NEEDING_TWO_OFFICERS.includes(draft.kind) && selected.length < 2)
    return 'twoOfficers';
  const panel = selected.filter((o) => o.role === 'hearing_officer');
  if (draft.kind !== 'hearing' && panel.length) return 'hearingOfficerAtHearings';
  if (draft.kind === 'hearing') {
    const moderators = selected.filter((o) => o.role === 'moderator');
    if (moderators.length !== 1) return 'hearingModerator';
    if (moderators[0]?.onCase) return 'moderatorNotInvestigator';
    if (panel.some((o) => o.onCase)) return 'hearingOfficerNotInvestigator';
  }
  return null;
}
