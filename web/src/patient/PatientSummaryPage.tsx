// The patient summary: demographics, identifiers, insurance (Coverage) and the recent
// encounters. Later screens (record, orders, results) grow from here.
import { useEffect, useState } from 'react';
import type { Coverage, Encounter, Identifier, Patient } from '../api/fhir';
import { queueNumberOf } from '../api/queue';
import { Link } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type TFunction } from '../i18n/i18n';
import { departmentLabel } from '../lib/departments';
import { facilityDate, formatDate, formatDateTime } from '../lib/dates';
import { addressText, coverageCardNumber, coverageState, homeAddress, phoneOf } from '../lib/patient-view';
import { isSystem } from '../lib/systems';
import { genderLabel, insuranceLabel, PatientBanner } from './PatientBanner';

function identifierLabel(t: TFunction, i: Identifier): string {
  for (const [slug, key] of [['cccd', 'id.cccd'], ['cmnd', 'id.cmnd'], ['bhyt-card', 'id.bhyt'], ['bhxh', 'id.bhxh']] as const) {
    if (isSystem(i.system, slug)) return t(key);
  }
  return i.type?.text ?? i.system ?? t('id.other');
}

function encounterStatus(t: TFunction, s: string): string {
  const key = `encounter.status.${s}` as const;
  switch (s) {
    case 'planned':
    case 'arrived':
    case 'triaged':
    case 'in-progress':
    case 'onleave':
    case 'finished':
    case 'cancelled':
      return t(key as `encounter.status.${'planned' | 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished' | 'cancelled'}`);
    default:
      return s;
  }
}

/** The department of a visit (a code the reception screen knows), else the type or class. */
function encounterKind(e: Encounter, lang: 'vi' | 'en'): string {
  const dept = e.serviceType?.coding?.find((c) => c.system?.endsWith('/department'))?.code;
  if (dept) return departmentLabel(dept, lang);
  return e.serviceType?.text ?? e.type?.[0]?.text ?? e.type?.[0]?.coding?.[0]?.display ?? e.class?.display ?? e.class?.code ?? '—';
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="panel" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export default function PatientSummaryPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [patient, setPatient] = useState<Patient | undefined>();
  const [error, setError] = useState<unknown>();
  const [encounters, setEncounters] = useState<Encounter[] | undefined>();
  const [encError, setEncError] = useState<unknown>();
  const [coverages, setCoverages] = useState<Coverage[] | undefined>();

  useEffect(() => {
    let live = true;
    setPatient(undefined);
    setError(undefined);
    api.readPatient(id).then((p) => live && setPatient(p), (e: unknown) => live && setError(e));
    api.encountersOf(id, 10).then((e) => live && setEncounters(e), (e: unknown) => live && setEncError(e));
    api.coveragesOf(id).then((c) => live && setCoverages(c), () => live && setCoverages([]));
    return () => {
      live = false;
    };
  }, [api, id]);

  if (error) return <ErrorBox error={error} />;
  if (!patient) return <div className="loading">{t('common.loading')}</div>;

  const today = facilityDate();
  const address = homeAddress(patient);
  return (
    <div className="summary">
      <h1 className="visually-hidden">{t('summary.title')}</h1>
      <PatientBanner patient={patient} coverage={coverages?.[0]} linkToSummary={false} />
      <p className="summary-links">
        <Link href={`/patients/${encodeURIComponent(id)}/lab`} data-testid="summary-lab">
          {t('lab.title')}
        </Link>
        {' · '}
        <Link href={`/patients/${encodeURIComponent(id)}/imaging`} data-testid="summary-imaging">
          {t('imaging.title')}
        </Link>
      </p>
      <div className="summary-grid">
        <Section title={t('summary.demographics')} testId="summary-demographics">
          <dl className="facts">
            <div>
              <dt>{t('form.gender')}</dt>
              <dd>{genderLabel(t, patient.gender)}</dd>
            </div>
            <div>
              <dt>{t('form.birthDate')}</dt>
              <dd>{formatDate(patient.birthDate) || '—'}</dd>
            </div>
            <div>
              <dt>{t('form.phone')}</dt>
              <dd>{phoneOf(patient) || '—'}</dd>
            </div>
            <div>
              <dt>{t('form.address')}</dt>
              <dd>{addressText(address) || '—'}</dd>
            </div>
            {patient.managingOrganization && (
              <div>
                <dt>{t('summary.managingOrg')}</dt>
                <dd>{patient.managingOrganization.display ?? patient.managingOrganization.reference}</dd>
              </div>
            )}
          </dl>
        </Section>
        <Section title={t('summary.identifiers')} testId="summary-identifiers">
          {patient.identifier?.length ? (
            <dl className="facts">
              {patient.identifier.map((i, n) => (
                <div key={n}>
                  <dt>
                    {identifierLabel(t, i)}
                    {i.use === 'old' ? ` (${t('id.old')})` : ''}
                  </dt>
                  <dd>
                    {i.value}
                    {i.period && (i.period.start || i.period.end) && (
                      <span className="muted"> · {t('insurance.period', { from: formatDate(i.period.start) || '…', to: formatDate(i.period.end) || '…' })}</span>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">—</p>
          )}
        </Section>
        <Section title={t('summary.coverage')} testId="summary-coverage">
          {!coverages ? (
            <p className="muted">{t('common.loading')}</p>
          ) : coverages.length === 0 ? (
            <p className="muted">{t('summary.noCoverage')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('id.bhyt')}</th>
                  <th scope="col">{t('insurance.validity')}</th>
                  <th scope="col">{t('insurance.network')}</th>
                </tr>
              </thead>
              <tbody>
                {coverages.map((c) => {
                  const s = coverageState(c, today);
                  return (
                    <tr key={c.id}>
                      <td>{coverageCardNumber(c)}</td>
                      <td>
                        <span className={`badge badge-${s}`}>{insuranceLabel(t, s)}</span>{' '}
                        {t('insurance.period', { from: formatDate(c.period?.start) || '…', to: formatDate(c.period?.end) || '…' })}
                      </td>
                      <td>{c.network ?? '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </Section>
        <Section title={t('summary.encounters')} testId="summary-encounters">
          <ErrorBox error={encError} />
          {!encounters && !encError ? (
            <p className="muted">{t('common.loading')}</p>
          ) : encounters && encounters.length === 0 ? (
            <p className="muted">{t('summary.noEncounters')}</p>
          ) : (
            encounters && (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('summary.when')}</th>
                    <th scope="col">{t('summary.kind')}</th>
                    <th scope="col">{t('summary.status')}</th>
                    <th scope="col">{t('ticket.number')}</th>
                  </tr>
                </thead>
                <tbody>
                  {encounters.map((e) => (
                    <tr key={e.id}>
                      <td>{formatDateTime(e.period?.start) || '—'}</td>
                      <td>{encounterKind(e, lang)}</td>
                      <td>{encounterStatus(t, e.status)}</td>
                      <td>{queueNumberOf(e, true) || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          )}
        </Section>
      </div>
    </div>
  );
}
