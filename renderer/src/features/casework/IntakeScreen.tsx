/**
 * 受理登记 (R1.2): applications and complaints as they come in, each handled in steps —
 * corrections asked for and made, then accepted (a case opened) or refused with reasons, or
 * for a complaint a case opened or a decision not to open.
 */
import { useCallback, useState } from 'react';
import type { IntakeEntryDto, IntakeKind } from '@shared/api/initiation';
import type { MatterKind } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { routeHref } from '../../app/route';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { useCall } from '../../ui/useCall';

export function IntakeScreen() {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const load = useCallback(() => client.invoke('intake.list', {}), [client]);
  const entries = useResource(load);
  useCoreEvent('intake.changed', () => entries.reload());
  return (
    <section className="screen split" aria-labelledby="intake-title">
      <div>
        <h1 id="intake-title">{t('intake.title')}</h1>
        {!entries.data ? (
          <LoadState error={entries.error} onRetry={entries.reload} />
        ) : entries.data.length === 0 ? (
          <p className="empty">{t('intake.empty')}</p>
        ) : (
          entries.data.map((e) => <EntryCard key={e.id} entry={e} />)
        )}
      </div>
      {canInvoke(user, 'intake.register') ? <RegisterForm /> : null}
    </section>
  );
}

function RegisterForm() {
  const t = useSectionT('casework');
  const client = useClient();
  const kinds = useEnumOptions('intakeKind');
  const [kind, setKind] = useState<IntakeKind>('complaint');
  const empty = { person: '', contact: '', content: '', materials: '', channel: '窗口' };
  const [v, setV] = useState(empty);
  const [at, setAt] = useState(() => toDateTimeLocal(Date.now()));
  const { banner, run } = useCall();
  const set = (k: keyof typeof v) => (value: string) => setV((x) => ({ ...x, [k]: value }));
  return (
    <div className="panel" data-testid="intake-register">
      <h2 className="panel__title">{t('intake.register')}</h2>
      {banner ? <ErrorBanner message={banner} /> : null}
      <SelectField label={t('intake.kind')} value={kind} options={kinds} onChange={setKind} />
      <TextField label={t('intake.person')} value={v.person} onChange={set('person')} required />
      <TextField label={t('intake.contact')} value={v.contact} onChange={set('contact')} />
      <TextAreaField
        label={t('intake.content')}
        value={v.content}
        onChange={set('content')}
        required
      />
      <TextAreaField
        label={t('intake.materials')}
        value={v.materials}
        onChange={set('materials')}
      />
      <TextField label={t('intake.channel')} value={v.channel} onChange={set('channel')} required />
      <TextField label={t('intake.receivedAt')} type="datetime-local" value={at} onChange={setAt} />
      <button
        type="button"
        className="button button--primary"
        onClick={() =>
          void run(
            () =>
              client.invoke('intake.register', {
                kind,
                person: v.person,
                ...(v.contact ? { contact: v.contact } : {}),
                content: v.content,
                materials: v.materials
                  .split('\n')
                  .map((l) => l.trim())
                  .filter(Boolean),
                receivedAt: fromDateTimeLocal(at) ?? Date.now(),
                channel: v.channel,
              }),
            () => setV(empty),
          )
        }
      >
        {t('intake.register')}
      </button>
    </div>
  );
}

function EntryCard({ entry }: { entry: IntakeEntryDto }) {
  const t = useSectionT('casework');
  const label = useEnumLabel();
  const user = useUser();
  const [action, setAction] = useState<'correction' | 'corrected' | 'decide' | null>(null);
  const open = !['accepted', 'refused', 'opened', 'not_opened'].includes(entry.state);
  return (
    <article className="panel" data-testid={`intake-${entry.id}`}>
      <h3 className="panel__title">
        {label('intakeKind', entry.kind)} · {entry.person}{' '}
        <span className="tag" data-testid="intake-state">
          {t(`intake.state.${entry.state}`)}
        </span>
      </h3>
      <p className="prewrap">{entry.content}</p>
      <p className="muted">
        {formatDateTime(entry.receivedAt, false)} · {entry.channel} · {entry.recordedBy}
      </p>
      <ol className="list">
        {entry.steps.map((s) => (
          <li key={s.id}>
            {t(`intake.state.${s.kind}`)}：{s.text}（{s.by}，{formatDateTime(s.at, false)}）
          </li>
        ))}
      </ol>
      {entry.caseId ? (
        <a className="button" href={routeHref({ name: 'case', id: entry.caseId, tab: 'overview' })}>
          {t('intake.toCase')}
        </a>
      ) : null}
      {open ? (
        <p className="actions">
          {entry.kind === 'application' && entry.state !== 'awaiting_correction' ? (
            <button type="button" className="button" onClick={() => setAction('correction')}>
              {t('intake.askCorrection')}
            </button>
          ) : null}
          {entry.state === 'awaiting_correction' ? (
            <button type="button" className="button" onClick={() => setAction('corrected')}>
              {t('intake.correctionMade')}
            </button>
          ) : null}
          {canInvoke(user, 'intake.decide') ? (
            <button type="button" className="button" onClick={() => setAction('decide')}>
              {t('intake.decide')}
            </button>
          ) : null}
        </p>
      ) : null}
      {action === 'correction' || action === 'corrected' ? (
        <CorrectionForm
          entry={entry}
          asked={action === 'correction'}
          onDone={() => setAction(null)}
        />
      ) : action === 'decide' ? (
        <DecideForm entry={entry} onDone={() => setAction(null)} />
      ) : null}
    </article>
  );
}

