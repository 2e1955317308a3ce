import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import type { CaseDetailDto, Phase } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { Dialog } from '../../ui/Dialog';
import { useEnumLabel } from '../../ui/enumLabels';
import { TextAreaField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { useSubmit } from '../../ui/useSubmit';
import { validate } from '../../ui/fieldErrors';

export function AdvancePhaseDialog({
  detail,
  to,
  onClose,
  onDone,
}: {
  detail: CaseDetailDto;
  to: Phase;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const label = useEnumLabel();
  const form = useSubmit();
  const [note, setNote] = useState('');

  const onSubmit = () =>
    void form.submit({
      check: () => validate(methods['cases.advancePhase'].input, { id: detail.id, to, note }),
      send: (input) => client.invoke('cases.advancePhase', input),
      failure: { fields: ['note'] },
      done: onDone,
    });

  return (
    <Dialog title={t('detail.advanceTitle')} onClose={onClose}>
      <p>
        {t('detail.advanceBody', {
          caseNo: detail.caseNo,
          from: label('phase', detail.phase),
          to: label('phase', to),
        })}
      </p>
      <Form
        onSubmit={onSubmit}
        submitLabel={t('common.confirm')}
        onCancel={onClose}
        label={t('detail.advanceTitle')}
        {...form.status}
      >
        <TextAreaField
          label={`${t('detail.advanceNote')}${t('common.optional')}`}
          value={note}
          onChange={setNote}
          error={form.errors['note']}
          rows={2}
        />
      </Form>
    </Dialog>
  );
}
