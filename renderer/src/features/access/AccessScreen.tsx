/**
 * 调阅授权: asking for access to a case's records, and the leader's decisions. Anyone asks
 * (view or copy, the whole case or some sessions, why, for how long) and sees their own
 * requests; leaders decide pending ones (until a moment, possibly fewer sessions) and revoke
 * grants in force; supervisors see them all. The core checks every read against them.
 */
import { useCallback, useState } from 'react';
import { methods } from '@shared/api';
import type { AccessMode, GrantDto } from '@shared/api/access';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { Form } from '../../ui/Form';
import { LoadState } from '../../ui/LoadState';
import { formFailure, validate, type BannerMessage } from '../../ui/fieldErrors';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/time';
import { useSubmit } from '../../ui/useSubmit';
import { useSectionT } from '../../i18n/section';
import { toggled } from './toggled';
import './access.css';

const DAY = 86_400_000;

export function AccessScreen({ caseId }: { caseId?: number | undefined }) {
  const t = useSectionT('access');
  const client = useClient();
  const user = useUser();
  const leader = canInvoke(user, 'access.decide');
  const overseer = user?.roles.some(
    (r) => r === 'leader' || r === 'legal_reviewer' || r === 'admin',
  );
  const [notice, setNotice] = useState<string | null>(null);
  const mine = useResource(
    useCallback(() => client.invoke('access.list', { scope: 'mine' }), [client]),
    { keepStale: true },
  );
  const all = useResource(
    useCallback(
      () => (overseer ? client.invoke('access.list', { scope: 'all' }) : Promise.resolve([])),
      [client, overseer],
    ),
    { keepStale: true },
  );
  const reload = useCallback(() => {
    mine.reload();
    all.reload();
  }, [mine, all]);
  useCoreEvent('access.changed', reload);
  const pending = (all.data ?? []).filter((g) => g.state === 'pending' && g.userId !== user?.id);
  const decided = (all.data ?? []).filter((g) => g.state !== 'pending');

  return (
    <section className="screen access" aria-labelledby="access-title">
      <div className="screen__head">
        <h1 id="access-title">{t('title')}</h1>
      </div>
      <p className="muted">{t('intro')}</p>
      <Notice text={notice} />
      {leader ? (
        <div className="panel" data-testid="access-pending">
          <h2 className="panel__title">{t('pending')}</h2>
          {pending.length === 0 ? <p className="muted">{t('none')}</p> : null}
          {pending.map((g) => (
            <GrantCard key={g.id} grant={g}>
              <DecideForm
                grant={g}
                onDone={(text) => {
                  setNotice(text);
                  reload();
                }}
              />
            </GrantCard>
          ))}
        </div>
      ) : null}
      <RequestForm
        caseId={caseId}
        onSent={() => {
          setNotice(t('request.sent'));
          reload();
        }}
      />
      <div className="panel" data-testid="access-mine">
        <h2 className="panel__title">{t('mine')}</h2>
        {!mine.data ? <LoadState error={mine.error} onRetry={mine.reload} /> : null}
        {mine.data?.length === 0 ? <p className="muted">{t('none')}</p> : null}
        {mine.data?.map((g) => (
          <GrantCard key={g.id} grant={g} />
        ))}
      </div>
      {overseer ? (
        <div className="panel" data-testid="access-all">
          <h2 className="panel__title">{t('all')}</h2>
          {decided.length === 0 ? <p className="muted">{t('none')}</p> : null}
          {decided.map((g) => (
            <GrantCard key={g.id} grant={g}>
              {leader && g.state === 'approved' ? (
                <RevokeForm
                  grant={g}
                  onDone={(text) => {
                    setNotice(text);
                    reload();
                  }}
                />
              ) : null}
            </GrantCard>
          ))}
        </div>
      ) : null}
    </section>
  );
}