function CorrectionForm({
  entry,
  asked,
  onDone,
}: {
  entry: IntakeEntryDto;
  asked: boolean;
  onDone: () => void;
}) {
  const t = useSectionT('casework');
  const client = useClient();
  const [text, setText] = useState('');
  const [days, setDays] = useState('5');
  const { banner, run } = useCall();
  return (
    <div className="form">
      {banner ? <ErrorBanner message={banner} /> : null}
      <TextAreaField
        label={t(asked ? 'intake.items' : 'intake.note')}
        value={text}
        onChange={setText}
        required
      />
      {asked ? (
        <TextField label={t('intake.deadlineDays')} value={days} onChange={setDays} />
      ) : null}
      <button
        type="button"
        className="button button--primary"
        onClick={() =>
          void run(
            () =>
              asked
                ? client.invoke('intake.askCorrection', {
                    entryId: entry.id,
                    items: text,
                    deadlineDays: Number(days),
                  })
                : client.invoke('intake.correctionMade', {
                    entryId: entry.id,
                    note: text,
                    at: Date.now(),
                  }),
            onDone,
          )
        }
      >
        {t(asked ? 'intake.askCorrection' : 'intake.correctionMade')}
      </button>
    </div>
  );
}

function DecideForm({ entry, onDone }: { entry: IntakeEntryDto; onDone: () => void }) {
  const t = useSectionT('casework');
  const client = useClient();
  const matterKinds = useEnumOptions('matterKind');
  const load = useCallback(() => client.invoke('officers.list', {}), [client]);
  const officers = useResource(load);
  const application = entry.kind === 'application';
  const [open, setOpen] = useState(true);
  const [reason, setReason] = useState('');
  const [caseNo, setCaseNo] = useState('');
  const [cause, setCause] = useState('');
  const [matterKind, setMatterKind] = useState<MatterKind>(application ? 'licensing' : 'penalty');
  const [officerIds, setOfficerIds] = useState<number[]>([]);
  const { banner, run } = useCall();
  const send = () =>
    open
      ? client.invoke('intake.decide', {
          entryId: entry.id,
          decision: application ? 'accepted' : 'opened',
          case: { caseNo, cause, matterKind, officerIds },
        })
      : client.invoke('intake.decide', {
          entryId: entry.id,
          decision: application ? 'refused' : 'not_opened',
          reason,
        });
  return (
    <div className="form" data-testid="intake-decide">
      {banner ? <ErrorBanner message={banner} /> : null}
      <SelectField
        label={t('intake.decide')}
        value={open ? 'open' : 'close'}
        options={[
          { value: 'open', label: t(application ? 'intake.accept' : 'intake.open') },
          { value: 'close', label: t(application ? 'intake.refuse' : 'intake.notOpen') },
        ]}
        onChange={(v) => setOpen(v === 'open')}
      />
      {open ? (
        <>
          <TextField label={t('intake.caseNo')} value={caseNo} onChange={setCaseNo} required />
          <TextField label={t('intake.cause')} value={cause} onChange={setCause} required />
          <SelectField
            label={t('intake.matterKind')}
            value={matterKind}
            options={matterKinds}
            onChange={setMatterKind}
          />
          <fieldset>
            <legend>{t('intake.officers')}</legend>
            {(officers.data ?? []).map((o) => (
              <Checkbox
                key={o.id}
                label={`${o.name}（${o.certificateNo}）`}
                checked={officerIds.includes(o.id)}
                onChange={(on) =>
                  setOfficerIds((xs) => (on ? [...xs, o.id] : xs.filter((x) => x !== o.id)))
                }
              />
            ))}
          </fieldset>
        </>
      ) : (
        <TextAreaField label={t('intake.reason')} value={reason} onChange={setReason} required />
      )}
      <button
        type="button"
        className="button button--primary"
        onClick={() => void run(send, onDone)}
      >
        {t('intake.decide')}
      </button>
    </div>
  );
}
