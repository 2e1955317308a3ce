/**
 * Who is signed in on this connection. The connection starts signed out; `app.info` says
 * whether the first administrator must be created, `auth.me` whether a session survives.
 * The core announces sign-in changes (`auth.changed`, e.g. an account disabled by the
 * administrator), and the state follows them.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppInfo } from '@shared/api';
import type { UserDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import type { Client } from '@shared/client';
import { useCoreEvent } from '../../app/coreHooks';
import { setAgencyTimeZone } from '../../ui/time';

export type AuthState =
  | { status: 'loading' }
  | { status: 'unreachable'; message: string }
  | { status: 'setup'; info: AppInfo }
  | { status: 'signedOut'; info: AppInfo; justCreated?: string }
  | { status: 'signedIn'; info: AppInfo; user: UserDto };

export interface Auth {
  state: AuthState;
  signIn(username: string, password: string): Promise<void>;
  /** After `auth.setup`: the administrator exists and signs in next. */
  setupDone(username: string): void;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** Asks the core where this connection stands: first run, signed out or signed in. */
async function readAuthState(client: Client): Promise<AuthState> {
  try {
    const info = await client.invoke('app.info', {});
    // Every view writes times in the agency's zone, whatever this machine's clock is set to.
    setAgencyTimeZone(info.timeZone);
    if (info.needsSetup) return { status: 'setup', info };
    const user = await client.invoke('auth.me', {});
    return user ? { status: 'signedIn', info, user } : { status: 'signedOut', info };
  } catch (e) {
    return { status: 'unreachable', message: e instanceof Error ? e.message : String(e) };
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    void readAuthState(client).then((next) => {
      if (live) setState(next);
    });
    return () => {
      live = false;
    };
  }, [client]);
  useCoreEvent('auth.changed', () => void readAuthState(client).then(setState));
  useCoreEvent('app.settingsChanged', () => void readAuthState(client).then(setState));

  const auth = useMemo<Auth>(
    () => ({
      state,
      async signIn(username, password) {
        const user = await client.invoke('auth.signIn', { username, password });
        setState((s) => ('info' in s ? { status: 'signedIn', info: s.info, user } : s));
      },
      setupDone(username) {
        setState((s) =>
          'info' in s
            ? { status: 'signedOut', info: { ...s.info, needsSetup: false }, justCreated: username }
            : s,
        );
      },
      async signOut() {
        try {
          await client.invoke('auth.signOut', {});
        } finally {
          setState((s) => ('info' in s ? { status: 'signedOut', info: s.info } : s));
        }
      },
    }),
    [client, state],
  );

  return <AuthContext value={auth}>{children}</AuthContext>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthProvider>');
  return auth;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useUser(): UserDto {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useUser while signed out');
  return state.user;
}
