import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { Notice } from '../../ui/Banner';
import { Checkbox, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { useSubmit } from '../../ui/useSubmit';
import { validate } from '../../ui/fieldErrors';
import { canInvoke } from '../auth/permissions';
import { useDraft } from '../../ui/useDraft';

const EMPTY = { name: '', certificateNo: '', unit: '' };

/** 执法人员 register: name and 执法证号 (shown to the party, R1.3). */
export function OfficersScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const user = useUser();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () => client.invoke('officers.list', { includeInactive }),
    [client, includeInactive],
  );
  const officers = useResource(load, { keepStale: true });

  return (
    <section className="screen" aria-labelledby="officers-title">
      <div className="screen__head">
        <h1 id="officers-title">{t('officers.title')}</h1>
      </div>
      {canInvoke(user, 'officers.create') ? (
        <RegisterOfficerForm
          onDone={(name) => {
            setNotice(t('officers.created', { name }));
            officers.reload();
          }}
        />
      ) : null}
      <Notice text={notice} />
      <div className="toolbar">
        <Checkbox
          label={t('common.showInactive')}
          checked={includeInactive}
          onChange={setIncludeInactive}
        />
      </div>
      {!officers.data ? (
        <LoadState error={officers.error} onRetry={officers.reload} />
      ) : officers.data.length === 0 ? (
        <p className="empty">{t('officers.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="officers-table">
            <thead>
              <tr>
                <th scope="col">{t('officers.name')}</th>
                <th scope="col">{t('officers.certificateNo')}</th>
                <th scope="col">{t('officers.unit')}</th>
                <th scope="col">{t('officers.status')}</th>
              </tr>
            </thead>
            <tbody>
              {officers.data.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.name}</th>
                  <td className="mono">{o.certificateNo}</td>
                  <td>{o.unit ?? t('common.none')}</td>
                  <td>
                    {o.active ? (
                      t('common.active')
                    ) : (
                      <span className="muted">{t('common.inactive')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RegisterOfficerForm({ onDone }: { onDone: (name: string) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const form = useSubmit();
  const [draft, setDraft, set] = useDraft(EMPTY);

  const onSubmit = () =>
    void form.submit({
      check: () => validate(methods['officers.create'].input, draft),
      send: (input) => client.invoke('officers.create', input),
      failure: {
        fields: ['name', 'certificateNo', 'unit'],
        conflict: { field: 'certificateNo', key: 'certificateNo' },
      },
      done: (officer) => {
        setDraft(EMPTY);
        onDone(officer.name);
      },
    });

  return (
    <div className="panel">
      <h2 className="panel__title">{t('officers.register')}</h2>
      <Form
        onSubmit={onSubmit}
        submitLabel={t('officers.register')}
        label={t('officers.register')}
        grid
        className="form--inline"
        {...form.status}
      >
        <TextField
          label={t('officers.name')}
          value={draft.name}
          onChange={set('name')}
          error={form.errors['name']}
          required
        />
        <TextField
          label={t('officers.certificateNo')}
          hint={t('officers.certificateHint')}
          value={draft.certificateNo}
          onChange={set('certificateNo')}
          error={form.errors['certificateNo']}
          required
        />
        <TextField
          label={`${t('officers.unit')}${t('common.optional')}`}
          value={draft.unit}
          onChange={set('unit')}
          error={form.errors['unit']}
        />
      </Form>
    </div>
  );
}
