/**
 * An officer's own confirmation at a desk where someone else is signed in (R2.2 "officers
 * sign", R3.5): the named officer types their own username and password. The core checks
 * them like a sign-in; nothing here keeps them after the act.
 */
import { useTranslation } from 'react-i18next';
import type { OfficerConfirmation } from '@shared/domain';
import { TextField } from '../../ui/Field';

export const EMPTY_CONFIRMATION: OfficerConfirmation = { username: '', password: '' };

export function confirmationReady(c: OfficerConfirmation): boolean {
  return c.username.trim().length > 0 && c.password.length > 0;
}

export function OfficerConfirmFields({
  officerName,
  value,
  onChange,
  testId,
}: {
  officerName: string;
  value: OfficerConfirmation;
  onChange: (next: OfficerConfirmation) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="field officer-confirm" data-testid={testId}>
      <legend className="field__label">{t('officerConfirm.legend', { name: officerName })}</legend>
      <p className="field__hint">{t('officerConfirm.hint', { name: officerName })}</p>
      <TextField
        label={t('officerConfirm.username')}
        value={value.username}
        onChange={(username) => onChange({ ...value, username })}
        maxLength={64}
        required
      />
      <TextField
        label={t('officerConfirm.password')}
        type="password"
        value={value.password}
        onChange={(password) => onChange({ ...value, password })}
        maxLength={256}
        required
      />
    </fieldset>
  );
}
