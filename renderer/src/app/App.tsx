import { useTranslation } from 'react-i18next';
import { useAuth } from '../features/auth/AuthContext';
import { AppShell } from './AppShell';
import { SetupScreen } from '../features/auth/SetupScreen';
import { SignInScreen } from '../features/auth/SignInScreen';
import { PartySigningScreen } from '../features/signing/PartySigningScreen';
import { useRoute } from './useRoute';
import { RemoteJoinScreen } from '../features/live/RemoteJoinScreen';
import { LanLiveShell } from './LanLiveShell';
import { lanTransport } from './connect';

/**
 * Chooses the screen from the route and the sign-in state: the party's signing page, or
 * connecting, first run, sign-in, the desk signing view or the app's shell.
 */
export function App() {
  const { state } = useAuth();
  const { t } = useTranslation();
  const route = useRoute();
  // The party's signing page needs no sign-in: its address carries the signing's token, and
  // it shows that one record and nothing else (no navigation).
  if (route.name === 'partySigning') {
    return (
      <PartySigningScreen
        key={`${route.signingId}/${route.token}`}
        signingId={route.signingId}
        token={route.token}
      />
    );
  }
  // A remote participant's page: the invitation's token is the right, no account.
  if (route.name === 'remoteJoin')
    return <RemoteJoinScreen key={route.token} token={route.token} />;
  switch (state.status) {
    case 'loading':
      return (
        <p className="splash" role="status">
          {t('app.connecting')}
        </p>
      );
    case 'unreachable':
      return <Unreachable detail={state.message} />;
    case 'setup':
      return <SetupScreen />;
    case 'signedOut':
      return <SignInScreen justCreated={state.justCreated} />;
    case 'signedIn':
      // Keyed by user: nothing one user had open carries over to the next. On the live
      // room's LAN pages, only the observer page.
      return lanTransport() === 'lan-live' ? (
        <LanLiveShell key={state.user.id} route={route} />
      ) : (
        <AppShell key={state.user.id} route={route} />
      );
  }
}

export function Unreachable({ detail }: { detail?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <main className="splash">
      <div className="banner banner--error" role="alert">
        <strong>{t('app.noBridge')}</strong>
        {detail ? <span className="banner__detail">{detail}</span> : null}
      </div>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        {t('app.reload')}
      </button>
    </main>
  );
}
