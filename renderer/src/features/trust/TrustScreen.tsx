/**
 * 证书与信任: who vouches for this workstation's seals (R4.3). The workstation's certificate
 * and whether the agency certificate register vouches for it; a certificate request made
 * here for the agency's CA and the issued certificate installed (or a PKCS#12 imported);
 * the register itself (register, withdraw, export); and the time-stamping authority.
 * Supervisors see it all; only administrators change it (the core checks every call).
 */
import { useCallback, useState } from 'react';
import { methods } from '@shared/api';
import type { RegisterEntryDto, TrustStatusDto } from '@shared/api/trust';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { formatDateTime } from '../../ui/time';
import { Dialog } from '../../ui/Dialog';
import { SelectField, TextAreaField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { formFailure, validate, type BannerMessage } from '../../ui/fieldErrors';
import { useDraft } from '../../ui/useDraft';
import { useSubmit } from '../../ui/useSubmit';
import { useSectionT } from '../../i18n/section';
import './trust.css';

/** What each panel of the screen is given. */
interface PanelProps {
  status: TrustStatusDto;
  /** Whether this user may change what the panel shows (the core checks again). */
  admin: boolean;
  onDone: (notice: string) => void;
}

/** A link that saves `text` as a file. */
function SaveLink({ text, name, label }: { text: string; name: string; label: string }) {
  const [href] = useState(() => URL.createObjectURL(new Blob([text], { type: 'text/plain' })));
  return (
    <a className="button button--small" href={href} download={name}>
      {label}
    </a>
  );
}

export function TrustScreen() {
  const t = useSectionT('trust');
  const client = useClient();
  const user = useUser();
  const admin = canInvoke(user, 'trust.addToRegister');
  const load = useCallback(() => client.invoke('trust.status', {}), [client]);
  const status = useResource(load, { keepStale: true });
  useCoreEvent('trust.changed', status.reload);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (text: string) => {
    setNotice(text);
    status.reload();
  };

  return (
    <section className="screen" aria-labelledby="trust-title">
      <div className="screen__head">
        <h1 id="trust-title">{t('title')}</h1>
      </div>
      <p className="muted trust__intro">{t('intro')}</p>
      {admin ? null : <p className="muted">{t('readOnly')}</p>}
      <Notice text={notice} />
      {!status.data ? (
        <LoadState error={status.error} onRetry={status.reload} />
      ) : (
        <>
          <WorkstationPanel status={status.data} />
          {admin ? <RequestPanel status={status.data} onDone={done} /> : null}
          <RegisterPanel status={status.data} admin={admin} onDone={done} />
          <TsaPanel status={status.data} admin={admin} onDone={done} />
          <KeystorePanel status={status.data} admin={admin} onDone={done} />
        </>
      )}
    </section>
  );
}

function WorkstationPanel({ status }: { status: TrustStatusDto }) {
  const t = useSectionT('trust');
  const w = status.workstation;
  return (
    <div className="panel" data-testid="trust-workstation">
      <h2 className="panel__title">{t('workstation.title')}</h2>
      {!w ? (
        <p className="muted">{t('workstation.none')}</p>
      ) : (
        <>
          <dl className="trust__facts">
            <dt>{t('workstation.subject')}</dt>
            <dd>{w.subject}</dd>
            <dt>{t('workstation.issuer')}</dt>
            <dd>{w.issuer}</dd>
            <dt>{t('workstation.fingerprint')}</dt>
            <dd className="trust__mono">{w.fingerprintSha256}</dd>
            <dt>{t('workstation.notAfter')}</dt>
            <dd>
              <DateTime ms={w.notAfter} />
            </dd>
            <dt>{t('workstation.source')}</dt>
            <dd>{t(`workstation.sources.${w.source}`)}</dd>
          </dl>
          <p className={w.vouchedByRegister ? 'trust__ok' : 'trust__warn'} role="status">
            {w.vouchedByRegister ? t('workstation.vouched') : t('workstation.notVouched')}
          </p>
        </>
      )}
    </div>
  );
}

function RequestPanel({ status, onDone }: Omit<PanelProps, 'admin'>) {
  const t = useSectionT('trust');
  const client = useClient();
  const make = useSubmit();
  const install = useSubmit();
  const importing = useSubmit();
  const [draft, , set] = useDraft(() => ({
    commonName: '',
    organization: '',
    certificatePem: '',
    password: '',
  }));
  const [p12, setP12] = useState<string | null>(null);
  const pending = status.pendingRequest;

  return (
    <div className="panel" data-testid="trust-request">
      <h2 className="panel__title">{t('request.title')}</h2>
      <p className="muted trust__intro">{t('request.intro')}</p>
      <Form
        label={t('request.make')}
        submitLabel={t('request.make')}
        grid
        {...make.status}
        onSubmit={() =>
          void make.submit({
            check: () =>
              validate(methods['trust.requestCertificate'].input, {
                commonName: draft.commonName,
                organization: draft.organization,
              }),
            send: (input) => client.invoke('trust.requestCertificate', input),
            done: () => onDone(t('request.made')),
          })
        }
      >
        <TextField
          label={t('request.commonName')}
          value={draft.commonName}
          onChange={set('commonName')}
          error={make.errors.commonName}
          required
        />
        <TextField
          label={t('request.organization')}
          value={draft.organization}
          onChange={set('organization')}
          error={make.errors.organization}
          required
        />
      </Form>
      {pending ? (
        <div className="trust__pending" data-testid="trust-pending">
          <h3>
            {t('request.pending', {
              subject: pending.subject,
              at: formatDateTime(Date.parse(pending.createdAt)),
            })}
          </h3>
          <textarea
            className="control trust__pem"
            readOnly
            value={pending.requestPem}
            aria-label={t('request.pending', { subject: pending.subject, at: '' })}
          />
          <div className="trust__actions">
            <SaveLink
              key={pending.requestPem}
              text={pending.requestPem}
              name="attest-workstation.csr"
              label={t('request.download')}
            />
          </div>
          <Form
            label={t('request.install')}
            submitLabel={t('request.install')}
            {...install.status}
            onSubmit={() =>
              void install.submit({
                check: () =>
                  validate(methods['trust.installCertificate'].input, {
                    certificatePem: draft.certificatePem,
                  }),
                send: (input) => client.invoke('trust.installCertificate', input),
                done: (w) => onDone(t('request.installed', { subject: w.subject })),
              })
            }
          >
            <TextAreaField
              label={t('request.certificate')}
              value={draft.certificatePem}
              onChange={set('certificatePem')}
              error={install.errors.certificatePem}
              rows={6}
              required
              wide
            />
          </Form>
        </div>
      ) : null}
      <div className="trust__section">
        <h3>{t('request.pkcs12')}</h3>
        <Form
          label={t('request.pkcs12')}
          submitLabel={t('request.import')}
          grid
          {...importing.status}
          onSubmit={() =>
            void importing.submit({
              check: () =>
                validate(methods['trust.importPkcs12'].input, {
                  fileBase64: p12 ?? '',
                  password: draft.password,
                }),
              send: (input) => client.invoke('trust.importPkcs12', input),
              done: (w) => onDone(t('request.imported', { subject: w.subject })),
            })
          }
        >
          <label className="field">
            <span className="field__label">{t('request.pkcs12File')}</span>
            <input
              type="file"
              accept=".p12,.pfx,application/x-pkcs12"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return setP12(null);
                void file.arrayBuffer().then((b) => {
                  let bin = '';
                  for (const byte of new Uint8Array(b)) bin += String.fromCharCode(byte);
                  setP12(btoa(bin));
                });
              }}
            />
          </label>
          <TextField
            type="password"
            autoComplete="off"
            label={t('request.pkcs12Password')}
            value={draft.password}
            onChange={set('password')}
            error={importing.errors.password}
          />
        </Form>
      </div>
    </div>
  );
}

