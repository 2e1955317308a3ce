/**
 * Renderer entry: one i18n instance, one client (one connection to the core), one root.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { Client } from '@shared/client';
import { connect } from './app/connect';
import { ClientProvider } from './app/ClientContext';
import { AuthProvider } from './features/auth/AuthContext';
import { App, Unreachable } from './app/App';
import { createI18n } from './i18n';
import './ui/styles/base.css';
import './ui/styles/layout.css';
import './ui/styles/forms.css';
import './ui/styles/tables.css';

const i18n = createI18n();
const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks #root');

let client: Client | null = null;
let failure: string | undefined;
try {
  client = connect();
} catch (e) {
  failure = e instanceof Error ? e.message : String(e);
}

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      {client ? (
        <ClientProvider client={client}>
          <AuthProvider>
            <App />
          </AuthProvider>
        </ClientProvider>
      ) : (
        <Unreachable detail={failure} />
      )}
    </I18nextProvider>
  </StrictMode>,
);
