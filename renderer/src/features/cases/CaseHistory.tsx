import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { DateTime } from '../../ui/DateTime';
import { LoadState } from '../../ui/LoadState';

/**
 * Plain words for the core's audit codes (`case.phase_advanced` → 进入下一阶段). Codes the
 * UI does not know yet are shown as they are: an audit trail never hides an entry.
 */
function useAuditWords() {
  const { t, i18n } = useTranslation();
  const lookup = (key: string, raw: string) =>
    i18n.exists(key) ? (t as unknown as (k: string) => string)(key) : raw;
  return {
    action: (code: string) => lookup(`audit.actions.${code.replace(/\./g, '_')}`, code),
    entity: (name: string) => lookup(`audit.entities.${name}`, name),
  };
}

/** The case's part of the append-only audit trail (who did what, when), newest first. */
export function CaseHistory({ caseId }: { caseId: number }) {
  const { t } = useTranslation();
  const words = useAuditWords();
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
                  <td title={ev.action}>{words.action(ev.action)}</td>
                  <td>
                    {words.entity(ev.entity)}
                    {ev.entityId !== null ? (
                      <span className="mono muted"> #{ev.entityId}</span>
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
