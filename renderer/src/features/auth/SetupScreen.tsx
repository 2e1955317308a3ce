import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import { useClient } from '../../app/ClientContext';
import { useAuth } from './AuthContext';
import { TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { useSubmit } from '../../ui/useSubmit';
import { validate } from '../../ui/fieldErrors';
import { AuthLayout } from './AuthLayout';
import { useDraft } from '../../ui/useDraft';

/** First run: creates the administrator account (`auth.setup`). */
export function SetupScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const auth = useAuth();
  const form = useSubmit();
  const [draft, , set] = useDraft({
    username: '',
    displayName: '',
    password: '',
    confirm: '',
  });

  const onSubmit = () =>
    void form.submit({
      check: () => {
        const { confirm, ...input } = draft;
        const checked = validate(methods['auth.setup'].input, input);
        // The second password is the UI's own check; the core never sees it.
        if (confirm !== draft.password)
          return {
            ok: false,
            fields: {
              ...(checked.ok ? {} : checked.fields),
              confirm: { key: 'errors.field.passwordMismatch' },
            },
          };
        return checked;
      },
      send: (input) => client.invoke('auth.setup', input),
      failure: { conflict: { field: 'username', key: 'username' } },
      done: (user) => auth.setupDone(user.username),
    });

  return (
    <AuthLayout title={t('setup.title')}>
      <p className="auth__intro">{t('setup.intro')}</p>
      <Form
        onSubmit={onSubmit}
        submitLabel={t('setup.submit')}
        label={t('setup.title')}
        {...form.status}
      >
        <TextField
          label={t('setup.username')}
          hint={t('setup.usernameHint')}
          value={draft.username}
          onChange={set('username')}
          error={form.errors['username']}
          required
          autoComplete="username"
          autoFocus
        />
        <TextField
          label={t('setup.displayName')}
          value={draft.displayName}
          onChange={set('displayName')}
          error={form.errors['displayName']}
          required
          autoComplete="name"
        />
        <TextField
          label={t('setup.password')}
          hint={t('setup.passwordHint')}
          type="password"
          value={draft.password}
          onChange={set('password')}
          error={form.errors['password']}
          required
          autoComplete="new-password"
        />
        <TextField
          label={t('setup.passwordConfirm')}
          type="password"
          value={draft.confirm}
          onChange={set('confirm')}
          error={form.errors['confirm']}
          required
          autoComplete="new-password"
        />
      </Form>
    </AuthLayout>
  );
}
