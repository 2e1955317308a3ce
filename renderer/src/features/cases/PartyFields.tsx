import { useTranslation } from 'react-i18next';
import { ID_TYPES } from '@shared/domain';
import { useEnumOptions } from '../../ui/enumLabels';
import { SelectField, TextField } from '../../ui/Field';
import type { FieldErrors } from '../../ui/fieldErrors';
import { setPartyKind, type PartyDraft } from './partyDraft';

/** 证件类型 offered per kind of party: a person has no credit code, an organisation no passport. */
const ID_TYPES_FOR = {
  person: ID_TYPES.filter((id) => id !== 'uscc'),
  organisation: ['uscc', 'other'],
} as const;

/**
 * Fields of one party (当事人), shared by the new-case form and the add-party dialog; and of a
 * person taking part who is not a party (`personOnly`: no kind, the name given elsewhere).
 */
export function PartyFields({
  draft,
  onChange,
  errors,
  autoFocus,
  personOnly,
}: {
  draft: PartyDraft;
  onChange: (draft: PartyDraft) => void;
  errors: FieldErrors;
  autoFocus?: boolean;
  personOnly?: boolean;
}) {
  const { t } = useTranslation();
  const kinds = useEnumOptions('partyKind');
  const idTypes = useEnumOptions('idType', ID_TYPES_FOR[draft.kind]);
  const genders = useEnumOptions('gender');
  const set = (field: Exclude<keyof PartyDraft, 'kind' | 'idType' | 'gender'>) => (value: string) =>
    onChange({ ...draft, [field]: value });

  return (
    <>
      {personOnly ? null : (
        <>
          <SelectField
            label={t('party.kind')}
            value={draft.kind}
            options={kinds}
            onChange={(kind) => onChange(setPartyKind(draft, kind))}
            error={errors['kind']}
            required
            autoFocus={autoFocus}
          />
          <TextField
            label={t('party.name')}
            value={draft.name}
            onChange={set('name')}
            error={errors['name']}
            required
          />
        </>
      )}
      <SelectField
        label={t('party.idType')}
        value={draft.idType}
        options={idTypes}
        onChange={(idType) => onChange({ ...draft, idType })}
        error={errors['idType']}
        required
      />
      <TextField
        label={t('party.idNumber')}
        value={draft.idNumber}
        onChange={set('idNumber')}
        error={errors['idNumber']}
        required
      />
      {draft.kind === 'organisation' ? (
        <TextField
          label={t('party.legalRepresentative')}
          value={draft.legalRepresentative}
          onChange={set('legalRepresentative')}
          error={errors['legalRepresentative']}
        />
      ) : null}
      <TextField
        label={t('party.contact')}
        type="tel"
        value={draft.contact}
        onChange={set('contact')}
        error={errors['contact']}
      />
      {draft.kind === 'person' ? (
        <>
          <SelectField
            label={t('party.gender')}
            value={draft.gender}
            options={[{ value: '', label: t('party.genderFromId') }, ...genders]}
            onChange={(gender) => onChange({ ...draft, gender: gender as PartyDraft['gender'] })}
            error={errors['gender']}
          />
          <TextField
            label={t('party.birthDate')}
            type="date"
            value={draft.birthDate}
            onChange={set('birthDate')}
            error={errors['birthDate']}
            hint={t('party.birthDateHint')}
          />
          <TextField
            label={t('party.ethnicity')}
            value={draft.ethnicity}
            onChange={set('ethnicity')}
            error={errors['ethnicity']}
          />
          <TextField
            label={t('party.employer')}
            value={draft.employer}
            onChange={set('employer')}
            error={errors['employer']}
          />
          <TextField
            label={t('party.position')}
            value={draft.position}
            onChange={set('position')}
            error={errors['position']}
          />
        </>
      ) : null}
      <TextField
        label={t('party.address')}
        value={draft.address}
        onChange={set('address')}
        error={errors['address']}
        wide
      />
    </>
  );
}

/** Paths of the party fields, for placing the core's issues. */
export const PARTY_FIELDS = [
  'kind',
  'name',
  'idType',
  'idNumber',
  'address',
  'contact',
  'legalRepresentative',
  'gender',
  'birthDate',
  'ethnicity',
  'employer',
  'position',
] as const;
