import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import { useAuth } from './AuthContext';
import { Notice } from '../../ui/Banner';
import { TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { useSubmit } from '../../ui/useSubmit';
import { validate } from '../../ui/fieldErrors';
import { AuthLayout } from './AuthLayout';

export function SignInScreen({ justCreated }: { justCreated?: string | undefined }) {
  const { t } = useTranslation();
  const auth = useAuth();
  const form = useSubmit();
  const [username, setUsername] = useState(justCreated ?? '');
  const [password, setPassword] = useState('');

  const onSubmit = () =>
    void form.submit({
      check: () => validate(methods['auth.signIn'].input, { username, password }),
      send: (input) => auth.signIn(input.username, input.password),
    });

  return (
    <AuthLayout title={t('signIn.title')}>
      {justCreated ? <Notice text={t('setup.done')} /> : null}
      <Form
        onSubmit={onSubmit}
        submitLabel={t('signIn.submit')}
        label={t('signIn.title')}
        {...form.status}
      >
        <TextField
          label={t('signIn.username')}
          value={username}
          onChange={setUsername}
          error={form.errors['username']}
          required
          autoComplete="username"
          autoFocus={!justCreated}
        />
        <TextField
          label={t('signIn.password')}
          type="password"
          value={password}
          onChange={setPassword}
          error={form.errors['password']}
          required
          autoComplete="current-password"
          autoFocus={Boolean(justCreated)}
        />
      </Form>
    </AuthLayout>
  );
}
