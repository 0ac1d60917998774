// Vital signs of a visit: pulse, blood pressure, temperature, breathing, weight, height (BMI
// computed), SpO2. Out-of-range values are flagged as typed (age-aware for pulse and
// breathing); implausible ones block saving. Saved as vital-signs Observations in one
// transaction Bundle.
import { useMemo, useState } from 'react';
import type { Bundle } from '../api/fhir';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { formatTime } from '../lib/dates';
import { bmiClass, bmiOf, parseNumber, VITALS, vitalFindings, vitalObservations, type VitalKey, type VitalValues } from './vitals';
import { useClinicalApi } from './useClinicalApi';

const ORDER: VitalKey[] = ['pulse', 'systolic', 'diastolic', 'temperature', 'respRate', 'spo2', 'weight', 'height'];

/** The form starts from the latest stored values (`initial`, recorded at `recordedAt`); the visit remounts it when more are stored. */
export function VitalsForm({ patientRef, encounterRef, ageYears, initial, recordedAt, onSaved }: { patientRef: string; encounterRef: string; ageYears: number | undefined; initial: VitalValues; recordedAt: string; onSaved: () => void }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [values, setValues] = useState<VitalValues>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [savedAt, setSavedAt] = useState(recordedAt);
  const findings = useMemo(() => vitalFindings(values, ageYears), [values, ageYears]);
  const bmi = bmiOf(parseNumber(values.weight), parseNumber(values.height));
  const invalid = findings.some((f) => f.severity === 'invalid');
  const filled = ORDER.some((k) => (values[k] ?? '').trim());

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let obs;
    try {
      obs = vitalObservations(values, { patient: patientRef, encounter: encounterRef, effective: new Date().toISOString() });
    } catch {
      setError(new Error(t('clin.vitals.fixFirst')));
      return;
    }
    if (!obs.length) return;
    setBusy(true);
    try {
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: obs.map((o) => ({ resource: o, request: { method: 'POST', url: 'Observation' } }) as never),
      };
      await api.http.post('/fhir', bundle);
      setSavedAt(new Date().toISOString());
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: VitalKey) => {
    const def = VITALS.find((d) => d.key === k)!;
    const f = findings.find((x) => x.key === k || (x.key === 'bp' && (k === 'systolic' || k === 'diastolic')));
    const id = `vital-${k}`;
    return (
      <div className={`field vital vital-${f?.severity ?? 'ok'}`} key={k}>
        <label htmlFor={id}>
          {t(`clin.vitals.${k}` as MessageKey)} <span className="muted">({def.unit})</span>
        </label>
        <input
          id={id}
          inputMode="decimal"
          value={values[k] ?? ''}
          aria-invalid={f?.severity === 'invalid' ? true : undefined}
          aria-describedby={f ? `${id}-note` : undefined}
          onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}
          data-testid={id}
        />
        {f && (
          <span id={`${id}-note`} className={`vital-note vital-note-${f.severity}`} data-testid={`${id}-note`}>
            {t(`clin.vitals.finding.${f.reason}` as MessageKey)}
            {f.severity === 'critical' ? ` · ${t('clin.vitals.critical')}` : ''}
          </span>
        )}
      </div>
    );
  };

  return (
    <form className="vitals" onSubmit={(e) => void save(e)} aria-label={t('clin.vitals.title')}>
      <div className="vitals-grid">
        {ORDER.map(field)}
        <div className="field vital">
          <span className="label">{t('clin.vitals.bmi')}</span>
          <output data-testid="vital-bmi" className={bmi ? `bmi bmi-${bmiClass(bmi)}` : 'bmi'}>
            {bmi ? `${String(bmi).replace('.', ',')} · ${t(`clin.vitals.bmi.${bmiClass(bmi)}` as MessageKey)}` : '—'}
          </output>
        </div>
      </div>
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || invalid || !filled} data-testid="vitals-save">
          {busy ? t('clin.common.saving') : t('clin.vitals.save')}
        </button>
        {savedAt && (
          <span className="notice-inline" role="status" data-testid="vitals-saved">
            {t('clin.common.savedAt', { time: formatTime(savedAt) })}
          </span>
        )}
      </div>
    </form>
  );
}
