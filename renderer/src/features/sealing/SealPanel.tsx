/**
 * The session screen's seal panel (R4.1, R4.3, R4.4, R5.1): once the recording has
 * ended and the record is signed, "封存" seals it; then the bundle's facts (sealed at, where,
 * the tag manifest's hash), "核验" with the verification report, and the 24-hour storage
 * deadline per target ("须于 … 前存储" counting down, amber within 4 hours, red after,
 * green once a copy was read back). Everything comes from the core, so a reload shows the
 * same. There is no delete and no edit: a sealed bundle is read-only (R4.3).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { methods } from '@shared/api';
import type { SessionDto } from '@shared/domain';
import { allowedRetentionChoices } from '@shared/rules/retention';
import { ComplianceList } from '../casework/ComplianceList';
import {
  type ListedBundleDto as BundleDto,
  type RetentionChoice,
  type SealCheckDto,
} from '@shared/api/sealing';
import { type ReplicationStatusDto } from '@shared/api/storage';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { Dialog } from '../../ui/Dialog';
import { FieldGroup, TextAreaField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { useSubmit } from '../../ui/useSubmit';
import { formFailure, validate, type BannerMessage } from '../../ui/fieldErrors';
import { canInvoke, rolesAllowed } from '../auth/permissions';
import { useEnumLabel } from '../../ui/enumLabels';
import { formatDate, formatDateTime } from '../../ui/time';
import { deadlineView, formatBytes, type Span } from './deadline';
import { useSectionT, type SectionT } from '../../i18n/section';
import { Verification } from './Verification';
import './sealing.css';

function spanText(t: SectionT<'sealing'>, s: Span | null): string {
  return s ? t(`storage.${s.key}`, s.values) : '';
}

export function SealPanel({ session }: { session: SessionDto }) {
  const t = useSectionT('sealing');
  const client = useClient();
  const sessionId = session.id;
  const loadCheck = useCallback(
    () => client.invoke('sessions.sealCheck', { id: sessionId }),
    [client, sessionId],
  );
  const loadBundles = useCallback(
    () => client.invoke('bundles.list', { sessionId }),
    [client, sessionId],
  );
  const check = useResource(loadCheck);
  const bundles = useResource(loadBundles);
  const reload = () => {
    check.reload();
    bundles.reload();
  };
  useCoreEvent('bundle.changed', (e) => {
    if (e.sessionId === sessionId) reload();
  });
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === session.caseId) reload();
  });
  useCoreEvent('signing.changed', (e) => {
    if (e.sessionId === sessionId) check.reload();
  });
  // A hearing waits for its report, signed by the moderator.
  useCoreEvent('hearings.reportChanged', (e) => {
    if (e.sessionId === sessionId) check.reload();
  });

  // Sealing comes after the recording; before that the panel stays out of the way.
  if (session.status === 'planned' || session.status === 'recording') return null;
  const bundle = bundles.data?.[0];
  return (
    <section className="panel seal" aria-labelledby="seal-title" data-testid="seal-panel">
      <h2 id="seal-title" className="panel__title">
        {t('panel.title')}
      </h2>
      {!check.data || !bundles.data ? (
        <LoadState error={check.error ?? bundles.error} onRetry={reload} />
      ) : bundle ? (
        <>
          <BundleFacts bundle={bundle} />
          <Verification bundle={bundle} />
          <Replication bundle={bundle} />
        </>
      ) : (
        <>
          {session.status === 'ended' ? (
            <ComplianceList subject={{ sessionId: session.id }} version={check.data} />
          ) : null}
          <SealAction session={session} check={check.data} onSealed={reload} />
        </>
      )}
    </section>
  );
}

function SealAction({
  session,
  check,
  onSealed,
}: {
  session: SessionDto;
  check: SealCheckDto;
  onSealed: () => void;
}) {
  const t = useSectionT('sealing');
  const user = useUser();
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const maySeal = canInvoke(user, 'sessions.seal');
  const denied = maySeal ? null : <SealDenied />;
  if (!check.ready) {
    return (
      <div className="seal__blockers" data-testid="seal-blockers">
        {denied}
        <p className="muted">{t('panel.waiting')}</p>
        <p className="seal__blockers-title">{t('panel.blockersTitle')}</p>
        <ul>
          {check.blockers.map((b) => (
            <li key={b.code} title={b.detail}>
              {t(`blockers.${b.code}`)}
            </li>
          ))}
        </ul>
        <SealWarnings check={check} />
      </div>
    );
  }
  return (
    <div>
      <p>{t('panel.ready')}</p>
      <SealWarnings check={check} />
      <Notice text={notice} />
      {maySeal ? (
        <button
          type="button"
          className="button button--primary"
          data-testid="seal-button"
          onClick={() => setOpen(true)}
        >
          {t('seal.action')}
        </button>
      ) : (
        denied
      )}
      {open ? (
        <SealDialog
          session={session}
          check={check}
          onClose={() => setOpen(false)}
          onSealed={() => {
            setOpen(false);
            setNotice(t('seal.done'));
            onSealed();
          }}
        />
      ) : null}
    </div>
  );
}

/** Why this account sees no seal button: the roles the core lets seal (it checks again). */
function SealDenied() {
  const t = useSectionT('sealing');
  const label = useEnumLabel();
  const roles = (rolesAllowed('sessions.seal') ?? []).map((r) => label('userRole', r));
  return (
    <p className="seal__denied" role="note" data-testid="seal-denied">
      {t('panel.notAllowed', { roles: roles.join(t('panel.listSeparator')) })}
    </p>
  );
}

