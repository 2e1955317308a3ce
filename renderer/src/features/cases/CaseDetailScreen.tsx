import { HearingProcedurePanel } from '../hearings/HearingProcedurePanel';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PHASES, type CaseDetailDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { Notice } from '../../ui/Banner';
import { useEnumLabel } from '../../ui/enumLabels';
import { LoadState } from '../../ui/LoadState';
import { PhaseStepper } from './PhaseStepper';
import { Tabs } from '../../ui/Tabs';
import { CaseAccessPanel } from '../access/CaseAccessPanel';
import { canInvoke } from '../auth/permissions';
import { routeHref, type CaseTab } from '../../app/route';
import { navigate } from '../../app/useRoute';
import { AdvancePhaseDialog } from './AdvancePhaseDialog';
import { ApprovalFormsPanel } from '../casework/ApprovalFormsPanel';
import { DocumentsPanel } from '../casework/DocumentsPanel';
import { FilingPanel } from '../casework/FilingPanel';
import { CaseHistory } from './CaseHistory';
import { CaseOfficersPanel } from './CaseOfficersPanel';
import { CaseOverview } from './CaseOverview';
import { PartiesPanel } from './PartiesPanel';
import { SessionsPanel } from '../sessions/SessionsPanel';

/** One case: header with phase stepper, then tabs for everything recorded under it. */
export function CaseDetailScreen({ id, tab }: { id: number; tab: CaseTab }) {
  const { t } = useTranslation();
  const client = useClient();
  const load = useCallback(() => client.invoke('cases.get', { id }), [client, id]);
  const detail = useResource(load);
  // Any change under this case (another dialog, another workstation) re-reads it.
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === id) detail.reload();
  });

  if (!detail.data)
    return (
      <section className="screen">
        <a href={routeHref({ name: 'cases' })}>{t('detail.back')}</a>
        <LoadState error={detail.error} onRetry={detail.reload} />
      </section>
    );
  return <CaseView detail={detail.data} tab={tab} />;
}

function CaseView({ detail, tab }: { detail: CaseDetailDto; tab: CaseTab }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [notice, setNotice] = useState<string | null>(null);

  const tabs = [
    { key: 'overview', label: t('detail.tabs.overview') },
    { key: 'parties', label: t('detail.tabs.parties'), count: detail.parties.length },
    { key: 'officers', label: t('detail.tabs.officers'), count: detail.officers.length },
    { key: 'sessions', label: t('detail.tabs.sessions'), count: detail.sessions.length },
    { key: 'approvals', label: t('detail.tabs.approvals') },
    { key: 'documents', label: t('detail.tabs.documents') },
    { key: 'filing', label: t('detail.tabs.filing') },
    { key: 'access', label: t('detail.tabs.access') },
    // The hearing procedure belongs to a penalty case (行政处罚).
    ...(detail.matterKind === 'penalty'
      ? [{ key: 'hearing' as const, label: t('detail.tabs.hearing') }]
      : []),
    { key: 'history', label: t('detail.tabs.history') },
  ] as const;

  return (
    <section className="screen case" aria-labelledby="case-title">
      <a className="back-link" href={routeHref({ name: 'cases' })}>
        ‹ {t('detail.back')}
      </a>
      <header className="case__head">
        <div className="case__title">
          <h1 id="case-title">{detail.caseNo}</h1>
          <p className="case__cause">{detail.cause}</p>
          <p className="case__tags">
            <span className="tag">{label('matterKind', detail.matterKind)}</span>
            <span className="tag">{label('originKind', detail.origin.kind)}</span>
            <span className={`badge badge--${detail.phase}`} data-testid="case-phase">
              {label('phase', detail.phase)}
            </span>
          </p>
        </div>
        <div className="case__actions">
          <a className="button" href={routeHref({ name: 'discs', caseId: detail.id })}>
            {t('detail.discs')}
          </a>
          <AdvancePhase detail={detail} onDone={setNotice} />
        </div>
      </header>
      <PhaseStepper phase={detail.phase} />
      <Notice text={notice} />
      <Tabs
        label={t('detail.tabs.label')}
        tabs={tabs}
        selected={tab}
        onSelect={(next) => {
          // A confirmation belongs to the tab it was given on.
          setNotice(null);
          navigate({ name: 'case', id: detail.id, tab: next }, { replace: true });
        }}
      >
        <TabPanel detail={detail} tab={tab} onNotice={setNotice} />
      </Tabs>
    </section>
  );
}

function TabPanel({
  detail,
  tab,
  onNotice,
}: {
  detail: CaseDetailDto;
  tab: CaseTab;
  onNotice: (text: string) => void;
}) {
  switch (tab) {
    case 'overview':
      return <CaseOverview detail={detail} />;
    case 'parties':
      return <PartiesPanel detail={detail} onNotice={onNotice} />;
    case 'officers':
      return <CaseOfficersPanel detail={detail} onNotice={onNotice} />;
    case 'sessions':
      return <SessionsPanel detail={detail} onNotice={onNotice} />;
    case 'approvals':
      return <ApprovalFormsPanel detail={detail} />;
    case 'documents':
      return <DocumentsPanel detail={detail} />;
    case 'filing':
      return <FilingPanel detail={detail} />;
    case 'access':
      return <CaseAccessPanel detail={detail} />;
    case 'hearing':
      return <HearingProcedurePanel detail={detail} />;
    case 'history':
      return <CaseHistory caseId={detail.id} />;
  }
}

/** "Advance to the next phase", confirmed in a dialog because it cannot be undone (R1.1). */
function AdvancePhase({
  detail,
  onDone,
}: {
  detail: CaseDetailDto;
  onDone: (text: string) => void;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const client = useClient();
  const label = useEnumLabel();
  const [open, setOpen] = useState(false);
  const next = PHASES[PHASES.indexOf(detail.phase) + 1];
  const forms = useResource(
    useCallback(
      () =>
        detail.phase === 'review'
          ? client.invoke('approvals.list', { caseId: detail.id })
          : Promise.resolve([]),
      [client, detail.id, detail.phase],
    ),
  );
  useCoreEvent('approvals.changed', (e) => {
    if (e.caseId === detail.id) forms.reload();
  });
  if (!next) return <p className="muted">{t('detail.finalPhase')}</p>;
  // A case is archived by the filing act (立卷归档), on its own tab.
  if (next === 'archiving')
    return (
      <a className="button" href={routeHref({ name: 'case', id: detail.id, tab: 'filing' })}>
        {t('detail.tabs.filing')}
      </a>
    );
  if (!canInvoke(user, 'cases.advancePhase')) return null;
  // A decision is served only on an approved decision form (R1.4); the core enforces it too.
  const blocked = detail.phase === 'review' && !(forms.data ?? []).some((f) => f.counts);
  return (
    <div className="case__advance">
      <button
        type="button"
        className="button button--primary"
        onClick={() => setOpen(true)}
        disabled={blocked}
        aria-describedby={blocked ? 'advance-blocked' : undefined}
      >
        {t('detail.advance', { phase: label('phase', next) })}
      </button>
      {blocked ? (
        <p className="muted" id="advance-blocked">
          {t('detail.needsApproval')}
        </p>
      ) : null}
      {open ? (
        <AdvancePhaseDialog
          detail={detail}
          to={next}
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            onDone(t('detail.advanced', { phase: label('phase', next) }));
          }}
        />
      ) : null}
    </div>
  );
}
