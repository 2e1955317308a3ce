/**
 * 归档期限 (R5.2): every case not yet filed against its filing clock, the most urgent first;
 * and, for those who supervise, the register of every sealed bundle's retention (R4.4).
 */
import { useCallback } from 'react';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { routeHref } from '../../app/route';
import { useSectionT } from '../../i18n/section';
import { useEnumLabel } from '../../ui/enumLabels';
import { LoadState } from '../../ui/LoadState';
import { formatDateTime } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';

export function FilingBoardScreen() {
  const t = useSectionT('casework');
  const client = useClient();
  const user = useUser();
  const label = useEnumLabel();
  const load = useCallback(() => client.invoke('filing.board', {}), [client]);
  const board = useResource(load);
  useCoreEvent('filing.changed', () => board.reload());
  useCoreEvent('case.changed', () => board.reload());
  return (
    <section className="screen" aria-labelledby="filing-board-title">
      <h1 id="filing-board-title">{t('filing.boardTitle')}</h1>
      {!board.data ? (
        <LoadState error={board.error} onRetry={board.reload} />
      ) : board.data.length === 0 ? (
        <p className="empty">{t('filing.boardEmpty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="filing-board">
            <thead>
              <tr>
                <th scope="col">{t('filing.caseNo')}</th>
                <th scope="col">{t('filing.cause')}</th>
                <th scope="col">{t('filing.phase')}</th>
                <th scope="col">{t('filing.deadline')}</th>
                <th scope="col">{t('filing.blockers')}</th>
              </tr>
            </thead>
            <tbody>
              {board.data.map((r) => (
                <tr key={r.caseId} className={`board__row board__row--${r.clock.status}`}>
                  <td>
                    <a href={routeHref({ name: 'case', id: r.caseId, tab: 'filing' })}>
                      {r.caseNo}
                    </a>
                  </td>
                  <td>{r.cause}</td>
                  <td>{label('phase', r.phase as 'review')}</td>
                  <td className={`discs__deadline--${r.clock.status}`}>
                    {t(`filing.clock.${r.clock.status}`, {
                      at: r.clock.deadline ? formatDateTime(r.clock.deadline, false) : '',
                      days: r.clock.daysLeft ?? 0,
                    })}
                  </td>
                  <td>{r.blockers ? t('filing.blockerCount', { n: r.blockers }) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canInvoke(user, 'retention.register') ? <RetentionRegister /> : null}
    </section>
  );
}

function RetentionRegister() {
  const t = useSectionT('casework');
  const client = useClient();
  const label = useEnumLabel();
  const load = useCallback(() => client.invoke('retention.register', {}), [client]);
  const rows = useResource(load);
  return (
    <>
      <h2>{t('retention.register')}</h2>
      {!rows.data ? (
        <LoadState error={rows.error} onRetry={rows.reload} />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="retention-register">
            <thead>
              <tr>
                <th scope="col">{t('filing.caseNo')}</th>
                <th scope="col">{t('retention.bag')}</th>
                <th scope="col">{t('retention.sealed')}</th>
                <th scope="col">{t('retention.effective')}</th>
                <th scope="col">{t('retention.until')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <tr key={r.bundleId}>
                  <td>{r.caseNo}</td>
                  <td>{r.bagName}</td>
                  <td>{label('retentionClass', r.sealedClass as 'case-3y')}</td>
                  <td>{label('retentionClass', r.effectiveClass)}</td>
                  <td>
                    {r.retainUntil ? formatDateTime(r.retainUntil, false) : t('retention.longTerm')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
