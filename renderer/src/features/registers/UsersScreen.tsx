import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import { USER_ROLES, type UserDto, type UserRole } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel } from '../../ui/enumLabels';
import { Checkbox, FieldGroup, SelectField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { useSubmit } from '../../ui/useSubmit';
import { formFailure, validate, type BannerMessage } from '../../ui/fieldErrors';
import { useDraft } from '../../ui/useDraft';

interface UserDraft {
  username: string;
  displayName: string;
  password: string;
  roles: UserRole[];
  officerId: string;
}
const EMPTY: UserDraft = { username: '', displayName: '', password: '', roles: [], officerId: '' };

/** 用户管理 (administrators): accounts, their roles, the officer each one is. */
export function UsersScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const me = useUser();
  const label = useEnumLabel();
  const [notice, setNotice] = useState<string | null>(null);
  const [rowError, setRowError] = useState<BannerMessage | null>(null);
  const loadUsers = useCallback(() => client.invoke('users.list', {}), [client]);
  const users = useResource(loadUsers);
  const loadOfficers = useCallback(() => client.invoke('officers.list', {}), [client]);
  const officers = useResource(loadOfficers);
  const officerName = (id: number | null) =>
    officers.data?.find((o) => o.id === id)?.name ?? t('common.none');

  const setDisabled = async (user: UserDto, disabled: boolean) => {
    setRowError(null);
    try {
      await client.invoke('users.setDisabled', { id: user.id, disabled });
      users.reload();
    } catch (e) {
      setRowError(formFailure(e).banner);
    }
  };

  return (
    <section className="screen" aria-labelledby="users-title">
      <div className="screen__head">
        <h1 id="users-title">{t('users.title')}</h1>
      </div>
      <CreateUserForm
        officers={officers.data ?? []}
        onDone={(name) => {
          setNotice(t('users.created', { name }));
          users.reload();
        }}
      />
      <Notice text={notice} />
      {rowError ? <ErrorBanner message={rowError} /> : null}
      {!users.data ? (
        <LoadState error={users.error} onRetry={users.reload} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('users.username')}</th>
                <th scope="col">{t('users.displayName')}</th>
                <th scope="col">{t('users.roles')}</th>
                <th scope="col">{t('users.officer')}</th>
                <th scope="col">{t('users.createdAt')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id} className={u.disabled ? 'is-inactive' : undefined}>
                  <th scope="row" className="mono">
                    {u.username}
                  </th>
                  <td>
                    {u.displayName}
                    {u.id === me.id ? <span className="muted"> {t('users.self')}</span> : null}
                  </td>
                  <td>{u.roles.map((r) => label('userRole', r)).join('、')}</td>
                  <td>{officerName(u.officerId)}</td>
                  <td>
                    <DateTime ms={u.createdAt} />
                  </td>
                  <td>{u.disabled ? t('users.disabled') : t('users.enabled')}</td>
                  <td>
                    {/* An administrator cannot lock themselves out from here. */}
                    {u.id === me.id ? null : (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void setDisabled(u, !u.disabled)}
                        aria-label={t(u.disabled ? 'users.enableNamed' : 'users.disableNamed', {
                          name: u.displayName,
                        })}
                      >
                        {u.disabled ? t('users.enable') : t('users.disable')}
                      </button>
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

function CreateUserForm({
  officers,
  onDone,
}: {
  officers: readonly { id: number; name: string; certificateNo: string }[];
  onDone: (name: string) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const label = useEnumLabel();
  const form = useSubmit();
  const [draft, setDraft, set] = useDraft<UserDraft>(EMPTY);
  const toggleRole = (role: UserRole, on: boolean) =>
    setDraft((d) => ({
      ...d,
      roles: on
        ? USER_ROLES.filter((r) => r === role || d.roles.includes(r))
        : d.roles.filter((r) => r !== role),
    }));
  const e = form.errors;
  const officerOptions = [
    { value: '', label: t('users.noOfficer') },
    ...officers.map((o) => ({ value: String(o.id), label: `${o.name}（${o.certificateNo}）` })),
  ];

  const onSubmit = () =>
    void form.submit({
      check: () =>
        validate(methods['users.create'].input, {
          username: draft.username,
          displayName: draft.displayName,
          password: draft.password,
          roles: draft.roles,
          ...(draft.officerId ? { officerId: Number(draft.officerId) } : {}),
        }),
      send: (input) => client.invoke('users.create', input),
      failure: {
        fields: ['username', 'displayName', 'password', 'roles', 'officerId'],
        conflict: { field: 'username', key: 'username' },
      },
      done: (user) => {
        setDraft(EMPTY);
        onDone(user.displayName);
      },
    });

  return (
    <div className="panel">
      <h2 className="panel__title">{t('users.create')}</h2>
      <Form
        onSubmit={onSubmit}
        submitLabel={t('users.create')}
        label={t('users.create')}
        grid
        {...form.status}
      >
        <TextField
          label={t('users.username')}
          hint={t('setup.usernameHint')}
          value={draft.username}
          onChange={set('username')}
          error={e['username']}
          required
        />
        <TextField
          label={t('users.displayName')}
          value={draft.displayName}
          onChange={set('displayName')}
          error={e['displayName']}
          required
        />
        <TextField
          label={t('users.password')}
          hint={t('setup.passwordHint')}
          type="password"
          value={draft.password}
          onChange={set('password')}
          error={e['password']}
          required
          autoComplete="new-password"
        />
        <SelectField
          label={t('users.officer')}
          value={draft.officerId}
          options={officerOptions}
          onChange={set('officerId')}
          error={e['officerId']}
        />
        <FieldGroup
          legend={t('users.roles')}
          error={e['roles']}
          className="group--wide group--inline"
        >
          {USER_ROLES.map((role) => (
            <Checkbox
              key={role}
              label={label('userRole', role)}
              checked={draft.roles.includes(role)}
              onChange={(on) => toggleRole(role, on)}
            />
          ))}
        </FieldGroup>
      </Form>
    </div>
  );
}
