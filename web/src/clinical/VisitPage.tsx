// One outpatient visit, top to bottom as the doctor works: the patient (with allergies
// always in sight), vital signs, history and examination, diagnoses, orders, the
// prescription, closing the visit. Alt+1…6 jump to the sections.
import { useCallback, useEffect, useState } from 'react';
import type { AllergyIntolerance, Condition, MedicationRequest, Observation, ServiceRequest } from '../api/clinical-types';
import type { Encounter, Patient } from '../api/fhir';
import { Link } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { ageOn, facilityDate } from '../lib/dates';
import { PatientBanner } from '../patient/PatientBanner';
import { AllergyStrip } from '../chart/AllergyStrip';
import { CloseVisit } from './CloseVisit';
import { DiagnosisEditor } from './DiagnosisEditor';
import { readDiagnoses } from './diagnoses';
import { readExam } from './exam';
import { ExamForm } from './ExamForm';
import { OrdersEditor } from './OrdersEditor';
import { PrescriptionEditor } from './PrescriptionEditor';
import { useClinicalApi } from './useClinicalApi';
import { latestVitals, OBS_CATEGORY } from './vitals';
import { VitalsForm } from './VitalsForm';

const SECTIONS = ['vitals', 'exam', 'dx', 'orders', 'rx', 'close'] as const;

interface VisitData {
  encounter: Encounter;
  patient: Patient;
  observations: Observation[];
  conditions: Condition[];
  orders: ServiceRequest[];
  prescriptions: MedicationRequest[];
  allergies: AllergyIntolerance[];
}

export default function VisitPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const base = useApi();
  const [data, setData] = useState<VisitData | undefined>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    const encounter = await api.encounter(id);
    const patientId = (encounter.subject?.reference ?? '').replace(/^Patient\//, '');
    const enc = `encounter=${encodeURIComponent(`Encounter/${id}`)}`;
    const [patient, observations, conditions, orders, prescriptions, allergies] = await Promise.all([
      base.readPatient(patientId),
      api.search<Observation>('Observation', `${enc}&_count=200`),
      api.search<Condition>('Condition', `${enc}&_count=50`),
      api.search<ServiceRequest>('ServiceRequest', `${enc}&_count=100&_sort=-authored`),
      api.search<MedicationRequest>('MedicationRequest', `${enc}&_count=100`),
      api.search<AllergyIntolerance>('AllergyIntolerance', `patient=${encodeURIComponent(`Patient/${patientId}`)}&_count=50`),
    ]);
    return { encounter, patient, observations, conditions, orders, prescriptions, allergies };
  }, [api, base, id]);

  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [load, version]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= SECTIONS.length) {
        e.preventDefault();
        const el = document.getElementById(`visit-${SECTIONS[n - 1]}`);
        el?.scrollIntoView({ block: 'start' });
        el?.querySelector<HTMLElement>('input, textarea, select, button')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const reload = () => setVersion((v) => v + 1);

  if (error) return <ErrorBox error={error} />;
  if (!data) return <div className="loading">{t('common.loading')}</div>;

  const { encounter, patient } = data;
  const patientRef = `Patient/${patient.id}`;
  const encounterRef = `Encounter/${id}`;
  const age = patient.birthDate ? ageOn(patient.birthDate, facilityDate())?.years : undefined;
  const vitalsObs = data.observations.filter((o) => o.category?.some((c) => c.coding?.some((x) => x.system === OBS_CATEGORY && x.code === 'vital-signs')));
  const exam = readExam(data.observations);
  const finished = encounter.status === 'finished' || encounter.status === 'cancelled';

  const section = (key: (typeof SECTIONS)[number], n: number, body: React.ReactNode) => (
    <section className="panel visit-section" id={`visit-${key}`} aria-labelledby={`visit-${key}-h`} data-testid={`visit-${key}`}>
      <h2 id={`visit-${key}-h`}>
        <span className="section-n" aria-hidden="true">
          {n}
        </span>{' '}
        {t(`clin.visit.${key}` as MessageKey)}
      </h2>
      {/* a closed visit is read-only (corrections go through the record's amendment rules) */}
      <fieldset className="plain-fieldset" disabled={finished && key !== 'close'}>
        {body}
      </fieldset>
    </section>
  );

  return (
    <div className="visit" data-testid="visit-page">
      <h1 className="visually-hidden">{t('clin.visit.title')}</h1>
      <PatientBanner patient={patient} />
      <div className="visit-bar">
        <AllergyStrip allergies={data.allergies} patientRef={patientRef} onAdded={reload} />
        <nav className="visit-nav" aria-label={t('clin.visit.sections')}>
          {SECTIONS.map((s, i) => (
            <a key={s} href={`#visit-${s}`} title={`Alt+${i + 1}`}>
              {t(`clin.visit.${s}` as MessageKey)}
            </a>
          ))}
          <Link href={`/patients/${encodeURIComponent(patient.id ?? '')}/chart`} data-testid="open-chart">
            {t('clin.visit.chart')}
          </Link>
        </nav>
        {finished && <span className="badge badge-valid">{t('encounter.status.finished')}</span>}
      </div>
      {section('vitals', 1, <VitalsForm key={`v${vitalsObs.length}`} patientRef={patientRef} encounterRef={encounterRef} ageYears={age} initial={latestVitals(vitalsObs)} recordedAt={vitalsObs.map((o) => o.effectiveDateTime ?? '').sort().pop() ?? ''} onSaved={reload} />)}
      {section('exam', 2, <ExamForm patientRef={patientRef} encounterRef={encounterRef} initial={exam.values} ids={exam.ids} />)}
      {section('dx', 3, <DiagnosisEditor patientRef={patientRef} encounterId={id} initial={readDiagnoses(encounter, data.conditions)} onSaved={() => undefined} />)}
      {section('orders', 4, <OrdersEditor patientRef={patientRef} encounterRef={encounterRef} sent={data.orders} onSent={reload} />)}
      {section('rx', 5, <PrescriptionEditor patient={{ reference: patientRef }} encounterRef={encounterRef} saved={data.prescriptions} onSaved={reload} />)}
      {section('close', 6, <CloseVisit encounterId={id} finished={finished} onClosed={reload} />)}
    </div>
  );
}
