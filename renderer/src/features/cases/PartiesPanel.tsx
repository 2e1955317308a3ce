import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { partyInputSchema, type CaseDetailDto, type PartyDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useUser } from '../auth/AuthContext';
import { Dialog } from '../../ui/Dialog';
import { useEnumLabel } from '../../ui/enumLabels';
import { Form } from '../../ui/Form';
import { TextField } from '../../ui/Field';
import { useSubmit } from '../../ui/useSubmit';
import { validate } from '../../ui/fieldErrors';
import { emptyParty, partyDraftOf, partyInput, type PartyDraft } from './partyDraft';
import { canInvoke } from '../auth/permissions';
import { PARTY_FIELDS, PartyFields } from './PartyFields';

/** 当事人 of the case, and the add-party dialog. */
export function PartiesPanel({
  detail,
  onNotice,
}: {
  detail: CaseDetailDto;
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const label = useEnumLabel();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<PartyDto | null>(null);
  const mayEdit = canInvoke(user, 'cases.updateParty');
  const none = t('common.none');

  return (
    <section aria-labelledby="parties-title">
      <div className="panel__bar">
        <h2 id="parties-title" className="panel__title">
          {t('party.title')}
        </h2>
        {canInvoke(user, 'cases.addParty') ? (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            {t('party.add')}
          </button>
        ) : null}
      </div>
      {detail.parties.length === 0 ? (
        <p className="empty">{t('party.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('party.name')}</th>
                <th scope="col">{t('party.kind')}</th>
                <th scope="col">{t('party.idType')}</th>
                <th scope="col">{t('party.idNumber')}</th>
                <th scope="col">{t('party.legalRepresentative')}</th>
                <th scope="col">{t('party.contact')}</th>
                <th scope="col">{t('party.address')}</th>
                <th scope="col">{t('party.particulars')}</th>
                {mayEdit ? <th scope="col" aria-label={t('party.edit')} /> : null}
              </tr>
            </thead>
            <tbody>
              {detail.parties.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{label('partyKind', p.kind)}</td>
                  <td>{label('idType', p.idType)}</td>
                  <td className="mono">{p.idNumber}</td>
                  <td>{p.legalRepresentative ?? none}</td>
                  <td>{p.contact ?? none}</td>
                  <td className="clip">{p.address ?? none}</td>
                  <td>
                    {[
                      p.gender ? label('gender', p.gender) : null,
                      p.birthDate,
                      p.ethnicity,
                      [p.employer, p.position].filter(Boolean).join(' ') || null,
                    ]
                      .filter(Boolean)
                      .join('，') || none}
                  </td>
                  {mayEdit ? (
                    <td>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => setEditing(p)}
                      >
                        {t('party.edit')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <PartyDialog
          caseId={detail.id}
          party={editing}
          onClose={() => setEditing(null)}
          onDone={(name) => {
            setEditing(null);
            onNotice(t('party.updated', { name }));
          }}
        />
      ) : null}
      {adding ? (
        <PartyDialog
          caseId={detail.id}
          onClose={() => setAdding(false)}
          onDone={(name) => {
            setAdding(false);
            onNotice(t('party.added', { name }));
          }}
        />
      ) : null}
    </section>
  );
}

/** Adds a party, or (given one) completes and corrects its details. */
function PartyDialog({
  caseId,
  party: existing,
  onClose,
  onDone,
}: {
  caseId: number;
  party?: PartyDto;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const form = useSubmit();
  const [draft, setDraft] = useState<PartyDraft>(() =>
    existing ? partyDraftOf(existing) : emptyParty(),
  );
  const title = existing ? t('party.editTitle') : t('party.add');
  const [reason, setReason] = useState('');

  const onSubmit = () =>
    void form.submit({
      // The ID number is checked with the shared validators (in the schema) before sending.
      check: () => validate(partyInputSchema, partyInput(draft)),
      send: (party) =>
        existing
          ? client.invoke('cases.updateParty', {
              caseId,
              partyId: existing.id,
              party,
              ...(reason.trim() ? { reason: reason.trim() } : {}),
            })
          : client.invoke('cases.addParty', { caseId, party }),
      failure: { stripPrefix: 'party.', fields: PARTY_FIELDS },
      done: (party) => onDone(party.name),
    });

  return (
    <Dialog title={title} onClose={onClose} wide>
      <Form
        onSubmit={onSubmit}
        submitLabel={existing ? t('party.save') : t('party.add')}
        onCancel={onClose}
        label={title}
        grid
        {...form.status}
      >
        <PartyFields draft={draft} onChange={setDraft} errors={form.errors} />
        {existing ? (
          <TextField
            label={t('party.reason')}
            value={reason}
            onChange={setReason}
            hint={t('party.reasonHint')}
            wide
          />
        ) : null}
      </Form>
    </Dialog>
  );
}
