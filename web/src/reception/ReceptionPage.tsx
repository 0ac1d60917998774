// Reception: scan the citizen-ID or insurance card (or search, or register by hand), see
// who it is and their insurance, start the visit in a department, print the queue ticket.
// Keyboard flow: scan → Enter on "Start visit" → the ticket prints → F2 for the next one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IdentifyResult, InsuranceCheckResult } from '../api/api';
import type { Coverage, Patient } from '../api/fhir';
import { SCAN_FOCUS_EVENT, SEARCH_FOCUS_EVENT } from '../app/events';
import { useApi, useSession } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { facilityDate, formatDate } from '../lib/dates';
import { DEPARTMENTS, departmentLabel, rememberDepartment, rememberedDepartment } from '../lib/departments';
import { bhytOf, cccdOf, coverageState, displayName } from '../lib/patient-view';
import { emptyForm, formFromIdentity, type RegistrationForm as Form } from '../lib/registration';
import { paperWidth, setPaperWidth, ticketFor, type PaperWidth, type TicketData } from '../lib/ticket';
import { PatientBanner } from '../patient/PatientBanner';
import { InsuranceCheck } from './InsuranceCheck';
import { PatientSearch } from './PatientSearch';
import { QueueTicket } from './QueueTicket';
import { RegistrationForm } from './RegistrationForm';
import { ScanBox } from './ScanBox';

interface Selected {
  patient: Patient;
  coverage: Coverage | undefined;
  /** The insurance check of a scanned card, and the card's registered facility. */
  insurance?: InsuranceCheckResult | undefined;
  registeredFacility?: string | undefined;
  /** How the patient was found: scan found / scan registered / search / form. */
  how: 'found' | 'created' | 'search' | 'registered';
}

type Panel =
  | { kind: 'idle' }
  | { kind: 'candidates'; result: IdentifyResult }
  | { kind: 'register'; initial: Form; reason: 'manual' | 'card' }
  | { kind: 'patient'; selected: Selected }
  | { kind: 'ticket'; selected: Selected; ticket: TicketData };

