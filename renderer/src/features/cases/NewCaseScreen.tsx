import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { caseCreateSchema } from '@shared/api';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useEnumOptions } from '../../ui/enumLabels';
import { Checkbox, FieldGroup, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { useSubmit } from '../../ui/useSubmit';
import { caseInput, emptyCase, leadOf, setLead, toggleOfficer, type CaseDraft } from './caseDraft';
import { nestedErrors, validate } from '../../ui/fieldErrors';
import { navigate } from '../../app/useRoute';
import { routeHref } from '../../app/route';
import { OfficerPicker } from './OfficerPicker';
import { PARTY_FIELDS, PartyFields } from './PartyFields';
import { useDraft } from '../../ui/useDraft';

const CASE_FIELDS = [
  'caseNo',
  'cause',
  'matterKind',
  'origin.kind',
  'origin.source',
  'origin.reason',
  'origin.complainant',
  'origin.receivedAt',
  'emergency',
  'officerIds',
  ...PARTY_FIELDS.map((f) => `parties.0.${f}`),
];

/** 新建案件 (立案): number, cause, matter kind, origin (R1.2), officers (≥2, R1.3), first party. */
export function NewCaseScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const form = useSubmit();
  const [draft, setDraft, set] = useDraft<CaseDraft>(emptyCase);
  const loadOfficers = useCallback(() => client.invoke('officers.list', {}), [client]);
  const officers = useResource(loadOfficers);
  const matterKinds = useEnumOptions('matterKind');
  const originKinds = useEnumOptions('originKind');
  const e = form.errors;

  const onSubmit = () =>
    void form.submit({
      check: () => validate(caseCreateSchema, caseInput(draft)),
      send: (input) => client.invoke('cases.create', input),
      failure: { fields: CASE_FIELDS, conflict: { field: 'caseNo', key: 'caseNo' } },
      done: (created) => navigate({ name: 'case', id: created.id, tab: 'overview' }),
    });

  return (
    <section className="screen" aria-labelledby="new-case-title">
      <div className="screen__head">
        <h1 id="new-case-title">{t('caseForm.title')}</h1>
        <a className="button button--ghost" href={routeHref({ name: 'cases' })}>
          {t('detail.back')}
        </a>
      </div>
      <Form
        onSubmit={onSubmit}
        submitLabel={t('caseForm.submit')}
        label={t('caseForm.title')}
        onCancel={() => navigate({ name: 'cases' })}
        {...form.status}
      >
        <FieldGroup legend={t('caseForm.basics')} className="group--grid">
          <TextField
            label={t('caseForm.caseNo')}
            hint={t('caseForm.caseNoHint')}
            value={draft.caseNo}
            onChange={set('caseNo')}
            error={e['caseNo']}
            required
            autoFocus
          />
          <SelectField
            label={t('caseForm.matterKind')}
            value={draft.matterKind}
            options={matterKinds}
            placeholder={t('caseForm.chooseMatterKind')}
            onChange={set('matterKind')}
            error={e['matterKind']}
            required
          />
          <TextField
            label={t('caseForm.cause')}
            value={draft.cause}
            onChange={set('cause')}
            error={e['cause']}
            required
            wide
          />
        </FieldGroup>

        <FieldGroup legend={t('caseForm.origin')} className="group--grid">
          <SelectField
            label={t('caseForm.originKind')}
            value={draft.originKind}
            options={originKinds}
            onChange={set('originKind')}
            error={e['origin.kind']}
            required
          />
          <TextField
            label={t('caseForm.source')}
            hint={t('caseForm.sourceHint')}
            value={draft.source}
            onChange={set('source')}
            error={e['origin.source']}
          />
          {draft.originKind === 'complaint' ? (
            <TextField
              label={t('caseForm.complainant')}
              hint={t('caseForm.complainantHint')}
              value={draft.complainant}
              onChange={set('complainant')}
              error={e['origin.complainant']}
              required
            />
          ) : null}
          <TextField
            label={t('caseForm.receivedAt')}
            type="datetime-local"
            value={draft.receivedAt}
            onChange={set('receivedAt')}
            error={e['origin.receivedAt']}
          />
          <TextAreaField
            label={t('caseForm.reason')}
            value={draft.reason}
            onChange={set('reason')}
            error={e['origin.reason']}
            required
            wide
          />
          <TextAreaField
            label={t('caseForm.emergency')}
            value={draft.emergency}
            onChange={set('emergency')}
            error={e['emergency']}
            wide
          />
        </FieldGroup>

        <OfficerPicker
          officers={officers.data ?? []}
          selected={draft.officerIds}
          lead={leadOf(draft)}
          onToggle={(id, on) => setDraft((d) => toggleOfficer(d, id, on))}
          onLead={(id) => setDraft((d) => setLead(d, id))}
          error={e['officerIds']}
        />

        <FieldGroup legend={t('caseForm.party')} className="group--grid">
          <div className="field--wide">
            <Checkbox
              label={t('caseForm.addParty')}
              checked={draft.withParty}
              onChange={set('withParty')}
            />
          </div>
          {draft.withParty ? (
            <PartyFields
              draft={draft.party}
              onChange={set('party')}
              errors={nestedErrors(e, 'parties.0.')}
            />
          ) : null}
        </FieldGroup>
      </Form>
    </section>
  );
}
