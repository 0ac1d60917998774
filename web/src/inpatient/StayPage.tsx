// One inpatient stay (doctors and nurses): the patient and bed, then tabs: progress notes
// (tờ điều trị), nursing care (phiếu chăm sóc), medication orders and the administration
// record, transfer, discharge (and its papers). Alt+1…5 switch tabs.
import { useCallback, useEffect, useState } from 'react';
import type { AllergyIntolerance, ClinicalImpression, Composition, Condition, MedicationAdministration, MedicationRequest } from '../api/clinical-types';
import { readDiagnoses } from '../clinical/diagnoses';
import type { Encounter, Patient } from '../api/fhir';
import { Link } from '../app/router';
import { useApi, useSession } from '../app/session';
import { AllergyStrip } from '../chart/AllergyStrip';
import { ErrorBox } from '../common/ErrorBox';
import { PrescriptionEditor } from '../clinical/PrescriptionEditor';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { facilityDate, formatDateTime } from '../lib/dates';
import { PatientBanner } from '../patient/PatientBanner';
import { DischargePanel } from './DischargePanel';
import { MarPanel } from './MarPanel';
import { noteKindOf } from './notes';
import { NotesPanel } from './NotesPanel';
import { dayOfStay } from './occupancy';
import { TransferPanel } from './TransferPanel';

const TABS = ['progress', 'nursing', 'meds', 'transfer', 'discharge'] as const;
type Tab = (typeof TABS)[number];

interface StayData {
  encounter: Encounter;
  patient: Patient;
  notes: ClinicalImpression[];
  papers: Composition[];
  conditions: Condition[];
  orders: MedicationRequest[];
  administrations: MedicationAdministration[];
  allergies: AllergyIntolerance[];
}

export default function StayPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const base = useApi();
  const { session } = useSession();
  const [tab, setTab] = useState<Tab>(session?.role === 'nurse' ? 'nursing' : 'progress');
  const [data, setData] = useState<StayData | undefined>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    (async () => {
      const encounter = await api.encounter(id);
      const pid = (encounter.subject?.reference ?? '').replace(/^Patient\//, '');
      const enc = encodeURIComponent(`Encounter/${id}`);
      const [patient, notes, papers, orders, administrations, allergies, conditions] = await Promise.all([
        base.readPatient(pid),
        api.search<ClinicalImpression>('ClinicalImpression', `encounter=${enc}&_count=200`),
        api.search<Composition>('Composition', `encounter=${enc}&_count=50`),
        api.search<MedicationRequest>('MedicationRequest', `encounter=${enc}&_count=200`),
        api.search<MedicationAdministration>('MedicationAdministration', `context=${enc}&_count=500`),
        api.search<AllergyIntolerance>('AllergyIntolerance', `patient=${encodeURIComponent(`Patient/${pid}`)}&_count=50`),
        api.search<Condition>('Condition', `encounter=${enc}&_count=50`),
      ]);
      return { encounter, patient, notes, papers, orders, administrations, allergies, conditions };
    })().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, base, id, version]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= TABS.length) {
        e.preventDefault();
        setTab(TABS[n - 1]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (error) return <ErrorBox error={error} />;
  if (!data) return <div className="loading">{t('common.loading')}</div>;
  const { encounter, patient } = data;
  const finished = encounter.status === 'finished' || encounter.status === 'cancelled';
  const bed = encounter.location?.filter((l) => (l.status ?? 'active') === 'active').map((l) => l.location.display ?? l.location.reference).join(' · ');
  const patientRef = `Patient/${patient.id}`;
  const encounterRef = `Encounter/${id}`;
  const notes = (k: 'progress' | 'nursing') => data.notes.filter((c) => noteKindOf(c) === k);
  const papers = data.papers;

  return (
    <div className="stay" data-testid="stay-page">
      <h1 className="visually-hidden">{t('inp.stay.title')}</h1>
      <PatientBanner patient={patient} />
      <div className="visit-bar no-print">
        <AllergyStrip allergies={data.allergies} patientRef={patientRef} onAdded={reload} />
        <span data-testid="stay-bed">
          {t('inp.stay.bed')}: <strong>{bed || '—'}</strong>
        </span>
        <span>
          {t('inp.stay.since', { date: formatDateTime(encounter.period?.start) })} · {t('inp.bed.day', { n: dayOfStay(encounter.period?.start ?? '', facilityDate()) })}
        </span>
        {finished && (
          <span className="badge badge-valid" data-testid="stay-finished">
            {t('inp.stay.discharged')}
          </span>
        )}
        <Link href={`/patients/${encodeURIComponent(patient.id ?? '')}/chart`}>{t('clin.visit.chart')}</Link>
      </div>
      <div className="tabs no-print" role="tablist">
        {TABS.map((k, i) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'tab active' : 'tab'} onClick={() => setTab(k)} title={`Alt+${i + 1}`} data-testid={`stay-tab-${k}`}>
            {t(`inp.tab.${k}` as MessageKey)}
          </button>
        ))}
      </div>
      <section className="panel" role="tabpanel">
        {tab === 'progress' && <NotesPanel kind="progress" notes={notes('progress')} patientRef={patientRef} encounterRef={encounterRef} onSaved={reload} readOnly={finished} />}
        {tab === 'nursing' && <NotesPanel kind="nursing" notes={notes('nursing')} patientRef={patientRef} encounterRef={encounterRef} onSaved={reload} readOnly={finished} />}
        {tab === 'meds' && (
          <>
            <h2>{t('inp.mar.title')}</h2>
            <MarPanel orders={data.orders} administrations={data.administrations} encounterRef={encounterRef} onSaved={reload} readOnly={finished} />
            {!finished && session?.role !== 'nurse' && (
              <>
                <h2>{t('inp.meds.order')}</h2>
                <PrescriptionEditor patient={{ reference: patientRef }} encounterRef={encounterRef} saved={data.orders} onSaved={reload} />
              </>
            )}
          </>
        )}
        {tab === 'transfer' && (finished ? <p className="muted">{t('inp.stay.discharged')}</p> : <TransferPanel encounterId={id} onDone={reload} />)}
        {tab === 'discharge' && <DischargePanel encounterId={id} finished={finished} existing={papers} diagnoses={readDiagnoses(encounter, data.conditions)} onDone={reload} />}
      </section>
    </div>
  );
}
