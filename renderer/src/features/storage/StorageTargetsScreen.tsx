/**
 * 存储设置 (admin): the storage targets sealed bundles are replicated to within 24 hours
 * (R4.1): a shared folder, SFTP, WebDAV or S3-compatible object storage, several at once.
 * Secrets are password inputs, sent once and never shown again (the core returns only which
 * fields are set). Targets are never deleted (their copies and jobs refer to them): a retired
 * one is disabled. "测试" puts a small probe on the target and reads it back.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import type { StorageTargetDto, StorageTestResultDto } from '@shared/api/storage';
import { SECRET_FIELDS, TARGET_KINDS, type StorageTargetKind } from '@shared/api/storage';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { Dialog } from '../../ui/Dialog';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { useSubmit } from '../../ui/useSubmit';
import { formFailure, validate, type BannerMessage, type FieldErrors } from '../../ui/fieldErrors';
import { useSectionT } from '../../i18n/section';
import { useDraft } from '../../ui/useDraft';
import './storage.css';

type SecretField =
  'password' | 'privateKey' | 'passphrase' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken';

interface Draft {
  name: string;
  kind: StorageTargetKind;
  path: string;
  host: string;
  port: string;
  username: string;
  remotePath: string;
  hostKeySha256: string;
  url: string;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  objectLock: 'auto' | 'required' | 'off';
  secret: Record<SecretField, string>;
}

const NO_SECRET: Record<SecretField, string> = {
  password: '',
  privateKey: '',
  passphrase: '',
  accessKeyId: '',
  secretAccessKey: '',
  sessionToken: '',
};

const EMPTY: Draft = {
  name: '',
  kind: 'folder',
  path: '',
  host: '',
  port: '',
  username: '',
  remotePath: '',
  hostKeySha256: '',
  url: '',
  endpoint: '',
  region: '',
  bucket: '',
  prefix: '',
  forcePathStyle: false,
  objectLock: 'auto',
  secret: NO_SECRET,
};

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A draft from a target's configuration (secrets stay empty: they are never read back). */
function draftOf(t: StorageTargetDto): Draft {
  const c = t.config;
  return {
    ...EMPTY,
    name: t.name,
    kind: t.kind,
    path: t.kind === 'folder' ? str(c.path) : '',
    remotePath: t.kind === 'sftp' ? str(c.path) : '',
    host: str(c.host),
    port: str(c.port),
    username: str(c.username),
    hostKeySha256: str(c.hostKeySha256),
    url: str(c.url),
    endpoint: str(c.endpoint),
    region: str(c.region),
    bucket: str(c.bucket),
    prefix: str(c.prefix),
    forcePathStyle: c.forcePathStyle === true,
    objectLock: (c.objectLock as Draft['objectLock'] | undefined) ?? 'auto',
  };
}

/** The configuration of the draft's kind, without empty optional fields. */
function configOf(d: Draft): Record<string, unknown> {
  const opt = (k: string, v: string) => (v.trim() ? { [k]: v.trim() } : {});
  switch (d.kind) {
    case 'folder':
      return { path: d.path.trim() };
    case 'sftp':
      return {
        host: d.host.trim(),
        ...(d.port.trim() ? { port: Number(d.port) } : {}),
        username: d.username.trim(),
        path: d.remotePath.trim(),
        hostKeySha256: d.hostKeySha256.trim(),
      };
    case 'webdav':
      return { url: d.url.trim(), ...opt('username', d.username) };
    case 's3':
      return {
        ...opt('endpoint', d.endpoint),
        region: d.region.trim(),
        bucket: d.bucket.trim(),
        ...opt('prefix', d.prefix),
        ...(d.forcePathStyle ? { forcePathStyle: true } : {}),
        objectLock: d.objectLock,
      };
  }
}

/** The secret fields typed for the draft's kind (none typed: undefined). */
function secretOf(d: Draft): Record<string, string> | undefined {
  const typed = Object.fromEntries(
    SECRET_FIELDS[d.kind].map((f) => [f, d.secret[f as SecretField]]).filter(([, v]) => v),
  ) as Record<string, string>;
  return Object.keys(typed).length > 0 ? typed : undefined;
}

/** One line describing where a target puts the copies (no secret is ever in a config). */
function describe(t: StorageTargetDto): string {
  const c = t.config;
  switch (t.kind) {
    case 'folder':
      return str(c.path);
    case 'sftp':
      return `${str(c.username)}@${str(c.host)}${c.port ? `:${str(c.port)}` : ''}${str(c.path)}`;
    case 'webdav':
      return `${str(c.url)}${c.username ? ` (${str(c.username)})` : ''}`;
    case 's3':
      return `${str(c.endpoint) || 'AWS'} · ${str(c.bucket)}/${str(c.prefix)}`;
  }
}

