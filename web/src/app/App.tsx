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
import { billingScreens, clinicalScreens, landingPath, roleKey } from './roles';
import type { ClaimState } from '../api/claims';

const ReceptionPage = lazy(() => import('../reception/ReceptionPage'));
const PatientSummaryPage = lazy(() => import('../patient/PatientSummaryPage'));
const QueuePage = lazy(() => import('../queue/QueuePage'));
const QueueDisplay = lazy(() => import('../queue/QueueDisplay'));
// the clinical screens (issue 7)
const DoctorPage = lazy(() => import('../clinical/DoctorPage'));
const VisitPage = lazy(() => import('../clinical/VisitPage'));
const ChartPage = lazy(() => import('../chart/ChartPage'));
const PharmacyPage = lazy(() => import('../pharmacy/PharmacyPage'));
const InpatientPage = lazy(() => import('../inpatient/InpatientPage'));
const AdmitPage = lazy(() => import('../inpatient/AdmitPage'));
const StayPage = lazy(() => import('../inpatient/StayPage'));
const LabResultsPage = lazy(() => import('../lab/LabResultsPage'));
const ImagingStudiesPage = lazy(() => import('../imaging/ImagingStudiesPage'));
const ReconciliationPage = lazy(() => import('../lab/ReconciliationPage'));
const CashierPage = lazy(() => import('../cashier/CashierPage'));
const CustomerDisplay = lazy(() => import('../cashier/CustomerDisplay'));
const ClaimsPage = lazy(() => import('../claims/ClaimsPage'));
const ClaimPreviewPage = lazy(() => import('../claims/ClaimPreviewPage'));

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
        // The scan box takes F2 itself, at once (ScanBox); from another screen it focuses
        // when it mounts. Asking for it later would select what a scanner has typed since.
        if (route.name !== 'reception') navigate('/reception');
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
      doctor: t('nav.doctor'),
      visit: t('clin.visit.title'),
      chart: t('chart.title'),
      pharmacy: t('nav.pharmacy'),
      inpatient: t('nav.inpatient'),
      admit: t('inp.admit.title'),
      stay: t('inp.stay.title'),
      lab: t('lab.title'),
      imaging: t('imaging.title'),
      reconciliation: t('nav.reconciliation'),
      cashier: t('nav.cashier'),
      'cashier-display': t('cashier.display.title'),
      claims: t('nav.claims'),
      claim: t('claims.previewTitle'),
    };
    document.title = `${session ? titles[route.name] : t('signin.title')} — healthbook`;
  }, [t, route.name, session]);

  // clinical roles land on their own screen from the bare address
  useEffect(() => {
    const landing = session ? landingPath(session.role) : '';
    if (landing && loc.path === '/') navigate(landing, true);
  }, [session, loc.path]);

  if (!session) return <SignIn />;

  if (route.name === 'cashier-display') {
    return (
      <Suspense fallback={<div className="loading">{t('common.loading')}</div>}>
        <CustomerDisplay invoiceId={route.invoice} />
      </Suspense>
    );
  }

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
          {clinicalScreens(session.role).map((s) => (
            <Link key={s} href={`/${s}`} aria-current={route.name === s || (s === 'doctor' && route.name === 'visit') || (s === 'inpatient' && (route.name === 'admit' || route.name === 'stay')) ? 'page' : undefined}>
              {t(`nav.${s}`)}
            </Link>
          ))}
          <Link href="/reconciliation" aria-current={route.name === 'reconciliation' ? 'page' : undefined}>
            {t('nav.reconciliation')}
          </Link>
          {billingScreens(session.role).map((s) => (
            <Link key={s} href={`/${s}`} aria-current={route.name === s || (s === 'claims' && route.name === 'claim') ? 'page' : undefined}>
              {t(`nav.${s}`)}
            </Link>
          ))}
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
          {route.name === 'doctor' && <DoctorPage department={route.department} />}
          {route.name === 'visit' && <VisitPage key={route.id} id={route.id} />}
          {route.name === 'chart' && <ChartPage id={route.id} />}
          {route.name === 'pharmacy' && <PharmacyPage />}
          {route.name === 'inpatient' && <InpatientPage ward={route.ward} />}
          {route.name === 'admit' && <AdmitPage encounter={route.encounter} />}
          {route.name === 'stay' && <StayPage key={route.id} id={route.id} />}
          {route.name === 'lab' && <LabResultsPage key={route.id} id={route.id} />}
          {route.name === 'imaging' && <ImagingStudiesPage key={route.id} id={route.id} />}
          {route.name === 'reconciliation' && <ReconciliationPage />}
          {route.name === 'cashier' && <CashierPage patientId={route.patient} tab={route.tab} />}
          {route.name === 'claims' && <ClaimsPage state={route.state as ClaimState} />}
          {route.name === 'claim' && <ClaimPreviewPage encounterId={route.encounter} schema={route.schema} />}
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
