/**
 * 证据光盘与案卷目录: the clerk's view of a case (R5.1, R5.2). Choose sealed
 * bundles, see their size against the medium and how they fall onto discs (the same
 * planDiscs the core uses), the copies; build the images, then burn each copy (or save the
 * image where no drive exists) with the read-back shown as it runs; the discs made and
 * their results; the label sheet; the case file index with its filing deadline.
 */
import { useCallback, useState } from 'react';
import type { DiscProgressEvent } from '@shared/api/discs';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { LoadState } from '../../ui/LoadState';
import { routeHref } from '../../app/route';
import { useSectionT, type SectionT } from '../../i18n/section';
import { CaseFilePanel } from './CaseFilePanel';
import { PlanPanel } from './PlanPanel';
import { SetsPanel } from './SetsPanel';
import './discs.css';

export function DiscsScreen({ caseId }: { caseId: number }) {
  const t = useSectionT('discs');
  const client = useClient();
  const loadBundles = useCallback(
    () => client.invoke('discs.bundles', { caseId }),
    [client, caseId],
  );
  const loadSets = useCallback(() => client.invoke('discs.list', { caseId }), [client, caseId]);
  const bundles = useResource(loadBundles);
  const sets = useResource(loadSets, { keepStale: true });
  const [progress, setProgress] = useState<DiscProgressEvent | null>(null);
  useCoreEvent('disc.progress', (e) =>
    setProgress(e.fraction === 1 && e.step === 'verify' ? null : e),
  );
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === caseId) sets.reload();
  });

  return (
    <section className="screen discs" aria-labelledby="discs-title">
      <a className="back-link" href={routeHref({ name: 'case', id: caseId, tab: 'overview' })}>
        ‹ {t('back')}
      </a>
      <h1 id="discs-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <ProgressLine t={t} progress={progress} />
      {bundles.data ? (
        <PlanPanel caseId={caseId} bundles={bundles.data} onBuilt={() => sets.reload()} />
      ) : (
        <LoadState error={bundles.error} onRetry={bundles.reload} />
      )}
      {sets.data ? (
        <SetsPanel sets={sets.data} onChanged={() => sets.reload()} />
      ) : (
        <LoadState error={sets.error} onRetry={sets.reload} />
      )}
      <CaseFilePanel caseId={caseId} />
    </section>
  );
}

function ProgressLine({
  t,
  progress,
}: {
  t: SectionT<'discs'>;
  progress: DiscProgressEvent | null;
}) {
  if (!progress) return null;
  const label = t(`progress.${progress.step}`, { n: progress.discNumber });
  return (
    <div className="discs__progress" role="status" data-testid="disc-progress">
      <span>{label}</span>
      {progress.fraction === null ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} max={1} value={progress.fraction} />
      )}
      <span>
        {progress.fraction === null
          ? t('progress.running')
          : `${Math.round(progress.fraction * 100)}%`}
      </span>
    </div>
  );
}
