/**
 * The one client of the app, handed down by context so every screen talks to the core over
 * the same connection (and so tests can hand in a fake).
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Client } from '@shared/client';

const ClientContext = createContext<Client | null>(null);

export function ClientProvider({ client, children }: { client: Client; children: ReactNode }) {
  return <ClientContext value={client}>{children}</ClientContext>;
}

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientProvider>');
  return client;
}