/** Where files of a source do not meet: not a reason to refuse, but the seal records it. */
function SealWarnings({ check }: { check: SealCheckDto }) {
  const t = useSectionT('sealing');
  if (check.warnings.length === 0 && check.timeStampAuthority) return null;
  return (
    <div className="seal__warnings" data-testid="seal-warnings">
      <p className="seal__blockers-title">{t('warnings.title')}</p>
      <ul>
        {check.timeStampAuthority ? null : (
          <li data-testid="seal-no-tsa">{t('warnings.noTimeStamp')}</li>
        )}
        {check.warnings.map((w) => (
          <li key={`${w.sourceId}-${w.segments[0]}`} title={w.detail}>
            {t(`warnings.${w.code}`, {
              source: w.sourceId,
              from: w.segments[0],
              to: w.segments[1],
              ms: Math.abs(w.deltaUs / 1000).toFixed(1),
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function SealDialog({
  session,
  check,
  onClose,
  onSealed,
}: {
  session: SessionDto;
  check: SealCheckDto;
  onClose: () => void;
  onSealed: (b: BundleDto) => void;
}) {
  const t = useSectionT('sealing');
  const client = useClient();
  const form = useSubmit();
  const [choice, setChoice] = useState<RetentionChoice>(check.defaultRetention.choice);
  const [reason, setReason] = useState(check.defaultRetention.reason ?? '');
  const [purpose, setPurpose] = useState(check.defaultEvidentiaryPurpose);
  const submit = () =>
    void form.submit({
      check: () =>
        validate(methods['sessions.seal'].input, {
          id: session.id,
          retention: { choice, ...(choice === 'long-term' ? { reason } : {}) },
          evidentiaryPurpose: purpose,
        }),
      send: (input) => client.invoke('sessions.seal', input),
      done: onSealed,
    });
  return (
    <Dialog title={t('seal.title')} onClose={onClose} wide>
      <p>{t('seal.intro')}</p>
      <Form
        onSubmit={submit}
        submitLabel={form.busy ? t('seal.sealing') : t('seal.submit')}
        onCancel={onClose}
        {...form.status}
      >
        <FieldGroup legend={t('seal.retention')} error={form.errors['retention.choice']}>
          <div className="seal__choices">
            {allowedRetentionChoices(check.defaultRetention.choice).map((c) => (
              <div className="check" key={c}>
                <input
                  id={`retention-${c}`}
                  type="radio"
                  name="retention"
                  value={c}
                  checked={choice === c}
                  onChange={() => setChoice(c)}
                />
                <label htmlFor={`retention-${c}`}>{t(`seal.choices.${c}`)}</label>
              </div>
            ))}
          </div>
        </FieldGroup>
        {choice === 'long-term' ? (
          <TextAreaField
            label={t('seal.reason')}
            hint={t('seal.reasonHint')}
            value={reason}
            onChange={setReason}
            error={form.errors['retention.reason']}
            required
            rows={2}
          />
        ) : null}
        <TextAreaField
          label={t('seal.purpose')}
          value={purpose}
          onChange={setPurpose}
          error={form.errors.evidentiaryPurpose}
          rows={3}
        />
      </Form>
    </Dialog>
  );
}

function BundleFacts({ bundle }: { bundle: BundleDto }) {
  const t = useSectionT('sealing');
  const { i18n } = useTranslation();
  const r = bundle.retention;
  return (
    <>
      <p className="seal__state">
        <span className="tag tag--sealed">{t('bundle.sealed')}</span>
      </p>
      <dl className="facts facts--block seal__facts" data-testid="bundle-facts">
        <div className="facts__item">
          <dt>{t('bundle.sealedAt')}</dt>
          <dd>
            <DateTime ms={bundle.sealedAt} /> · {bundle.sealedBy}
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('bundle.path')}</dt>
          <dd>
            {bundle.path !== null ? (
              <code className="seal__code" data-testid="bundle-path">
                {bundle.path}
              </code>
            ) : (
              <span className="muted" data-testid="bundle-path-hidden">
                {t('bundle.pathHidden')}
              </span>
            )}
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('bundle.tagManifest')}</dt>
          <dd>
            <code className="seal__code seal__hash" data-testid="bundle-hash">
              {bundle.tagManifestSha512}
            </code>
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('bundle.payload')}</dt>
          <dd>
            {t('bundle.payloadValue', {
              files: bundle.payloadFiles,
              size: formatBytes(bundle.payloadBytes),
            })}
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('bundle.signer')}</dt>
          <dd>
            {bundle.signer.subject}
            <br />
            <code className="seal__code seal__hash">{bundle.signer.fingerprintSha256}</code>
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('bundle.retention')}</dt>
          <dd>
            {r.class === 'long-term'
              ? t('bundle.longTerm', { reason: r.reason ?? '' })
              : t('bundle.until', {
                  choice: t(`seal.choices.${r.choice}`),
                  date: r.retainUntil ? formatDate(r.retainUntil, i18n.language) : '',
                })}
          </dd>
        </div>
      </dl>
      <p className="muted seal__readonly">{t('bundle.readOnly')}</p>
    </>
  );
}

/** Ticks every 15 s, so the countdown moves between the core's pushes. */
function useTick(): number {
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return tick;
}

function Replication({ bundle }: { bundle: BundleDto }) {
  const t = useSectionT('sealing');
  const client = useClient();
  const user = useUser();
  // The core's clock comes with each status; between pushes it runs on from when it came.
  const load = useCallback(
    () =>
      client
        .invoke('replication.status', { sessionId: bundle.sessionId })
        .then((s) => ({ ...s, receivedAt: Date.now() })),
    [client, bundle.sessionId],
  );
  const status = useResource<ReplicationStatusDto & { receivedAt: number }>(load, {
    keepStale: true,
  });
  useCoreEvent('replication.changed', (e) => {
    if (e.sessionId === bundle.sessionId || e.bundleId === bundle.id) status.reload();
  });
  useCoreEvent('storage.targets.changed', () => status.reload());
  const tick = useTick();
  const [error, setError] = useState<BannerMessage | null>(null);
  if (!status.data) return <LoadState error={status.error} onRetry={status.reload} />;
  const summary = status.data.bundles.find((b) => b.bundleId === bundle.id) ?? {
    bundleId: bundle.id,
    sessionId: bundle.sessionId,
    caseId: bundle.caseId,
    deadlineAt: bundle.deadlineAt,
    deadlineStatus: 'ok' as const,
    storedAt: null,
    targets: 0,
  };
  const now = status.data.now + Math.max(0, tick - status.data.receivedAt);
  const view = deadlineView(summary, now);
  const jobs = status.data.jobs.filter((j) => j.bundleId === bundle.id);
  const headline =
    view.tone === 'stored'
      ? t('storage.stored')
      : view.tone === 'stored-late'
        ? t('storage.storedLate', { time: spanText(t, view.span) })
        : view.tone === 'overdue'
          ? t('storage.overdue', { time: spanText(t, view.span) })
          : view.tone === 'warn'
            ? t('storage.warn', { time: spanText(t, view.span) })
            : t('storage.remaining', { time: spanText(t, view.span) });
  const retry = async (jobId: number) => {
    setError(null);
    try {
      await client.invoke('replication.retryNow', { jobId });
      status.reload();
    } catch (e) {
      setError(formFailure(e).banner);
    }
  };
  return (
    <section className="seal__section" aria-labelledby="storage-title">
      <h3 id="storage-title" className="seal__subtitle">
        {t('storage.title')}
      </h3>
      <div
        className={`seal__deadline seal__deadline--${view.tone}`}
        data-testid="storage-deadline"
        data-tone={view.tone}
        role={view.tone === 'overdue' ? 'alert' : 'status'}
      >
        <strong>{headline}</strong>
        {view.tone === 'stored' || view.tone === 'stored-late' ? (
          <span>
            <DateTime ms={view.storedAt} />
          </span>
        ) : (
          <span>{t('storage.deadline', { deadline: view.deadline })}</span>
        )}
      </div>
      {error ? <ErrorBanner message={error} /> : null}
      {jobs.length === 0 ? (
        <p className="muted">{t('storage.noTargets')}</p>
      ) : (
        <ul className="seal__targets" aria-label={t('storage.targets')}>
          {jobs.map((j) => (
            <li
              key={j.id}
              className={`seal__target seal__target--${j.state}`}
              data-testid="replication-row"
            >
              <div className="seal__target-head">
                <span className="seal__target-name">
                  {j.targetName}
                  {j.targetEnabled ? '' : ` ${t('storage.disabled')}`}
                </span>
                <span className={`tag seal__job seal__job--${j.state}`}>
                  {t(`storage.state.${j.state}`)}
                </span>
              </div>
              {j.state === 'stored' ? (
                <p className="muted seal__target-line">
                  <DateTime ms={j.verifiedAt} />
                </p>
              ) : (
                <>
                  <p className="muted seal__target-line">
                    {t('storage.attempts', { count: j.attempts })}
                    {j.state === 'pending' && j.attempts > 0 ? (
                      <>
                        {' · '}
                        {t('storage.nextAttempt', {
                          at: formatDateTime(j.nextAttemptAt),
                        })}
                      </>
                    ) : null}
                  </p>
                  {j.lastError ? (
                    <p className="seal__target-error">
                      {t('storage.lastError', { error: j.lastError })}
                    </p>
                  ) : null}
                  {j.state === 'pending' && canInvoke(user, 'replication.retryNow') ? (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => void retry(j.id)}
                    >
                      {t('storage.retry')}
                    </button>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The panel for a session known by id (loads the session itself and follows its changes),
 * for a host screen that does not hold the session's DTO.
 */
export function SessionSealPanel({ sessionId }: { sessionId: number }) {
  const client = useClient();
  const load = useCallback(
    () => client.invoke('sessions.get', { id: sessionId }),
    [client, sessionId],
  );
  const session = useResource(load, { keepStale: true });
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === session.data?.caseId) session.reload();
  });
  useCoreEvent('bundle.changed', (e) => {
    if (e.sessionId === sessionId) session.reload();
  });
  return session.data ? (
    <div className="seal-host">
      <SealPanel session={session.data} />
    </div>
  ) : null;
}
