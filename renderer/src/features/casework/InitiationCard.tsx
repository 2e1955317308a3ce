/**
 * 案件来源 (R1.2), on the case's overview: the application or complaint the case was opened
 * from, and an emergency start's 24-hour report, with the form to record it.
 */
import { useCallback, useState } from 'react';
import type { CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { useEnumLabel } from '../../ui/enumLabels';
import { TextField } from '../../ui/Field';
import { useCall } from '../../ui/useCall';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';

export function InitiationCard({ detail }: { detail: CaseDetailDto }) {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const label = useEnumLabel();
  const load = useCallback(
    () => client.invoke('initiation.ofCase', { caseId: detail.id }),
    [client, detail.id],
  );
  const init = useResource(load);
  useCoreEvent('case.changed', (e) => e.caseId === detail.id && init.reload());
  const [to, setTo] = useState('');
  const [how, setHow] = useState('');
  const [at, setAt] = useState(() => toDateTimeLocal(Date.now()));
  const { banner, run } = useCall();
  const d = init.data;
  if (!d || (!d.entry && !d.emergency)) return null;
  const e = d.emergency;
  return (
    <div className="panel" data-testid="initiation">
      <h3 className="panel__title">{t('initiation.title')}</h3>
      {d.entry ? (
        <p>
          {t('initiation.entry', {
            kind: label('intakeKind', d.entry.kind),
            id: d.entry.id,
            person: d.entry.person,
            at: formatDateTime(d.entry.receivedAt, false),
            channel: d.entry.channel,
          })}
        </p>
      ) : null}
      {e ? (
        <>
          <p>{t('initiation.emergency', { reason: e.reason })}</p>
          {e.report ? (
            <p data-testid="emergency-reported">
              {t('initiation.reported', {
                at: formatDateTime(e.report.reportedAt, false),
                to: e.report.reportedTo,
                how: e.report.how,
                by: e.report.by,
              })}
              {e.late ? <span className="tag tag--disagree">{t('initiation.late')}</span> : null}
            </p>
          ) : (
            <>
              <p
                className={`discs__deadline discs__deadline--${e.late ? 'overdue' : 'warn'}`}
                role="alert"
              >
                {t('initiation.due', { at: formatDateTime(e.dueAt, false) })}
              </p>
              {canInvoke(user, 'initiation.reportEmergency') ? (
                <div className="form">
                  {banner ? <ErrorBanner message={banner} /> : null}
                  <TextField label={t('initiation.reportedTo')} value={to} onChange={setTo} />
                  <TextField label={t('initiation.how')} value={how} onChange={setHow} />
                  <TextField
                    label={t('initiation.reportedAt')}
                    type="datetime-local"
                    value={at}
                    onChange={setAt}
                  />
                  <button
                    type="button"
                    className="button"
                    onClick={() =>
                      void run(
                        () =>
                          client.invoke('initiation.reportEmergency', {
                            caseId: detail.id,
                            reportedTo: to,
                            how,
                            reportedAt: fromDateTimeLocal(at) ?? Date.now(),
                          }),
                        () => init.reload(),
                      )
                    }
                  >
                    {t('initiation.submit')}
                  </button>
                </div>
              ) : null}
            </>
          )}
        </>
      ) : null}
    </div>
  );
}
