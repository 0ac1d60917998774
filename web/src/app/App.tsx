// The application frame: sign-in when nobody is signed in; otherwise the header (who, role,
// facility, language, sign-out), the navigation and the current screen. Later screens are
// separate chunks loaded when first opened. The queue display runs without the frame.
import { lazy, Suspense, useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { LANGS } from '../i18n/format';
import { Link, matchRoute, navigate, useLocation } from './router';
import { useSession } from './session';
import { SignIn } from './SignIn';
import { ShortcutsDialog } from './ShortcutsDialog';
import { isTypingTarget } from '../lib/scan';
import { roleKey } from './roles';
import { SCAN_FOCUS_EVENT } from './events';

const ReceptionPage = lazy(() => import('../reception/ReceptionPage'));
const PatientSummaryPage = lazy(() => import('../patient/PatientSummaryPage'));
const QueuePage = lazy(() => import('../queue/QueuePage'));
const QueueDisplay = lazy(() => import('../queue/QueueDisplay'));

export function App() {
  const { session, signOut } = useSession();
  const { t, lang, setLang } = useI18n();
  const loc = useLocation();
  const route = matchRoute(loc.path, loc.search);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F2') {
        e.preventDefault();
        if (route.name !== 'reception') navigate('/reception');
        // after the screen is there
        setTimeout(() => window.dispatchEvent(new Event(SCAN_FOCUS_EVENT)), 0);
      } else if (e.key === '?' && !isTypingTarget(document.activeElement)) {
        e.preventDefault();
        setHelp(true);
      } else if (e.key === 'F1') {
        e.preventDefault();
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [route.name]);

  useEffect(() => {
    const titles: Record<string, string> = {
      reception: t('nav.reception'),
      patient: t('summary.title'),
      queue: t('nav.queue'),
      display: t('display.title'),
      'not-found': t('notFound.title'),
    };
    document.title = `${session ? titles[route.name] : t('signin.title')} — healthbook`;
  }, [t, route.name, session]);

  if (!session) return <SignIn />;

  if (route.name === 'display') {
    return (
      <Suspense fallback={<div className="loading">{t('common.loading')}</div>}>
        <QueueDisplay department={route.department} />
      </Suspense>
    );
  }

  const facility = session.facilityName ? `${session.facilityName} (${session.facility})` : session.facility;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            +
          </span>
          healthbook
        </div>
        <nav aria-label={t('nav.label')}>
          <Link href="/reception" aria-current={route.name === 'reception' ? 'page' : undefined}>
            {t('nav.reception')}
          </Link>
          <Link href="/queue" aria-current={route.name === 'queue' ? 'page' : undefined}>
            {t('nav.queue')}
          </Link>
        </nav>
        <div className="who" data-testid="who">
          <span className="who-user" title={session.user}>
            {session.display || session.user}
          </span>
          <span className="who-role">{t(roleKey(session.role))}</span>
          {facility && <span className="who-facility">{facility}</span>}
        </div>
        <div className="lang" role="group" aria-label={t('lang.label')}>
          {LANGS.map((l) => (
            <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)} lang={l}>
              {l === 'vi' ? 'VI' : 'EN'}
            </button>
          ))}
        </div>
        <button type="button" className="link-button" onClick={() => setHelp(true)}>
          {t('shortcuts.button')}
        </button>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          {t('signout')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<div className="loading">{t('common.loading')}</div>}>
          {route.name === 'reception' && <ReceptionPage />}
          {route.name === 'patient' && <PatientSummaryPage id={route.id} />}
          {route.name === 'queue' && <QueuePage department={route.department} />}
          {route.name === 'not-found' && (
            <section className="panel">
              <h1>{t('notFound.title')}</h1>
              <p>
                <Link href="/reception">{t('nav.reception')}</Link>
              </p>
            </section>
          )}
        </Suspense>
      </main>
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
