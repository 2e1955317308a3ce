import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth, useUser } from '../features/auth/AuthContext';
import { useEnumLabel } from '../ui/enumLabels';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { mayOpenScreen } from '../features/auth/permissions';
import { HOME, routeHref, type ShellRoute } from './route';
import { navigate } from './useRoute';
import { CaseDetailScreen } from '../features/cases/CaseDetailScreen';
import { CaseListScreen } from '../features/cases/CaseListScreen';
import { NewCaseScreen } from '../features/cases/NewCaseScreen';
import { DevicesScreen } from '../features/registers/DevicesScreen';
import { OfficersScreen } from '../features/registers/OfficersScreen';
import { UsersScreen } from '../features/registers/UsersScreen';
import { SessionScreen } from '../features/sessions/SessionScreen';
import { DiscsScreen } from '../features/discs/DiscsScreen';
import { StorageTargetsScreen } from '../features/storage/StorageTargetsScreen';
import { TrustScreen } from '../features/trust/TrustScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { AuditScreen } from '../features/audit/AuditScreen';
import { StatisticsScreen } from '../features/statistics/StatisticsScreen';
import { AccessScreen } from '../features/access/AccessScreen';
import { DeskSigningScreen } from '../features/signing/DeskSigningScreen';
import { IntakeScreen } from '../features/casework/IntakeScreen';
import { FilingBoardScreen } from '../features/casework/FilingBoardScreen';
import { LiveScreen } from '../features/live/LiveScreen';

/** The navigation, in order; a screen is listed to those who may open it (mayOpenScreen). */
const NAV = [
  { name: 'cases', label: 'shell.nav.cases' },
  { name: 'intake', label: 'casework.intake.nav' },
  { name: 'filing', label: 'casework.filing.board' },
  { name: 'officers', label: 'shell.nav.officers' },
  { name: 'devices', label: 'shell.nav.devices' },
  { name: 'users', label: 'shell.nav.users' },
  { name: 'storage', label: 'storage.nav' },
  { name: 'trust', label: 'trust.nav' },
  { name: 'access', label: 'access.nav' },
  { name: 'stats', label: 'statistics.nav' },
  { name: 'audit', label: 'auditViewer.nav' },
  { name: 'settings', label: 'settings.nav' },
] as const;

type Section = (typeof NAV)[number]['name'];

function sectionOf(route: ShellRoute): Section {
  return route.name === 'case' ||
    route.name === 'newCase' ||
    route.name === 'session' ||
    route.name === 'deskSigning' ||
    route.name === 'live' ||
    route.name === 'discs'
    ? 'cases'
    : route.name;
}

/** Header (who is signed in, language, sign-out), navigation and the current screen. */
export function AppShell({ route: asked }: { route: ShellRoute }) {
  const { t } = useTranslation();
  const user = useUser();
  // A screen this user may not open (the address another account left) is the case list.
  const allowed = mayOpenScreen(user, asked.name);
  const route: ShellRoute = allowed ? asked : HOME;
  useEffect(() => {
    if (!allowed) navigate(HOME, { replace: true });
  }, [allowed]);
  const section = sectionOf(route);
  const main = useRef<HTMLElement>(null);
  const screen =
    route.name === 'case'
      ? `case/${route.id}`
      : route.name === 'session'
        ? `session/${route.sessionId}`
        : route.name === 'deskSigning'
          ? `signing/${route.sessionId}`
          : route.name === 'live'
            ? `live/${route.sessionId}`
            : route.name;
  useEffect(() => {
    // After a screen change the clicked link is gone and focus fell to <body>; start the
    // keyboard at the new screen instead (a field that asked for focus keeps it).
    if (!document.activeElement || document.activeElement === document.body) main.current?.focus();
  }, [screen]);
  const nav = NAV.filter((n) => mayOpenScreen(user, n.name));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToMain')}
      </a>
      <header className="shell__header">
        <span className="shell__brand">{t('app.name')}</span>
        <nav className="shell__nav" aria-label={t('shell.mainNav')}>
          {nav.map((n) => (
            <a
              key={n.name}
              href={routeHref({ name: n.name })}
              className="shell__nav-link"
              aria-current={n.name === section ? 'page' : undefined}
            >
              {t(n.label)}
            </a>
          ))}
        </nav>
        <UserBlock />
      </header>
      <main id="main" className="shell__main" tabIndex={-1} ref={main}>
        <Screen route={route} />
      </main>
    </div>
  );
}

export function UserBlock() {
  const { t } = useTranslation();
  const auth = useAuth();
  const user = useUser();
  const label = useEnumLabel();
  // An account named after its role ("系统管理员") is not introduced twice.
  const roles = user.roles.map((r) => label('userRole', r)).filter((r) => r !== user.displayName);
  return (
    <div className="shell__user">
      <span className="shell__who" data-testid="current-user">
        <span className="visually-hidden">{t('shell.user')}: </span>
        <strong>{user.displayName}</strong>
        {roles.length ? <span className="shell__roles">{roles.join('、')}</span> : null}
      </span>
      <LanguageSwitch />
      <button type="button" className="button button--on-dark" onClick={() => void auth.signOut()}>
        {t('shell.signOut')}
      </button>
    </div>
  );
}

function Screen({ route }: { route: ShellRoute }) {
  switch (route.name) {
    case 'cases':
      return <CaseListScreen />;
    case 'newCase':
      return <NewCaseScreen />;
    case 'case':
      return <CaseDetailScreen key={route.id} id={route.id} tab={route.tab} />;
    case 'session':
      return (
        <SessionScreen key={route.sessionId} caseId={route.caseId} sessionId={route.sessionId} />
      );
    case 'officers':
      return <OfficersScreen />;
    case 'devices':
      return <DevicesScreen />;
    case 'users':
      return <UsersScreen />;
    case 'discs':
      return <DiscsScreen key={route.caseId} caseId={route.caseId} />;
    case 'storage':
      return <StorageTargetsScreen />;
    case 'trust':
      return <TrustScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'stats':
      return <StatisticsScreen />;
    case 'access':
      return <AccessScreen key={route.caseId ?? 0} caseId={route.caseId} />;
    case 'intake':
      return <IntakeScreen />;
    case 'filing':
      return <FilingBoardScreen />;
    case 'deskSigning':
      return <DeskSigningScreen key={route.sessionId} sessionId={route.sessionId} />;
    case 'live':
      return <LiveScreen key={route.sessionId} caseId={route.caseId} sessionId={route.sessionId} />;
  }
}