function RequestForm({
  caseId,
  onSent,
}: {
  caseId: number | undefined;
  onSent: (g: GrantDto) => void;
}) {
  const t = useSectionT('access');
  const client = useClient();
  const modes = useEnumOptions('accessMode');
  const label = useEnumLabel();
  const detail = useResource(
    useCallback(
      () => (caseId ? client.invoke('cases.get', { id: caseId }) : Promise.resolve(null)),
      [client, caseId],
    ),
  );
  const [caseNo, setCaseNo] = useState('');
  const [mode, setMode] = useState<AccessMode>('view');
  const [sessions, setSessions] = useState<number[]>([]);
  const [purpose, setPurpose] = useState('');
  const [days, setDays] = useState('3');
  const form = useSubmit();
  const c = detail.data;
  const send = () =>
    void form.submit({
      check: () =>
        validate(methods['access.request'].input, {
          ...(c ? { caseId: c.id } : { caseNo }),
          mode,
          ...(sessions.length ? { sessions } : {}),
          purpose,
          days: Number(days),
        }),
      send: (input) => client.invoke('access.request', input),
      done: (g) => {
        setPurpose('');
        setSessions([]);
        onSent(g);
      },
    });
  return (
    <div className="panel" data-testid="access-request">
      <h2 className="panel__title">{t('request.title')}</h2>
      <Form
        label={t('request.title')}
        submitLabel={t('request.submit')}
        {...form.status}
        onSubmit={send}
        grid
      >
        {c ? (
          <p className="field field--wide">
            <span className="field__label">{t('request.caseNo')}</span>
            <strong>{c.caseNo}</strong> {c.cause}
          </p>
        ) : (
          <TextField
            label={t('request.caseNo')}
            value={caseNo}
            onChange={setCaseNo}
            hint={t('request.caseNoHint')}
            error={form.errors.caseNo}
            required
          />
        )}
        <SelectField label={t('request.mode')} value={mode} onChange={setMode} options={modes} />
        {c && c.sessions.length ? (
          <fieldset className="field field--wide access__sessions">
            <legend className="field__label">{t('request.sessions')}</legend>
            <p className="muted">{t('request.allSessions')}</p>
            {c.sessions.map((s) => (
              <Checkbox
                key={s.id}
                label={`${label('sessionKind', s.kind)} #${s.id} · ${s.place}${s.startedAt ? ` · ${formatDateTime(s.startedAt, false)}` : ''}`}
                checked={sessions.includes(s.id)}
                onChange={(on) => setSessions((prev) => toggled(prev, s.id, on))}
              />
            ))}
          </fieldset>
        ) : null}
        <TextAreaField
          label={t('request.purpose')}
          value={purpose}
          onChange={setPurpose}
          error={form.errors.purpose}
          required
          wide
        />
        <TextField
          label={t('request.days')}
          value={days}
          onChange={setDays}
          inputMode="numeric"
          error={form.errors.days}
          required
        />
      </Form>
    </div>
  );
}

/** One request with what became of it. */
export function GrantCard({ grant: g, children }: { grant: GrantDto; children?: React.ReactNode }) {
  const t = useSectionT('access');
  const label = useEnumLabel();
  const scope = g.grantedSessions ?? g.sessions;
  return (
    <article
      className="access__grant"
      data-testid={`grant-${g.id}`}
      aria-label={t('grant.no', { id: g.id })}
    >
      <header className="access__grant-head">
        <strong>{t('grant.no', { id: g.id })}</strong>
        <span className={`badge badge--grant-${g.state}`} data-testid="grant-state">
          {label('grantState', g.state)}
        </span>
        {g.state === 'approved' && g.validUntil !== null ? (
          <span>{t('grant.validUntil', { at: formatDateTime(g.validUntil) })}</span>
        ) : null}
      </header>
      <dl className="access__facts">
        <dt>{t('grant.case')}</dt>
        <dd>{g.caseNo}</dd>
        <dt>{t('grant.requester')}</dt>
        <dd>{g.requester}</dd>
        <dt>{t('grant.mode')}</dt>
        <dd>{label('accessMode', g.mode)}</dd>
        <dt>{t('grant.scope')}</dt>
        <dd>
          {scope
            ? t('grant.sessionsList', { ids: scope.map((s) => `#${s}`).join('、') })
            : t('grant.wholeCase')}
        </dd>
        <dt>{t('grant.purpose')}</dt>
        <dd>{g.purpose}</dd>
        <dt>{t('grant.requestedAt')}</dt>
        <dd>
          {formatDateTime(g.requestedAt)}，{t('grant.days', { days: g.days })}
        </dd>
      </dl>
      {g.decisions.map((d, i) => (
        <p key={i} className="access__decision">
          {t('grant.decision', {
            by: d.decidedBy,
            at: formatDateTime(d.decidedAt),
            what: t(`grant.${d.decision}`),
            opinion: d.opinion,
          })}
        </p>
      ))}
      {children}
    </article>
  );
}

