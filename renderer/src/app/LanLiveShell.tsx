/**
 * The live room's pages on the LAN, once signed in: who is signed in, the language, and the
 * observer page of the address opened. Nothing else of the app is reachable from here (the
 * server passes only these pages' methods).
 */
import { useTranslation } from 'react-i18next';
import { LiveScreen } from '../features/live/LiveScreen';
import { useSectionT } from '../i18n/section';
import { UserBlock } from './AppShell';
import type { ShellRoute } from './route';

export function LanLiveShell({ route }: { route: ShellRoute }) {
  const { t } = useTranslation();
  const live = useSectionT('live');
  return (
    <div className="shell">
      <header className="shell__header">
        <span className="shell__brand">{t('app.name')}</span>
        <span className="shell__nav" aria-hidden="true" />
        <UserBlock />
      </header>
      <main id="main" className="shell__main" tabIndex={-1}>
        {route.name === 'live' ? (
          <LiveScreen key={route.sessionId} caseId={route.caseId} sessionId={route.sessionId} />
        ) : (
          <p className="banner" role="status">
            {live('lanOnly')}
          </p>
        )}
      </main>
    </div>
  );
}
