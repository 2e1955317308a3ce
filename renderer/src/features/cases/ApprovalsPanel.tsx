import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import type { ApprovalDecision, ApprovalRole, CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useUser } from '../auth/AuthContext';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { SelectField, TextAreaField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { useSubmit } from '../../ui/useSubmit';
import { validate } from '../../ui/fieldErrors';
import { approvalRolesFor } from '@shared/rules/approvals';
import { canInvoke } from '../auth/permissions';

/** Internal approvals (承办人/审核人/批准人 with opinion and date, R1.4). */
export function ApprovalsPanel({
  detail,
  onNotice,
}: {
  detail: CaseDetailDto;
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const label = useEnumLabel();
  const mine = approvalRolesFor(
    user,
    detail.officers.map((o) => o.officerId),
  );
  return (
    <section aria-labelledby="approvals-title" className="split">
      <div>
        <h2 id="approvals-title" className="panel__title">
          {t('approvals.title')}
        </h2>
        {detail.approvals.length === 0 ? (
          <p className="empty">{t('approvals.empty')}</p>
        ) : (
          <ol className="approvals">
            {detail.approvals.map((a) => (
              <li key={a.id} className={`approval approval--${a.decision}`}>
                <div className="approval__head">
                  <strong>{label('approvalRole', a.role)}</strong>
                  <span className={`tag tag--${a.decision}`}>
                    {label('approvalDecision', a.decision)}
                  </span>
                  <span className="muted">
                    {t('approvals.by')}：{a.userName} · <DateTime ms={a.decidedAt} />
                  </span>
                </div>
                <p className="prewrap">{a.opinion}</p>
              </li>
            ))}
          </ol>
        )}
      </div>
      {canInvoke(user, 'cases.addApproval') ? (
        <ApprovalForm caseId={detail.id} mine={mine} onNotice={onNotice} />
      ) : null}
    </section>
  );
}

function ApprovalForm({
  caseId,
  mine,
  onNotice,
}: {
  caseId: number;
  /** The roles this user gives on this case (承办人: its own officers; 审核人, 批准人). */
  mine: ApprovalRole[];
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const user = useUser();
  const form = useSubmit();
  const roles = useEnumOptions('approvalRole', mine);
  const decisions = useEnumOptions('approvalDecision');
  const [role, setRole] = useState<ApprovalRole | ''>(mine[0] ?? '');
  const [decision, setDecision] = useState<ApprovalDecision>('agree');
  const [opinion, setOpinion] = useState('');

  const onSubmit = () =>
    void form.submit({
      check: () =>
        validate(methods['cases.addApproval'].input, { caseId, role, decision, opinion }),
      send: (input) => client.invoke('cases.addApproval', input),
      failure: { fields: ['role', 'decision', 'opinion'] },
      done: () => {
        setOpinion('');
        onNotice(t('approvals.added'));
      },
    });

  if (mine.length === 0)
    return (
      <div className="panel">
        <h3 className="panel__title">{t('approvals.add')}</h3>
        <p className="muted">{t('approvals.noRole')}</p>
      </div>
    );
  return (
    <div className="panel">
      <h3 className="panel__title">{t('approvals.add')}</h3>
      <p className="muted">{t('approvals.asUser', { name: user.displayName })}</p>
      <Form
        onSubmit={onSubmit}
        submitLabel={t('approvals.add')}
        label={t('approvals.add')}
        {...form.status}
      >
        <SelectField
          label={t('approvals.role')}
          value={role}
          options={roles}
          onChange={setRole}
          error={form.errors['role']}
          required
        />
        <SelectField
          label={t('approvals.decision')}
          value={decision}
          options={decisions}
          onChange={setDecision}
          error={form.errors['decision']}
          required
        />
        <TextAreaField
          label={t('approvals.opinion')}
          value={opinion}
          onChange={setOpinion}
          error={form.errors['opinion']}
          required
          rows={4}
        />
      </Form>
    </div>
  );
}
