import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadServerConfig, SessionProvider } from './app/session';
import { I18nProvider } from './i18n/i18n';
import './styles.css';

// The first screen already counts days and names identifiers as this server does
// (/config.json); a server that does not answer within 2 s leaves the defaults.
const configured = Promise.race([loadServerConfig(), new Promise<void>((resolve) => setTimeout(resolve, 2000))]);

void configured.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </I18nProvider>
    </StrictMode>,
  ),
);