export function StorageTargetsScreen() {
  const t = useSectionT('storage');
  const client = useClient();
  const load = useCallback(() => client.invoke('storage.targets.list', {}), [client]);
  const targets = useResource(load, { keepStale: true });
  useCoreEvent('storage.targets.changed', targets.reload);
  useCoreEvent('replication.changed', targets.reload);
  const [notice, setNotice] = useState<string | null>(null);
  const [rowError, setRowError] = useState<BannerMessage | null>(null);
  const [editing, setEditing] = useState<StorageTargetDto | null>(null);
  const [testing, setTesting] = useState<number | null>(null);
  const [tested, setTested] = useState<(StorageTestResultDto & { name: string }) | null>(null);

  const setEnabled = async (target: StorageTargetDto, enabled: boolean) => {
    setRowError(null);
    try {
      await client.invoke('storage.targets.setEnabled', { id: target.id, enabled });
      targets.reload();
    } catch (e) {
      setRowError(formFailure(e).banner);
    }
  };
  const test = async (target: StorageTargetDto) => {
    setRowError(null);
    setTested(null);
    setTesting(target.id);
    try {
      const result = await client.invoke('storage.test', { targetId: target.id });
      setTested({ ...result, name: target.name });
    } catch (e) {
      setRowError(formFailure(e).banner);
    } finally {
      setTesting(null);
    }
  };

  return (
    <section className="screen" aria-labelledby="storage-title">
      <div className="screen__head">
        <h1 id="storage-title">{t('title')}</h1>
      </div>
      <p className="muted storage__intro">{t('intro')}</p>
      <TargetForm
        onDone={(name) => {
          setNotice(t('created', { name }));
          targets.reload();
        }}
      />
      <Notice text={notice} />
      {rowError ? <ErrorBanner message={rowError} /> : null}
      {tested ? (
        <p
          className={tested.ok ? 'storage__test-ok' : 'storage__test-fail'}
          role="status"
          data-testid="storage-test-result"
        >
          {tested.ok
            ? tested.removed
              ? t('testOk', { name: tested.name, ms: tested.durationMs })
              : t('testOkKept', {
                  name: tested.name,
                  ms: tested.durationMs,
                  probe: tested.remoteName,
                })
            : t('testFail', { name: tested.name, error: tested.error ?? '' })}
        </p>
      ) : null}
      {!targets.data ? (
        <LoadState error={targets.error} onRetry={targets.reload} />
      ) : targets.data.length === 0 ? (
        <p className="empty">{t('empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="storage-targets">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('config')}</th>
                <th scope="col">{t('secrets')}</th>
                <th scope="col">{t('jobs')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {targets.data.map((target) => (
                <tr key={target.id} className={target.enabled ? undefined : 'is-inactive'}>
                  <th scope="row">{target.name}</th>
                  <td>{t(`kinds.${target.kind}`)}</td>
                  <td className="storage__config">{describe(target)}</td>
                  <td>
                    {target.secretFields.length
                      ? t('secretSet', {
                          fields: target.secretFields
                            .map((f) => t(`fields.${f as SecretField}`))
                            .join('、'),
                        })
                      : t('secretNone')}
                  </td>
                  <td>
                    {t('jobsValue', {
                      stored: target.jobs.stored,
                      pending: target.jobs.pending,
                    })}
                  </td>
                  <td>{target.enabled ? t('enabled') : t('disabled')}</td>
                  <td>
                    <div className="storage__actions">
                      <button
                        type="button"
                        className="button button--small"
                        disabled={testing !== null}
                        onClick={() => void test(target)}
                      >
                        {testing === target.id ? t('testing') : t('test')}
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => setEditing(target)}
                      >
                        {t('edit')}
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => void setEnabled(target, !target.enabled)}
                      >
                        {target.enabled ? t('disable') : t('enable')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <Dialog
          title={t('editTitle', { name: editing.name })}
          onClose={() => setEditing(null)}
          wide
        >
          <TargetForm
            target={editing}
            onDone={(name) => {
              setEditing(null);
              setNotice(t('saved', { name }));
              targets.reload();
            }}
            onCancel={() => setEditing(null)}
          />
        </Dialog>
      ) : null}
    </section>
  );
}

/** Adds a target, or (with `target`) changes one: its kind stays; secrets typed replace it. */
function TargetForm({
  target,
  onDone,
  onCancel,
}: {
  target?: StorageTargetDto;
  onDone: (name: string) => void;
  onCancel?: () => void;
}) {
  const t = useSectionT('storage');
  const { t: tApp } = useTranslation();
  const client = useClient();
  const form = useSubmit();
  const [draft, setDraft, set] = useDraft<Draft>(() => (target ? draftOf(target) : EMPTY));
  const setSecret = (field: SecretField) => (value: string) =>
    setDraft((d) => ({ ...d, secret: { ...d.secret, [field]: value } }));
  const e: FieldErrors = form.errors;
  const optional = tApp('common.optional');

  const onSubmit = () => {
    const secret = secretOf(draft);
    if (target) {
      void form.submit({
        check: () =>
          validate(methods['storage.targets.update'].input, {
            id: target.id,
            name: draft.name,
            config: configOf(draft),
            ...(secret ? { secret } : {}),
          }),
        send: (input) => client.invoke('storage.targets.update', input),
        done: (saved) => onDone(saved.name),
      });
      return;
    }
    void form.submit({
      check: () =>
        validate(methods['storage.targets.create'].input, {
          kind: draft.kind,
          name: draft.name,
          config: configOf(draft),
          ...(secret || draft.kind === 'sftp' || draft.kind === 's3'
            ? { secret: secret ?? {} }
            : {}),
        }),
      send: (input) => client.invoke('storage.targets.create', input),
      done: (created) => {
        setDraft(EMPTY);
        onDone(created.name);
      },
    });
  };

  const secretField = (field: SecretField, multiline = false) =>
    multiline ? (
      <TextAreaField
        key={field}
        label={`${t(`fields.${field}`)}${optional}`}
        hint={target ? t('secretKeep') : t('secretHint')}
        value={draft.secret[field]}
        onChange={setSecret(field)}
        error={e[`secret.${field}`]}
        rows={3}
      />
    ) : (
      <TextField
        key={field}
        type="password"
        autoComplete="new-password"
        label={t(`fields.${field}`)}
        hint={target ? t('secretKeep') : t('secretHint')}
        value={draft.secret[field]}
        onChange={setSecret(field)}
        error={e[`secret.${field}`]}
      />
    );

  const body = (
    <>
      <TextField
        label={t('name')}
        value={draft.name}
        onChange={set('name')}
        error={e.name}
        required
      />
      {target ? null : (
        <SelectField
          label={t('kind')}
          value={draft.kind}
          options={TARGET_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          onChange={(kind) => setDraft((d) => ({ ...d, kind, secret: NO_SECRET }))}
          required
        />
      )}
      {draft.kind === 'folder' ? (
        <TextField
          label={t('fields.path')}
          value={draft.path}
          onChange={set('path')}
          error={e['config.path']}
          required
          wide
        />
      ) : null}
      {draft.kind === 'sftp' ? (
        <>
          <TextField
            label={t('fields.host')}
            value={draft.host}
            onChange={set('host')}
            error={e['config.host']}
            required
          />
          <TextField
            label={`${t('fields.port')}${optional}`}
            value={draft.port}
            onChange={set('port')}
            error={e['config.port']}
            inputMode="numeric"
          />
          <TextField
            label={t('fields.username')}
            value={draft.username}
            onChange={set('username')}
            error={e['config.username']}
            required
          />
          <TextField
            label={t('fields.remotePath')}
            value={draft.remotePath}
            onChange={set('remotePath')}
            error={e['config.path']}
            required
          />
          <TextField
            label={t('fields.hostKeySha256')}
            value={draft.hostKeySha256}
            onChange={set('hostKeySha256')}
            error={e['config.hostKeySha256']}
            required
            wide
          />
          {secretField('password')}
          {secretField('passphrase')}
          {secretField('privateKey', true)}
        </>
      ) : null}
      {draft.kind === 'webdav' ? (
        <>
          <TextField
            label={t('fields.url')}
            value={draft.url}
            onChange={set('url')}
            error={e['config.url']}
            required
            wide
          />
          <TextField
            label={`${t('fields.username')}${optional}`}
            value={draft.username}
            onChange={set('username')}
            error={e['config.username']}
          />
          {secretField('password')}
        </>
      ) : null}
      {draft.kind === 's3' ? (
        <>
          <TextField
            label={`${t('fields.endpoint')}${optional}`}
            value={draft.endpoint}
            onChange={set('endpoint')}
            error={e['config.endpoint']}
            wide
          />
          <TextField
            label={t('fields.region')}
            value={draft.region}
            onChange={set('region')}
            error={e['config.region']}
            required
          />
          <TextField
            label={t('fields.bucket')}
            value={draft.bucket}
            onChange={set('bucket')}
            error={e['config.bucket']}
            required
          />
          <TextField
            label={`${t('fields.prefix')}${optional}`}
            value={draft.prefix}
            onChange={set('prefix')}
            error={e['config.prefix']}
          />
          <SelectField
            label={t('fields.objectLock')}
            value={draft.objectLock}
            options={(['auto', 'required', 'off'] as const).map((v) => ({
              value: v,
              label: t(`objectLock.${v}`),
            }))}
            onChange={set('objectLock')}
          />
          <Checkbox
            label={t('fields.forcePathStyle')}
            checked={draft.forcePathStyle}
            onChange={set('forcePathStyle')}
          />
          {secretField('accessKeyId')}
          {secretField('secretAccessKey')}
          {secretField('sessionToken')}
        </>
      ) : null}
    </>
  );

  return target ? (
    <Form onSubmit={onSubmit} submitLabel={t('save')} onCancel={onCancel} grid {...form.status}>
      {body}
    </Form>
  ) : (
    <div className="panel">
      <h2 className="panel__title">{t('add')}</h2>
      <Form onSubmit={onSubmit} submitLabel={t('add')} label={t('add')} grid {...form.status}>
        {body}
      </Form>
    </div>
  );
}