function DecideForm({ grant: g, onDone }: { grant: GrantDto; onDone: (text: string) => void }) {
  const t = useSectionT('access');
  const client = useClient();
  const [opinion, setOpinion] = useState('');
  const [until, setUntil] = useState(() => toDateTimeLocal(Date.now() + g.days * DAY - 60_000));
  const [sessions, setSessions] = useState<number[]>(g.sessions ?? []);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'approved' | 'refused') => {
    const input =
      decision === 'approved'
        ? {
            requestId: g.id,
            decision,
            opinion,
            validUntil: fromDateTimeLocal(until),
            ...(g.sessions && sessions.length && sessions.length < g.sessions.length
              ? { sessions }
              : {}),
          }
        : { requestId: g.id, decision, opinion };
    const checked = validate(methods['access.decide'].input, input);
    if (!checked.ok) {
      setBanner({ key: 'errors.code.INVALID_INPUT' });
      return;
    }
    setBusy(true);
    try {
      await client.invoke('access.decide', checked.value);
      setBanner(null);
      onDone(t(decision === 'approved' ? 'decide.approved' : 'decide.refused', { id: g.id }));
    } catch (e) {
      setBanner(formFailure(e).banner);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="access__decide">
      {banner ? <ErrorBanner message={banner} /> : null}
      <TextAreaField
        label={t('decide.opinion')}
        value={opinion}
        onChange={setOpinion}
        required
        rows={2}
      />
      <TextField
        label={t('decide.validUntil')}
        type="datetime-local"
        step={1}
        value={until}
        onChange={setUntil}
      />
      {g.sessions && g.sessions.length > 1 ? (
        <fieldset className="access__sessions">
          <legend className="field__label">{t('decide.sessions')}</legend>
          {g.sessions.map((s) => (
            <Checkbox
              key={s}
              label={`#${s}`}
              checked={sessions.includes(s)}
              onChange={(on) => setSessions((prev) => toggled(prev, s, on))}
            />
          ))}
        </fieldset>
      ) : null}
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={busy}
          onClick={() => void decide('approved')}
        >
          {t('decide.approve')}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void decide('refused')}
        >
          {t('decide.refuse')}
        </button>
      </div>
    </div>
  );
}

function RevokeForm({ grant: g, onDone }: { grant: GrantDto; onDone: (text: string) => void }) {
  const t = useSectionT('access');
  const client = useClient();
  const [reason, setReason] = useState('');
  const form = useSubmit();
  return (
    <Form
      label={t('decide.revoke')}
      submitLabel={t('decide.revoke')}
      {...form.status}
      onSubmit={() =>
        void form.submit({
          check: () =>
            validate(methods['access.revoke'].input, { requestId: g.id, opinion: reason }),
          send: (input) => client.invoke('access.revoke', input),
          failure: { fields: ['opinion'] },
          done: () => onDone(t('decide.revoked', { id: g.id })),
        })
      }
    >
      <TextField
        label={t('decide.revokeReason')}
        value={reason}
        onChange={setReason}
        error={form.errors.opinion}
      />
    </Form>
  );
}