export default function ReceptionPage() {
  const { t, lang } = useI18n();
  const api = useApi();
  const { session } = useSession();
  const [panel, setPanel] = useState<Panel>({ kind: 'idle' });
  const [scanBusy, setScanBusy] = useState(false);
  const [scanError, setScanError] = useState<unknown>();
  const [warnings, setWarnings] = useState<string[]>([]);
  const [department, setDepartment] = useState(rememberedDepartment);
  const [width, setWidth] = useState<PaperWidth>(paperWidth);
  const [visitBusy, setVisitBusy] = useState(false);
  const [visitError, setVisitError] = useState<unknown>();
  const startRef = useRef<HTMLButtonElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);

  const select = useCallback((selected: Selected) => {
    setVisitError(undefined);
    setPanel({ kind: 'patient', selected });
  }, []);

  // Once a patient is on screen, Enter starts the visit; once the ticket is, F2 goes on.
  const focusKey = panel.kind === 'patient' ? `p:${panel.selected.patient.id}` : panel.kind === 'ticket' ? `t:${panel.ticket.encounterId}` : '';
  useEffect(() => {
    if (focusKey.startsWith('p:')) startRef.current?.focus();
    if (focusKey.startsWith('t:')) printRef.current?.focus();
  }, [focusKey]);

  const onScan = async (qr: string) => {
    setScanBusy(true);
    setScanError(undefined);
    setWarnings([]);
    try {
      const result = await api.identify(qr);
      // notes meant for API callers that the screen acts on by itself (passing the check on)
      setWarnings(result.warnings.filter((w) => !w.includes('$start-visit')));
      const registeredFacility = [result.identity.registered_facility, result.identity.registered_facility_name].filter(Boolean).join(' – ');
      if (result.patient) {
        select({
          patient: result.patient,
          coverage: result.coverage,
          insurance: result.insurance,
          registeredFacility,
          how: result.created ? 'created' : 'found',
        });
      } else if (result.candidates.length) {
        setPanel({ kind: 'candidates', result });
      } else {
        setPanel({ kind: 'register', initial: formFromIdentity(result.identity), reason: 'card' });
      }
    } catch (e) {
      setScanError(e);
    } finally {
      setScanBusy(false);
    }
  };

  const onSearchSelect = (p: Patient) => {
    setWarnings([]);
    select({ patient: p, coverage: undefined, how: 'search' });
  };

  // A patient found by search: their recorded coverage, when this facility may see it.
  const selectedPatientId = panel.kind === 'patient' ? panel.selected.patient.id : undefined;
  const needsCoverage = panel.kind === 'patient' && !panel.selected.coverage && panel.selected.how !== 'created';
  useEffect(() => {
    if (!selectedPatientId || !needsCoverage) return;
    let live = true;
    api
      .coveragesOf(selectedPatientId)
      .then((list) => {
        const today = facilityDate();
        const best = list.find((c) => coverageState(c, today) === 'valid') ?? list[0];
        if (!live || !best) return;
        setPanel((p) => (p.kind === 'patient' && p.selected.patient.id === selectedPatientId ? { kind: 'patient', selected: { ...p.selected, coverage: best } } : p));
      })
      .catch(() => undefined); // no access yet (no care relationship): the card on the Patient is shown
    return () => {
      live = false;
    };
  }, [api, selectedPatientId, needsCoverage]);

  const startVisit = async (selected: Selected) => {
    if (!selected.patient.id) return;
    setVisitBusy(true);
    setVisitError(undefined);
    try {
      const { encounter, number } = await api.startVisit(selected.patient.id, department, selected.coverage);
      const facility = session?.facilityName || session?.facility || '';
      const ticket = ticketFor(encounter, displayName(selected.patient), facility, departmentLabel(department, lang), new Date(), number);
      setPanel({ kind: 'ticket', selected, ticket });
    } catch (e) {
      setVisitError(e);
    } finally {
      setVisitBusy(false);
    }
  };

  // Print as soon as the ticket is on screen.
  const ticketShown = panel.kind === 'ticket' ? panel.ticket : undefined;
  useEffect(() => {
    if (!ticketShown) return;
    const timer = setTimeout(() => window.print(), 50);
    return () => clearTimeout(timer);
  }, [ticketShown]);

  // Shortcuts of this screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F3') {
        e.preventDefault();
        window.dispatchEvent(new Event(SEARCH_FOCUS_EVENT));
      } else if (e.key === 'F4') {
        e.preventDefault();
        setPanel({ kind: 'register', initial: emptyForm(), reason: 'manual' });
      } else if (e.key === 'F9' && ticketShown) {
        e.preventDefault();
        window.print();
      } else if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
        if (panel.kind !== 'idle') {
          setPanel({ kind: 'idle' });
          window.dispatchEvent(new Event(SCAN_FOCUS_EVENT));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ticketShown, panel.kind]);

  const chooseDepartment = (code: string) => {
    setDepartment(code);
    rememberDepartment(code);
  };

  const next = () => {
    setPanel({ kind: 'idle' });
    setWarnings([]);
    window.dispatchEvent(new Event(SCAN_FOCUS_EVENT));
  };

  return (
    <div className="reception">
      <h1 className="visually-hidden">{t('nav.reception')}</h1>
      <div className="reception-left">
        <ScanBox busy={scanBusy} onScan={(qr) => void onScan(qr)} />
        <ErrorBox error={scanError} testId="scan-error" />
        <PatientSearch
          onSelect={onSearchSelect}
          onScan={(qr) => void onScan(qr)}
          onRegister={() => setPanel({ kind: 'register', initial: emptyForm(), reason: 'manual' })}
        />
      </div>
      <div className="reception-right" aria-live="polite">
        {warnings.length > 0 && (
          <ul className="warnings" data-testid="warnings" aria-label={t('scan.warnings')}>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
        {panel.kind === 'idle' && (
          <section className="panel placeholder-help">
            <h2>{t('reception.welcome')}</h2>
            <ol>
              <li>{t('reception.step1')}</li>
              <li>{t('reception.step2')}</li>
              <li>{t('reception.step3')}</li>
            </ol>
          </section>
        )}
        {panel.kind === 'candidates' && (
          <section className="panel" aria-labelledby="candidates-title" data-testid="candidates">
            <h2 id="candidates-title">{t('candidates.title')}</h2>
            <p className="muted">{t('candidates.explain')}</p>
            <ul className="results">
              {panel.result.candidates.map(({ patient, score, reasons }) => (
                <li key={patient.id}>
                  <button
                    type="button"
                    className="result"
                    onClick={() => select({ patient, coverage: panel.result.coverage, insurance: panel.result.insurance, how: 'search' })}
                  >
                    <span className="result-name">{displayName(patient)}</span>
                    <span className="result-demo">
                      {formatDate(patient.birthDate)} · {cccdOf(patient) || bhytOf(patient)?.value || patient.id}
                    </span>
                    {score !== undefined && <span className="badge">{t('candidates.score', { score: Math.round(score * 100) })}</span>}
                    {reasons.length > 0 && <span className="result-ids">{reasons.join('; ')}</span>}
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" className="secondary" onClick={() => setPanel({ kind: 'register', initial: formFromIdentity(panel.result.identity), reason: 'card' })}>
              {t('candidates.none')}
            </button>
          </section>
        )}
        {panel.kind === 'register' && (
          <RegistrationForm
            initial={panel.initial}
            reason={panel.reason}
            onCreated={(p) => select({ patient: p, coverage: undefined, how: 'registered' })}
            onCancel={next}
          />
        )}
        {(panel.kind === 'patient' || panel.kind === 'ticket') && (
          <>
            {panel.kind === 'patient' && panel.selected.how !== 'search' && (
              <p className="notice" role="status" data-testid="identify-status">
                {t(`reception.how.${panel.selected.how}`)}
              </p>
            )}
            <PatientBanner patient={panel.selected.patient} coverage={panel.selected.coverage} />
            <InsuranceCheck
              patient={panel.selected.patient}
              coverage={panel.selected.coverage}
              check={panel.selected.insurance}
              registeredFacility={panel.selected.registeredFacility}
            />
          </>
        )}
        {panel.kind === 'patient' && (
          <section className="panel visit" aria-labelledby="visit-title">
            <h3 id="visit-title">{t('visit.title')}</h3>
            <div className="visit-row">
              <div className="field">
                <label htmlFor="visit-department">{t('visit.department')}</label>
                <select id="visit-department" value={department} onChange={(e) => chooseDepartment(e.target.value)}>
                  {DEPARTMENTS.map((d) => (
                    <option key={d.code} value={d.code}>
                      {d[lang]}
                    </option>
                  ))}
                  {!DEPARTMENTS.some((d) => d.code === department) && <option value={department}>{department}</option>}
                </select>
              </div>
              <button
                type="button"
                ref={startRef}
                className="primary big"
                disabled={visitBusy}
                onClick={() => void startVisit(panel.selected)}
                data-testid="start-visit"
              >
                {visitBusy ? t('visit.busy') : t('visit.start')}
              </button>
            </div>
            <ErrorBox error={visitError} testId="visit-error" />
          </section>
        )}
        {panel.kind === 'ticket' && (
          <section className="panel ticket-panel" aria-labelledby="ticket-title">
            <h3 id="ticket-title">{t('ticket.title')}</h3>
            <QueueTicket ticket={panel.ticket} width={width} />
            <div className="actions">
              <button type="button" ref={printRef} className="primary" onClick={() => window.print()} data-testid="print-ticket">
                {t('ticket.print')}
              </button>
              <button type="button" className="secondary" onClick={next} data-testid="next-patient">
                {t('ticket.next')}
              </button>
              <label className="inline">
                {t('ticket.width')}{' '}
                <select
                  value={width}
                  onChange={(e) => {
                    const w = Number(e.target.value) === 58 ? 58 : 80;
                    setWidth(w);
                    setPaperWidth(w);
                  }}
                >
                  <option value={80}>80 mm</option>
                  <option value={58}>58 mm</option>
                </select>
              </label>
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
