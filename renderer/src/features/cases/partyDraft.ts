/**
 * What the party form holds while the user types (all strings), and how it becomes the
 * input that `partyInputSchema` parses. Kept apart from the component so the case form and
 * the add-party dialog share it.
 */
import type { Gender, IdType, PartyDto, PartyKind } from '@shared/domain';
import { isValidResidentId, residentIdFacts } from '@shared/validators';

export interface PartyDraft {
  kind: PartyKind;
  name: string;
  idType: IdType;
  idNumber: string;
  address: string;
  contact: string;
  legalRepresentative: string;
  /** A person's particulars, as the interview record's header prints them. */
  gender: Gender | '';
  /** YYYY-MM-DD (a date input's value). */
  birthDate: string;
  ethnicity: string;
  employer: string;
  position: string;
}

/** The identity document each kind of party is usually registered by. */
export const DEFAULT_ID_TYPE: Readonly<Record<PartyKind, IdType>> = {
  person: 'resident_id',
  organisation: 'uscc',
};

export function emptyParty(kind: PartyKind = 'person'): PartyDraft {
  return {
    kind,
    name: '',
    idType: DEFAULT_ID_TYPE[kind],
    idNumber: '',
    address: '',
    contact: '',
    legalRepresentative: '',
    gender: '',
    birthDate: '',
    ethnicity: '',
    employer: '',
    position: '',
  };
}

/**
 * A registered party as the form edits it (completing it at the desk). Sex and date of birth
 * that only repeat what the resident ID number says stay blank, so correcting a mistyped
 * number does not clash with what the old one said.
 */
export function partyDraftOf(p: PartyDto): PartyDraft {
  const facts =
    p.idType === 'resident_id' && isValidResidentId(p.idNumber)
      ? residentIdFacts(p.idNumber)
      : null;
  return {
    kind: p.kind,
    name: p.name,
    idType: p.idType,
    idNumber: p.idNumber,
    address: p.address ?? '',
    contact: p.contact ?? '',
    legalRepresentative: p.legalRepresentative ?? '',
    gender: p.gender && p.gender !== facts?.gender ? p.gender : '',
    birthDate: p.birthDate && p.birthDate !== facts?.birthDate ? p.birthDate : '',
    ethnicity: p.ethnicity ?? '',
    employer: p.employer ?? '',
    position: p.position ?? '',
  };
}

/**
 * Switching person ⇄ organisation follows the default ID type along, unless the user had
 * picked a different one on purpose (a passport stays a passport).
 */
export function setPartyKind(draft: PartyDraft, kind: PartyKind): PartyDraft {
  const idType =
    draft.idType === DEFAULT_ID_TYPE[draft.kind] ? DEFAULT_ID_TYPE[kind] : draft.idType;
  return { ...draft, kind, idType };
}

/** Input for `partyInputSchema`; a person has no legal representative, so it is not sent. */
export function partyInput(draft: PartyDraft): Record<string, unknown> {
  return {
    kind: draft.kind,
    name: draft.name,
    idType: draft.idType,
    // ID numbers are compared upper-case (a trailing "x" in a resident ID is an "X").
    idNumber: draft.idNumber.trim().toUpperCase(),
    address: draft.address,
    contact: draft.contact,
    ...(draft.kind === 'organisation' ? { legalRepresentative: draft.legalRepresentative } : {}),
    // A person's particulars; left empty, a resident identity number gives sex and birth date.
    ...(draft.kind === 'person'
      ? {
          ...(draft.gender ? { gender: draft.gender } : {}),
          ...(draft.birthDate ? { birthDate: draft.birthDate } : {}),
          ethnicity: draft.ethnicity,
          employer: draft.employer,
          position: draft.position,
        }
      : {}),
  };
}
