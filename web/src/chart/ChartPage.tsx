// The patient chart (every clinical role): one call to Patient/$chart, then the encounter
// timeline across facilities, problems, allergies (with "add"), medications,
// immunisations, lab trends (one small chart per LOINC series) and imaging.
import { useCallback, useEffect, useState } from 'react';
import type { Encounter, Patient } from '../api/fhir';
import { useApi, useSession } from '../app/session';
import { departmentLabel } from '../lib/departments';
import { Link } from '../app/router';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n, type MessageKey, type TFunction } from '../i18n/i18n';
import { facilityDate, formatDate, formatDateTime } from '../lib/dates';
import { PatientBanner } from '../patient/PatientBanner';
import { AllergyStrip } from './AllergyStrip';
import { readChart, type ChartData } from './chart';
import { LabTrend } from './LabTrend';

function encounterClass(t: TFunction, e: Encounter): string {
  const c = e.class?.code ?? '';
  if (c === 'IMP' || c === 'ACUTE' || c === 'NONAC') return t('chart.class.inpatient');
  if (c === 'EMER') return t('chart.class.emergency');
  if (c === 'HH' || c === 'VR') return t('chart.class.other');
  return t('chart.class.outpatient');
}

/** The encounter's diagnoses, main first, named by the reference's display or by the chart's Condition. */
function diagnosesOf(e: Encounter & { diagnosis?: { condition: { display?: string; reference?: string }; rank?: number }[] }, conditions: Map<string, string>): string {
  return (e.diagnosis ?? [])
    .slice()
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))
    .map((d) => d.condition.display ?? conditions.get(d.condition.reference ?? '') ?? '')
    .filter(Boolean)
    .join('; ');
}

