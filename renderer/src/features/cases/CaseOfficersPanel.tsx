import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import type { CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { Checkbox, SelectField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { useSubmit } from '../../ui/useSubmit';
import { validate } from '../../ui/fieldErrors';
import { canInvoke } from '../auth/permissions';

/** Officers handling the case (name, 执法证号, lead or assisting), and assigning more. */
export function CaseOfficersPanel({
  detail,
  onNotice,
}: {
  detail: CaseDetailDto;
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const user = useUser();
  return (
    <section aria-labelledby="case-officers-title" className="split">
      <div>
        <h2 id="case-officers-title" className="panel__title">
          {t('officers.onCase')}
        </h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('officers.name')}</th>
                <th scope="col">{t('officers.certificateNo')}</th>
                <th scope="col">{t('officers.role')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.officers.map((o) => (
                <tr key={o.officerId}>
                  <th scope="row">{o.name}</th>
                  <td className="mono">{o.certificateNo}</td>
                  <td>
                    {o.lead ? (
                      <span className="tag tag--accent">{t('officers.leadRole')}</span>
                    ) : (
                      t('officers.assistRole')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {canInvoke(user, 'cases.assignOfficer') ? (
        <AssignOfficerForm detail={detail} onNotice={onNotice} />
      ) : null}
    </section>
  );
}

function AssignOfficerForm({
  detail,
  onNotice,
}: {
  detail: CaseDetailDto;
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const form = useSubmit();
  const load = useCallback(() => client.invoke('officers.list', {}), [client]);
  const register = useResource(load);
  const [officerId, setOfficerId] = useState('');
  const [lead, setLead] = useState(false);

  const onCase = new Set(detail.officers.map((o) => o.officerId));
  const candidates = (register.data ?? []).filter((o) => o.active && !onCase.has(o.id));
  const options = candidates.map((o) => ({
    value: String(o.id),
    label: `${o.name}（${o.certificateNo}）`,
  }));

  const onSubmit = () =>
    void form.submit({
      check: () =>
        validate(methods['cases.assignOfficer'].input, {
          caseId: detail.id,
          officerId: officerId ? Number(officerId) : undefined,
          lead,
        }),
      send: (input) => client.invoke('cases.assignOfficer', input),
      failure: { fields: ['officerId'] },
      done: () => {
        const name = candidates.find((o) => String(o.id) === officerId)?.name ?? '';
        setOfficerId('');
        setLead(false);
        onNotice(t('officers.assigned', { name }));
      },
    });

  return (
    <div className="panel">
      <h3 className="panel__title">{t('officers.assign')}</h3>
      {register.data && candidates.length === 0 ? (
        <p className="muted">{t('officers.noneLeft')}</p>
      ) : (
        <Form
          onSubmit={onSubmit}
          submitLabel={t('officers.assign')}
          label={t('officers.assign')}
          {...form.status}
        >
          <SelectField
            label={t('officers.assignOfficer')}
            value={officerId}
            options={options}
            placeholder={t('officers.chooseOfficer')}
            onChange={setOfficerId}
            error={form.errors['officerId']}
            required
          />
          <Checkbox label={t('officers.makeLead')} checked={lead} onChange={setLead} />
        </Form>
      )}
    </div>
  );
}
