// History and examination: one text area per section with one-click normal findings; saved
// as narrative Observations (created, then updated in place) in one transaction.
import { useState } from 'react';
import type { Bundle } from '../api/fhir';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { formatTime } from '../lib/dates';
import { addPhrase, EXAM_SECTIONS, examObservation, type ExamKey, type ExamValues } from './exam';
import { useClinicalApi } from './useClinicalApi';

export function ExamForm({ patientRef, encounterRef, initial, ids: initialIds }: { patientRef: string; encounterRef: string; initial: ExamValues; ids: Partial<Record<ExamKey, string>> }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [values, setValues] = useState<ExamValues>(initial);
  const [ids, setIds] = useState(initialIds);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [savedAt, setSavedAt] = useState('');

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const effective = new Date().toISOString();
      const list = EXAM_SECTIONS.filter((s) => (values[s.key] ?? '').trim() || ids[s.key]);
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: list.map((s) => {
          const id = ids[s.key];
          const o = examObservation(s, values[s.key] ?? '', { patient: patientRef, encounter: encounterRef, effective }, id);
          return { resource: o, request: id ? { method: 'PUT', url: `Observation/${id}` } : { method: 'POST', url: 'Observation' } } as never;
        }),
      };
      const answer = await api.http.post<Bundle>('/fhir', bundle);
      const next = { ...ids };
      (answer.entry ?? []).forEach((entry, i) => {
        const loc = (entry as { response?: { location?: string } }).response?.location ?? '';
        const m = /Observation\/([^/]+)/.exec(loc);
        const s = list[i];
        if (s && m) next[s.key] = m[1]!;
      });
      setIds(next);
      setSavedAt(effective);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="exam" onSubmit={(e) => void save(e)}>
      {EXAM_SECTIONS.map((s) => (
        <div className="field exam-field" key={s.key}>
          <label htmlFor={`exam-${s.key}`}>{t(`clin.exam.${s.key}` as MessageKey)}</label>
          <textarea
            id={`exam-${s.key}`}
            rows={s.key === 'illness' || s.key === 'organs' ? 3 : 2}
            value={values[s.key] ?? ''}
            onChange={(e) => setValues((v) => ({ ...v, [s.key]: e.target.value }))}
            data-testid={`exam-${s.key}`}
          />
          {s.phrases.length > 0 && (
            <div className="chips" role="group" aria-label={t('clin.exam.quick')}>
              {s.phrases.map((p) => (
                <button type="button" key={p} className="chip" onClick={() => setValues((v) => ({ ...v, [s.key]: addPhrase(v[s.key] ?? '', p) }))}>
                  + {p}
                </button>
              ))}
            </div>
          )}
        </div>
      ))}
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="exam-save">
          {busy ? t('clin.common.saving') : t('clin.exam.save')}
        </button>
        {savedAt && (
          <span className="notice-inline" role="status" data-testid="exam-saved">
            {t('clin.common.savedAt', { time: formatTime(savedAt) })}
          </span>
        )}
      </div>
    </form>
  );
}