function Panel({ title, testId, children, wide }: { title: string; testId: string; children: React.ReactNode; wide?: boolean }) {
  return (
    <section className={`panel${wide ? ' wide' : ''}`} aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export default function ChartPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const api = useClinicalApi();
  const base = useApi();
  const { session } = useSession();
  // a visit at the user's own facility often names it by reference only
  const providerName = (e: Encounter) => {
    const ref = e.serviceProvider?.reference ?? '';
    if (e.serviceProvider?.display) return e.serviceProvider.display;
    if (session?.facilityOrgId && ref === `Organization/${session.facilityOrgId}` && session.facilityName) return session.facilityName;
    return ref.replace(/^Organization\//, '');
  };
  const [patient, setPatient] = useState<Patient | undefined>();
  const [chart, setChart] = useState<ChartData | undefined>();
  const [error, setError] = useState<unknown>();
  const [ms, setMs] = useState<number | undefined>();

  const load = useCallback(() => {
    const t0 = performance.now();
    api.chart(id).then(
      (c) => {
        setChart(readChart(c));
        setMs(Math.round(performance.now() - t0));
      },
      (e: unknown) => setError(e),
    );
  }, [api, id]);

  useEffect(() => {
    setPatient(undefined);
    setChart(undefined);
    setError(undefined);
    base.readPatient(id).then(setPatient, (e: unknown) => setError(e));
    load();
  }, [api, base, id, load]);

  if (error) return <ErrorBox error={error} />;
  if (!patient || !chart) return <div className="loading">{t('common.loading')}</div>;
  const activeMeds = chart.medications.filter((m) => m.status === 'active');
  const pastMeds = chart.medications.filter((m) => m.status !== 'active').slice(0, 15);
  const problems = chart.problems.filter((c) => (c.clinicalStatus?.coding?.[0]?.code ?? 'active') === 'active');
  const conditionNames = new Map(chart.problems.map((c) => [`Condition/${c.id}`, [c.code?.coding?.[0]?.code, c.code?.coding?.[0]?.display ?? c.code?.text].filter(Boolean).join(' ')]));

  return (
    <div className="chart" data-testid="chart-page">
      <h1 className="visually-hidden">{t('chart.title')}</h1>
      <PatientBanner patient={patient} />
      <AllergyStrip allergies={chart.allergies} patientRef={`Patient/${id}`} onAdded={load} />
      {ms !== undefined && (
        <p className="muted small-print">
          {t('chart.loadedIn', { ms })}
          {chart.withheld > 0 && ` · ${t('chart.withheld', { n: chart.withheld })}`}
        </p>
      )}
      <div className="chart-grid">
        <Panel title={t('chart.timeline')} testId="chart-timeline" wide>
          {chart.encounters.length === 0 ? (
            <p className="muted">{t('summary.noEncounters')}</p>
          ) : (
            <ol className="timeline">
              {chart.encounters.map((e) => (
                <li key={e.id} className={`tl tl-${e.class?.code ?? 'AMB'}`} data-testid="timeline-item">
                  <span className="tl-when">{formatDateTime(e.period?.start)}</span>
                  <span className="tl-kind">{encounterClass(t, e)}</span>
                  <span className="tl-where">{providerName(e)}</span>
                  <span className="tl-what">{diagnosesOf(e, conditionNames) || e.reasonCode?.[0]?.text || e.serviceType?.coding?.[0]?.display || departmentLabel(e.serviceType?.coding?.[0]?.code ?? e.serviceType?.text ?? '', lang)}</span>
                  <span className="tl-status muted">{t(`encounter.status.${e.status}` as MessageKey)}</span>
                  {e.status === 'in-progress' && e.id && (
                    <Link href={e.class?.code === 'IMP' ? `/inpatient/stay/${encodeURIComponent(e.id)}` : `/visit/${encodeURIComponent(e.id)}`}>{t('chart.open')}</Link>
                  )}
                </li>
              ))}
            </ol>
          )}
        </Panel>
        <Panel title={t('chart.problems')} testId="chart-problems">
          {problems.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul className="plain">
              {problems.slice(0, 30).map((c) => (
                <li key={c.id}>
                  <span className="dx-code">{c.code?.coding?.[0]?.code}</span> {c.code?.coding?.[0]?.display ?? c.code?.text} <span className="muted">{formatDate(facilityDate(c.recordedDate ?? c.onsetDateTime ?? ''))}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title={t('chart.medications')} testId="chart-medications">
          {activeMeds.length === 0 && pastMeds.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul className="plain">
              {[...activeMeds, ...pastMeds].map((m) => (
                <li key={m.id} className={m.status === 'active' ? 'med-active' : 'muted'}>
                  <strong>{m.medicationCodeableConcept?.text ?? m.medicationCodeableConcept?.coding?.[0]?.display ?? m.medicationReference?.display}</strong> {m.dosageInstruction?.[0]?.text} <span className="muted">{formatDate(facilityDate(m.authoredOn ?? ''))}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title={t('chart.immunizations')} testId="chart-immunizations">
          {chart.immunizations.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul className="plain">
              {chart.immunizations.map((i) => (
                <li key={i.id}>
                  {i.vaccineCode?.text ?? i.vaccineCode?.coding?.[0]?.display} <span className="muted">{formatDate(facilityDate(i.occurrenceDateTime ?? ''))}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title={t('chart.labs')} testId="chart-labs" wide>
          {chart.labs.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <div className="lab-grid">
              {chart.labs.map((s) => (
                <LabTrend key={s.code} series={s} />
              ))}
            </div>
          )}
        </Panel>
        <Panel title={t('chart.vitals')} testId="chart-vitals" wide>
          {chart.vitalTrends.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <div className="lab-grid">
              {chart.vitalTrends.map((s) => (
                <LabTrend key={s.code} series={s} />
              ))}
            </div>
          )}
        </Panel>
        <Panel title={t('chart.notes')} testId="chart-notes">
          {chart.notes.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul className="plain">
              {chart.notes.slice(0, 20).map((n) => (
                <li key={n.id}>
                  <span className="muted">{formatDateTime(n.date ?? n.effectiveDateTime)}</span> <strong>{n.code?.text ?? n.code?.coding?.[0]?.display}</strong>: {n.summary ?? n.description ?? n.note?.[0]?.text}
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title={t('chart.documents')} testId="chart-documents">
          {chart.documents.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul className="plain">
              {chart.documents.map((d) => (
                <li key={d.id}>
                  <strong>{d.title ?? d.type?.text ?? d.type?.coding?.[0]?.display}</strong> <span className="muted">{formatDateTime(d.date)}</span>{' '}
                  {d.encounter?.reference && (
                    <Link href={`/inpatient/stay/${encodeURIComponent(d.encounter.reference.replace(/^Encounter\//, ''))}`}>{t('chart.open')}</Link>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title={t('chart.imaging')} testId="chart-imaging">
          {chart.imaging.length === 0 && chart.reports.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul className="plain">
              {chart.imaging.map((s) => (
                <li key={s.id}>
                  {s.modality?.map((m) => m.code).join('/')} {s.description ?? s.procedureCode?.[0]?.text} <span className="muted">{formatDate(facilityDate(s.started ?? ''))}</span>
                </li>
              ))}
              {chart.reports.map((r) => (
                <li key={r.id}>
                  {r.code?.text ?? r.code?.coding?.[0]?.display}: {r.conclusion} <span className="muted">{formatDate(facilityDate(r.effectiveDateTime ?? ''))}</span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </div>
  );
}