function RegisterPanel({ status, admin, onDone }: PanelProps) {
  const t = useSectionT('trust');
  const client = useClient();
  const add = useSubmit();
  const [draft, setDraft, set] = useDraft(() => ({
    kind: 'ca' as 'ca' | 'workstation',
    certificatePem: '',
  }));
  const [withdrawing, setWithdrawing] = useState<RegisterEntryDto | null>(null);
  const [file, setFile] = useState<{ text: string; sha256: string } | null>(null);
  const [error, setError] = useState<BannerMessage | null>(null);
  const exportRegister = async () => {
    setError(null);
    try {
      setFile(await client.invoke('trust.registerFile', {}));
    } catch (e) {
      setError(formFailure(e).banner);
    }
  };

  return (
    <div className="panel" data-testid="trust-register">
      <h2 className="panel__title">{t('register.title')}</h2>
      <p className="muted trust__intro">{t('register.intro')}</p>
      {status.registerSha256 ? (
        <div className="trust__actions">
          <p className="trust__mono" data-testid="trust-register-sha">
            {t('register.sha256', { sha: status.registerSha256 })}
          </p>
          {file?.sha256 === status.registerSha256 ? (
            <SaveLink
              key={file.sha256}
              text={file.text}
              name="agency-register.json"
              label={t('register.export')}
            />
          ) : (
            <button
              type="button"
              className="button button--small"
              onClick={() => void exportRegister()}
            >
              {t('register.export')}
            </button>
          )}
        </div>
      ) : null}
      {error ? <ErrorBanner message={error} /> : null}
      {status.register.length === 0 ? (
        <p className="empty">{t('register.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('register.kind')}</th>
                <th scope="col">{t('register.subject')}</th>
                <th scope="col">{t('register.fingerprint')}</th>
                <th scope="col">{t('register.validUntil')}</th>
                <th scope="col">{t('register.added')}</th>
                <th scope="col">{t('register.status')}</th>
                {admin ? (
                  <th scope="col">
                    <span className="visually-hidden">{t('register.withdraw')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {status.register.map((e) => (
                <tr key={e.id} className={e.withdrawn ? 'is-inactive' : undefined}>
                  <td>{t(`register.kinds.${e.kind}`)}</td>
                  <th scope="row">{e.subject}</th>
                  <td className="trust__mono" title={e.fingerprintSha256}>
                    {e.fingerprintSha256.slice(0, 16)}…
                  </td>
                  <td>
                    <DateTime ms={e.notAfter} />
                  </td>
                  <td>
                    {e.addedBy}，<DateTime ms={e.addedAt} />
                  </td>
                  <td>
                    {e.withdrawn ? (
                      <>
                        {t('register.withdrawnValue', {
                          by: e.withdrawn.by,
                          at: formatDateTime(e.withdrawn.at),
                          reason: e.withdrawn.reason,
                        })}
                      </>
                    ) : (
                      t('register.active')
                    )}
                  </td>
                  {admin ? (
                    <td>
                      {e.withdrawn ? null : (
                        <button
                          type="button"
                          className="button button--small"
                          onClick={() => setWithdrawing(e)}
                        >
                          {t('register.withdraw')}
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {admin ? (
        <Form
          label={t('register.add')}
          submitLabel={t('register.add')}
          grid
          {...add.status}
          onSubmit={() =>
            void add.submit({
              check: () => validate(methods['trust.addToRegister'].input, draft),
              send: (input) => client.invoke('trust.addToRegister', input),
              done: (entry) => {
                setDraft((d) => ({ ...d, certificatePem: '' }));
                onDone(t('register.addedNotice', { subject: entry.subject }));
              },
            })
          }
        >
          <SelectField
            label={t('register.kind')}
            value={draft.kind}
            options={(['ca', 'workstation'] as const).map((k) => ({
              value: k,
              label: t(`register.kinds.${k}`),
            }))}
            onChange={set('kind')}
            required
          />
          <TextAreaField
            label={t('register.certificate')}
            value={draft.certificatePem}
            onChange={set('certificatePem')}
            error={add.errors.certificatePem}
            rows={6}
            required
            wide
          />
        </Form>
      ) : null}
      {withdrawing ? (
        <WithdrawDialog
          entry={withdrawing}
          onClose={() => setWithdrawing(null)}
          onDone={(subject) => {
            setWithdrawing(null);
            onDone(t('register.withdrawnNotice', { subject }));
          }}
        />
      ) : null}
    </div>
  );
}

function WithdrawDialog({
  entry,
  onClose,
  onDone,
}: {
  entry: RegisterEntryDto;
  onClose: () => void;
  onDone: (subject: string) => void;
}) {
  const t = useSectionT('trust');
  const client = useClient();
  const form = useSubmit();
  const [draft, , set] = useDraft(() => ({ reason: '' }));
  return (
    <Dialog title={t('register.withdrawTitle', { subject: entry.subject })} onClose={onClose}>
      <Form
        submitLabel={t('register.withdrawConfirm')}
        onCancel={onClose}
        {...form.status}
        onSubmit={() =>
          void form.submit({
            check: () =>
              validate(methods['trust.withdraw'].input, { id: entry.id, reason: draft.reason }),
            send: (input) => client.invoke('trust.withdraw', input),
            done: (e) => onDone(e.subject),
          })
        }
      >
        <TextAreaField
          label={t('register.reason')}
          value={draft.reason}
          onChange={set('reason')}
          error={form.errors.reason}
          required
        />
      </Form>
    </Dialog>
  );
}

function TsaPanel({ status, admin, onDone }: PanelProps) {
  const t = useSectionT('trust');
  const client = useClient();
  const form = useSubmit();
  const current = status.timeStampAuthority;
  const [draft, setDraft, set] = useDraft(() => ({
    url: current?.from === 'settings' ? current.url : '',
  }));
  const send = (url: string | null) =>
    void form.submit({
      check: () => validate(methods['trust.setTimeStampAuthority'].input, { url }),
      send: (input) => client.invoke('trust.setTimeStampAuthority', input),
      done: () => {
        if (url === null) setDraft({ url: '' });
        onDone(t('tsa.saved'));
      },
    });
  return (
    <div className="panel" data-testid="trust-tsa">
      <h2 className="panel__title">{t('tsa.title')}</h2>
      <p className="muted trust__intro">{t('tsa.intro')}</p>
      <p className={current ? undefined : 'trust__warn'} role="status">
        {current
          ? `${t('tsa.current', { url: current.url })}${current.from === 'environment' ? ` ${t('tsa.fromEnvironment')}` : ''}`
          : t('tsa.none')}
      </p>
      {admin ? (
        <>
          <Form
            label={t('tsa.title')}
            submitLabel={t('tsa.save')}
            {...form.status}
            onSubmit={() => send(draft.url.trim() || null)}
          >
            <TextField
              label={t('tsa.url')}
              value={draft.url}
              onChange={set('url')}
              error={form.errors.url}
              placeholder="http://tsa.example.gov.cn/tsr"
              wide
            />
          </Form>
          {current?.from === 'settings' ? (
            <button type="button" className="button" onClick={() => send(null)}>
              {t('tsa.clear')}
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function KeystorePanel({ status, admin, onDone }: PanelProps) {
  const t = useSectionT('trust');
  const client = useClient();
  const form = useSubmit();
  const [draft, , set] = useDraft(() => ({ reason: '' }));
  const k = status.keystore;
  return (
    <div className="panel" data-testid="trust-keystore">
      <h2 className="panel__title">{t('keystore.title')}</h2>
      {k.backend ? (
        <p className="trust__ok" role="status">
          {t('keystore.protected', { backend: k.backend })}
        </p>
      ) : (
        <>
          <p className="trust__warn" role="status">
            {t('keystore.none')}
          </p>
          {k.plainAccepted ? (
            <p>
              {t('keystore.accepted', {
                by: k.plainAccepted.by,
                at: formatDateTime(k.plainAccepted.at),
                reason: k.plainAccepted.reason,
              })}
            </p>
          ) : admin ? (
            <Form
              label={t('keystore.accept')}
              submitLabel={t('keystore.accept')}
              {...form.status}
              onSubmit={() =>
                void form.submit({
                  check: () => validate(methods['trust.acceptPlainSecrets'].input, draft),
                  send: (input) => client.invoke('trust.acceptPlainSecrets', input),
                  done: () => onDone(t('keystore.acceptedNotice')),
                })
              }
            >
              <TextAreaField
                label={t('keystore.reason')}
                value={draft.reason}
                onChange={set('reason')}
                error={form.errors.reason}
                required
                wide
              />
            </Form>
          ) : null}
        </>
      )}
    </div>
  );
}
