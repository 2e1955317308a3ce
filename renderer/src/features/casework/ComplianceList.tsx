/**
 * 合规检查: each rule that applies, in plain words, with its evidence and whether it is met,
 * missing or stated by the officers (经说明) — shown before a session is sealed and before a
 * case is filed, while a gap can still be closed.
 */
import { useCallback } from 'react';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { LoadState } from '../../ui/LoadState';

export function ComplianceList({
  subject,
  version,
}: {
  subject: { sessionId: number } | { caseId: number };
  /** Changes when what the report reads may have changed (it is loaded again). */
  version?: unknown;
}) {
  const t = useSectionT('casework');
  const client = useClient();
  const key = 'sessionId' in subject ? `s${subject.sessionId}` : `c${subject.caseId}`;
  const load = useCallback(
    () =>
      'sessionId' in subject
        ? client.invoke('compliance.session', { sessionId: subject.sessionId })
        : client.invoke('compliance.case', { caseId: subject.caseId }),
    // The subject by its key, and the version the caller passes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, key, version],
  );
  const report = useResource(load);
  if (!report.data) return <LoadState error={report.error} onRetry={report.reload} />;
  const gaps = report.data.items.filter((i) => i.status === 'missing').length;
  return (
    <div className="panel" data-testid="compliance">
      <h3 className="panel__title">
        {t('compliance.title')}{' '}
        <span className={`tag ${gaps ? 'tag--disagree' : 'tag--agree'}`}>
          {gaps ? t('compliance.gaps', { n: gaps }) : t('compliance.allMet')}
        </span>
      </h3>
      <ul className="list">
        {report.data.items.map((i, n) => (
          <li key={n} data-testid="compliance-item" data-status={i.status}>
            <span className={`tag tag--${i.status === 'missing' ? 'disagree' : 'agree'}`}>
              {t(`compliance.status.${i.status}`)}
            </span>{' '}
            {i.title}
            <span className="muted">：{i.evidence}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
