/**
 * 立卷归档 (R5.2) and 保存期限 (R4.4): the filing clock from the end of the matter, what still
 * blocks filing, the table of contents the reviewer signs to file the case; the grounds for
 * long-term retention, the legal officer's answer, and the incidents officers record.
 */
import { useCallback, useState } from 'react';
import type { IncidentKind } from '@shared/api/filing';
import type { CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { SelectField, TextAreaField, TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { useCall } from '../../ui/useCall';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { SignPad } from './common';
import { ComplianceList } from './ComplianceList';

export function FilingPanel({ detail }: { detail: CaseDetailDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const label = useEnumLabel();
  const load = useCallback(
    () => client.invoke('filing.status', { caseId: detail.id }),
    [client, detail.id],
  );
  const status = useResource(load);
  const reload = () => status.reload();
  useCoreEvent('filing.changed', (e) => e.caseId === detail.id && reload());
  useCoreEvent('documents.changed', (e) => e.caseId === detail.id && reload());
  useCoreEvent('case.changed', (e) => e.caseId === detail.id && reload());
  const { busy, banner, run } = useCall();
  if (!status.data) return <LoadState error={status.error} onRetry={reload} />;
  const s = status.data;
  const clock = s.clock;
  return (
    <section aria-labelledby="filing-title" className="split">
      <div>
        <h2 id="filing-title" className="panel__title">
          {t('filing.title')}
        </h2>
        <p
          className={`discs__deadline discs__deadline--${clock.status}`}
          data-testid="filing-clock"
        >
          {t(`filing.clock.${clock.status}`, {
            at: clock.deadline ? formatDateTime(clock.deadline, false) : '',
            days: clock.daysLeft ?? 0,
          })}
        </p>
        {s.filing ? (
          <p data-testid="filed">
            {t('filing.filed', {
              at: formatDateTime(s.filing.filedAt, false),
              by: s.filing.reviewedBy,
              compiled: s.filing.compiledBy,
            })}
          </p>
        ) : s.blockers.length ? (
          <div className="banner banner--warn" data-testid="filing-blockers">
            <p>{t('filing.blockers')}</p>
            <ul>
              {s.blockers.map((b, i) => (
                <li key={i}>{b.detail}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p>{t('filing.ready')}</p>
        )}
        <h3>{t('filing.toc')}</h3>
        <div className="table-wrap">
          <table className="table" data-testid="filing-toc">
            <tbody>
              {s.toc.map((e, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>{e.at ? <DateTime ms={e.at} /> : '—'}</td>
                  <td>{e.title}</td>
                  <td className="muted">{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {!s.filing && s.blockers.length === 0 && canInvoke(user, 'filing.file') ? (
          <div className="form" data-testid="filing-sign">
            {banner ? <ErrorBanner message={banner} /> : null}
            <SignPad
              label={`${t('filing.sign')} · ${t('signAs', { name: user.displayName })}`}
              busy={busy}
              onSign={(handwriting) =>
                run(() =>
                  client.invoke('filing.file', {
                    caseId: detail.id,
                    tocSha256: s.tocSha256,
                    handwriting,
                  }),
                )
              }
            />
          </div>
        ) : null}
      </div>
      <div>
        <RetentionCard detail={detail} label={label} />
        <ComplianceList subject={{ caseId: detail.id }} version={s.tocSha256} />
      </div>
    </section>
  );
}

function RetentionCard({
  detail,
  label,
}: {
  detail: CaseDetailDto;
  label: ReturnType<typeof useEnumLabel>;
}) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const load = useCallback(
    () => client.invoke('retention.status', { caseId: detail.id }),
    [client, detail.id],
  );
  const r = useResource(load);
  useCoreEvent('filing.changed', (e) => e.caseId === detail.id && r.reload());
  const kinds = useEnumOptions('incidentKind');
  const [reason, setReason] = useState('');
  const [kind, setKind] = useState<IncidentKind>('obstruction');
  const [note, setNote] = useState('');
  const [at, setAt] = useState(() => toDateTimeLocal(Date.now(), true));
  const call = useCall();
  const run = (send: () => Promise<unknown>) => void call.run(send, () => r.reload());
  const banner = call.banner;
  if (!r.data) return <LoadState error={r.error} onRetry={r.reload} />;
  const s = r.data;
  return (
    <div className="panel" data-testid="retention">
      <h3 className="panel__title">{t('retention.title')}</h3>
      {banner ? <ErrorBanner message={banner} /> : null}
      <p data-testid="retention-state">{t(`retention.state.${s.state}`)}</p>
      <p>{t('retention.caseClass', { class: label('retentionClass', s.caseClass) })}</p>
      {s.grounds.length ? (
        <ul className="list">
          {s.grounds.map((g, i) => (
            <li key={i}>
              {label('longTermGround', g.ground)}：{g.evidence}（<DateTime ms={g.at} />）
            </li>
          ))}
        </ul>
      ) : null}
      {s.decisions.map((d, i) => (
        <p key={i} className="muted">
          {t(`retention.state.${d.decision}`)}：{d.reason}（{d.by}）
        </p>
      ))}
      {s.state === 'proposed' && canInvoke(user, 'retention.decide') ? (
        <div className="form">
          <TextAreaField
            label={t('retention.reason')}
            value={reason}
            onChange={setReason}
            required
          />
          <p className="actions">
            {(['confirmed', 'declined'] as const).map((decision) => (
              <button
                key={decision}
                type="button"
                className="button"
                onClick={() =>
                  run(() =>
                    client.invoke('retention.decide', { caseId: detail.id, decision, reason }),
                  )
                }
              >
                {t(decision === 'confirmed' ? 'retention.confirm' : 'retention.decline')}
              </button>
            ))}
          </p>
        </div>
      ) : null}
      {detail.phase !== 'archiving' && canInvoke(user, 'retention.recordIncident') ? (
        <div className="form">
          <h4>{t('retention.incident')}</h4>
          <SelectField
            label={t('retention.incidentKind')}
            value={kind}
            options={kinds}
            onChange={setKind}
          />
          <TextAreaField label={t('retention.note')} value={note} onChange={setNote} required />
          <TextField
            label={t('retention.occurredAt')}
            type="datetime-local"
            value={at}
            onChange={setAt}
          />
          <button
            type="button"
            className="button"
            onClick={() =>
              run(() =>
                client.invoke('retention.recordIncident', {
                  caseId: detail.id,
                  kind,
                  note,
                  occurredAt: fromDateTimeLocal(at) ?? Date.now(),
                }),
              )
            }
          >
            {t('retention.incident')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
