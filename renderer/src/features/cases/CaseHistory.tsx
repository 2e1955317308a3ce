import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { DateTime } from '../../ui/DateTime';
import { LoadState } from '../../ui/LoadState';
import { actionName, entityName } from '../audit/names';

/** The case's part of the append-only audit trail (who did what, when), newest first. */
export function CaseHistory({ caseId }: { caseId: number }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const load = useCallback(
    () => client.invoke('audit.list', { caseId, limit: 200 }),
    [client, caseId],
  );
  const events = useResource(load);
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === caseId) events.reload();
  });

  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title" className="panel__title">
        {t('audit.title')}
      </h2>
      <p className="muted">{t('audit.hint')}</p>
      {!events.data ? (
        <LoadState error={events.error} onRetry={events.reload} />
      ) : events.data.length === 0 ? (
        <p className="empty">{t('audit.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('audit.seq')}
                </th>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.entity')}</th>
                <th scope="col">{t('audit.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((ev) => (
                <tr key={ev.seq}>
                  <td className="num">{ev.seq}</td>
                  <td>
                    <DateTime ms={ev.at} />
                  </td>
                  <td>{ev.actor ?? t('audit.system')}</td>
                  <td data-action={ev.action}>{actionName(ev.action, i18n.language)}</td>
                  <td>
                    {entityName(ev.entity, i18n.language)}
                    {ev.entityId !== null ? (
                      <span className="muted"> {t('audit.number', { n: ev.entityId })}</span>
                    ) : null}
                  </td>
                  <td className="mono muted" title={ev.hash}>
                    {ev.hash.slice(0, 12)}…
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
