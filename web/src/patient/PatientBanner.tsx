// The patient banner: who this is at a glance (name, age and sex, birth date, CCCD,
// insurance card and its state today). Every patient screen opens with it.
import type { Coverage, Patient } from '../api/fhir';
import { Link } from '../app/router';
import { useT, type TFunction } from '../i18n/i18n';
import { facilityDate, formatDate } from '../lib/dates';
import { ageDisplay, bhytOf, cccdOf, coverageCardNumber, coverageState, displayName, insuranceState, type InsuranceState } from '../lib/patient-view';

export function genderLabel(t: TFunction, g: string | undefined): string {
  switch (g) {
    case 'male':
      return t('gender.male');
    case 'female':
      return t('gender.female');
    case 'other':
      return t('gender.other');
    default:
      return t('gender.unknown');
  }
}

export function ageLabel(t: TFunction, birthDate: string | undefined, today = facilityDate()): string {
  const a = ageDisplay(birthDate, today);
  if (!a) return '';
  return t(a.unit === 'years' ? 'age.years' : a.unit === 'months' ? 'age.months' : 'age.days', { n: a.value });
}

export function insuranceLabel(t: TFunction, s: InsuranceState): string {
  return t(`insurance.state.${s}`);
}

export function PatientBanner({ patient, coverage, linkToSummary = true }: { patient: Patient; coverage?: Coverage | undefined; linkToSummary?: boolean }) {
  const t = useT();
  const today = facilityDate();
  const card = bhytOf(patient);
  const cardNumber = coverageCardNumber(coverage) || card?.value || '';
  const state = coverage ? coverageState(coverage, today) : insuranceState(card?.period, today, !!card);
  const cccd = cccdOf(patient);
  const age = ageLabel(t, patient.birthDate, today);
  return (
    <section className="banner" aria-label={t('banner.label')} data-testid="patient-banner">
      <div className="banner-name">
        <h2>{displayName(patient) || t('banner.noName')}</h2>
        <span className="banner-demo">
          {[age, genderLabel(t, patient.gender)].filter(Boolean).join(' · ')}
          {patient.birthDate && <> · {t('banner.born', { date: formatDate(patient.birthDate) })}</>}
        </span>
      </div>
      <dl className="banner-ids">
        <div>
          <dt>{t('id.cccd')}</dt>
          <dd data-testid="banner-cccd">{cccd || '—'}</dd>
        </div>
        <div>
          <dt>{t('id.bhyt')}</dt>
          <dd>
            {cardNumber || '—'}{' '}
            {cardNumber && <span className={`badge badge-${state}`}>{insuranceLabel(t, state)}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('id.patientId')}</dt>
          <dd data-testid="banner-id">{patient.id}</dd>
        </div>
      </dl>
      {linkToSummary && patient.id && (
        <Link className="banner-link" href={`/patients/${encodeURIComponent(patient.id)}`}>
          {t('banner.summary')}
        </Link>
      )}
    </section>
  );
}
