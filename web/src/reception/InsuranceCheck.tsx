// The insurance check at reception: the card, its validity today, and what the server's
// check recorded in the Coverage (registered facility / network, benefit level and other
// classes). Without a Coverage, the card number and validity the Patient carries.
import type { InsuranceCheckResult } from '../api/api';
import type { Coverage, Patient } from '../api/fhir';
import { useT } from '../i18n/i18n';
import { facilityDate, formatDate } from '../lib/dates';
import { bhytOf, coverageCardNumber, coverageState, insuranceState } from '../lib/patient-view';
import { insuranceLabel } from '../patient/PatientBanner';

interface Props {
  patient: Patient;
  coverage: Coverage | undefined;
  check?: InsuranceCheckResult | undefined;
  registeredFacility?: string | undefined;
}

export function InsuranceCheck({ patient, coverage, check, registeredFacility }: Props) {
  const t = useT();
  const today = facilityDate();
  const card = bhytOf(patient);
  const number = coverageCardNumber(coverage) || card?.value || '';
  const period = coverage?.period ?? card?.period;
  const state = coverage ? coverageState(coverage, today) : insuranceState(card?.period, today, !!card);
  return (
    <section className="panel insurance" aria-labelledby="insurance-title" data-testid="insurance-check">
      <h3 id="insurance-title">{t('insurance.title')}</h3>
      {!number ? (
        <p className="muted">{t('insurance.none')}</p>
      ) : (
        <dl className="facts">
          <div>
            <dt>{t('id.bhyt')}</dt>
            <dd>{number}</dd>
          </div>
          <div>
            <dt>{t('insurance.validity')}</dt>
            <dd>
              <span className={`badge badge-${state}`} data-testid="insurance-state">
                {insuranceLabel(t, state)}
              </span>{' '}
              {period && (period.start || period.end) && (
                <span>{t('insurance.period', { from: formatDate(period.start) || '…', to: formatDate(period.end) || '…' })}</span>
              )}
            </dd>
          </div>
          {check && (
            <div>
              <dt>{t('insurance.result')}</dt>
              <dd data-testid="insurance-result">
                <span className={`badge badge-${check.valid ? 'valid' : 'expired'}`}>{t(check.valid ? 'insurance.usable' : 'insurance.notUsable')}</span>
                {check.problems.length > 0 && <span> {check.problems.join('; ')}</span>}
              </dd>
            </div>
          )}
          {(coverage?.network || registeredFacility || check?.inNetwork !== undefined) && (
            <div>
              <dt>{t('insurance.network')}</dt>
              <dd>
                {registeredFacility || coverage?.network}
                {check?.inNetwork !== undefined && (
                  <>
                    {' '}
                    <span className={`badge badge-${check.inNetwork ? 'valid' : 'unknown'}`}>{t(check.inNetwork ? 'insurance.inNetwork' : 'insurance.outOfNetwork')}</span>
                  </>
                )}
              </dd>
            </div>
          )}
          {check?.benefitLevel !== undefined && (
            <div>
              <dt>{t('insurance.benefit')}</dt>
              <dd>
                {t('insurance.benefitLevel', { level: check.benefitLevel, percent: check.benefitPercent ?? '?' })}
                {check.beneficiaryGroup && <> · {t('insurance.group', { group: check.beneficiaryGroup })}</>}
              </dd>
            </div>
          )}
          {!check && (coverage?.class ?? []).map((c, i) => (
            <div key={i}>
              <dt>{c.type?.text ?? c.type?.coding?.[0]?.display ?? c.type?.coding?.[0]?.code ?? t('insurance.class')}</dt>
              <dd>{[c.value, c.name].filter(Boolean).join(' — ')}</dd>
            </div>
          ))}
          {(coverage?.payor ?? []).slice(0, 1).map((p, i) => (
            <div key={`payor-${i}`}>
              <dt>{t('insurance.payor')}</dt>
              <dd>{p.display ?? p.reference}</dd>
            </div>
          ))}
        </dl>
      )}
      {!coverage && !check && number && <p className="hint">{t('insurance.fromCard')}</p>}
      {check && <p className="hint">{t(check.source === 'card' ? 'insurance.sourceCard' : 'insurance.sourceOther', { source: check.source })}</p>}
    </section>
  );
}
