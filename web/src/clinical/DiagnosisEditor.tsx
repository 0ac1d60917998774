// Diagnoses: ICD-10 search (Vietnamese with or without diacritics, English, or the code), the
// first pick is the main diagnosis and later ones secondary; the server's rules
// ($validate-diagnoses: asterisk codes, codes not allowed as main) are shown as the list
// changes. Save writes the Conditions and ranks them in Encounter.diagnosis.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CodeHit } from '../api/clinical';
import type { Condition } from '../api/clinical-types';
import type { Encounter } from '../api/fhir';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatTime } from '../lib/dates';
import { addSecondary, conditionOf, diagnosisOf, encounterDiagnoses, removeDiagnosis, setMain, validationLines, type DiagnosisSet, type ValidationLine } from './diagnoses';
import { SearchBox } from './SearchBox';
import { useClinicalApi } from './useClinicalApi';

export function DiagnosisEditor({ patientRef, encounterId, initial, onSaved }: { patientRef: string; encounterId: string; initial: DiagnosisSet; onSaved: (set: DiagnosisSet) => void }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [set, setSet] = useState<DiagnosisSet>(initial);
  const [saved, setSaved] = useState<DiagnosisSet>(initial);
  const [lines, setLines] = useState<ValidationLine[]>([]);
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [savedAt, setSavedAt] = useState('');
  const inputRef = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    if (!set.main && !set.secondary.length) {
      setLines([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setChecking(true);
      api
        .validateDiagnoses(set.main?.code ?? '', set.secondary.map((s) => s.code), ctl.signal)
        .then((o) => setLines(validationLines(o)))
        .catch((e: unknown) => {
          // a 4xx answer carries the rule that failed
          const outcome = (e as { outcome?: Parameters<typeof validationLines>[0] }).outcome;
          if (outcome) setLines(validationLines(outcome));
          else if ((e as Error).name !== 'AbortError') setError(e);
        })
        .finally(() => setChecking(false));
    }, 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [api, set]);

  const search = useCallback((text: string, signal: AbortSignal) => api.searchIcd10(text, 50, signal), [api]);
  const pick = (hit: CodeHit) => setSet((s) => (s.main ? addSecondary(s, diagnosisOf(hit)) : setMain(s, diagnosisOf(hit))));
  const blocking = lines.some((l) => l.severity === 'error');
  const dirty = JSON.stringify(set) !== JSON.stringify(saved);

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const recorded = new Date().toISOString();
      const ctx = { patient: patientRef, encounter: `Encounter/${encounterId}`, recorded };
      const withIds = async (d: DiagnosisSet['secondary'][number]) => (d.conditionId ? d : { ...d, conditionId: (await api.create<Condition>(conditionOf(d, ctx))).id });
      const next: DiagnosisSet = { main: set.main && (await withIds(set.main)), secondary: await Promise.all(set.secondary.map(withIds)) };
      // the ones taken off the list are marked entered-in-error
      const kept = new Set([next.main, ...next.secondary].map((d) => d?.conditionId).filter(Boolean));
      for (const d of [saved.main, ...saved.secondary]) {
        if (d?.conditionId && !kept.has(d.conditionId)) {
          const c = await api.read<Condition>('Condition', d.conditionId);
          await api.update<Condition>({ ...c, verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] } });
        }
      }
      const enc = await api.read<Encounter>('Encounter', encounterId);
      await api.update({ ...enc, diagnosis: encounterDiagnoses(next) } as Encounter);
      setSet(next);
      setSaved(next);
      setSavedAt(recorded);
      onSaved(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const row = (d: DiagnosisSet['secondary'][number], main: boolean) => (
    <li key={d.code} className={main ? 'dx dx-main' : 'dx'} data-testid={main ? 'dx-main' : 'dx-secondary'}>
      <span className="dx-code">{d.code}</span> <span className="dx-name">{d.display}</span>
      <span className="dx-actions">
        {!main && (
          <button type="button" className="link-button" onClick={() => setSet((s) => setMain(s, d))}>
            {t('clin.dx.makeMain')}
          </button>
        )}
        <button type="button" className="link-button" onClick={() => setSet((s) => removeDiagnosis(s, d.code))} aria-label={t('clin.dx.remove', { code: d.code })}>
          {t('clin.common.remove')}
        </button>
      </span>
    </li>
  );

  return (
    <div className="diagnoses">
      <SearchBox<CodeHit>
        label={set.main ? t('clin.dx.searchSecondary') : t('clin.dx.searchMain')}
        placeholder={t('clin.dx.placeholder')}
        search={search}
        itemKey={(h) => h.code}
        render={(h) => (
          <>
            <span className="dx-code">{h.code}</span> {h.display}
            {h.english && <span className="muted"> · {h.english}</span>}
          </>
        )}
        onPick={pick}
        minLength={2}
        testId="icd-search"
        inputRef={inputRef}
      />
      <h3>{t('clin.dx.main')}</h3>
      {set.main ? <ul className="dx-list">{row(set.main, true)}</ul> : <p className="muted">{t('clin.dx.noMain')}</p>}
      <h3>{t('clin.dx.secondary')}</h3>
      {set.secondary.length ? <ul className="dx-list">{set.secondary.map((d) => row(d, false))}</ul> : <p className="muted">—</p>}
      {checking && <p className="muted">{t('clin.dx.checking')}</p>}
      {lines.length > 0 && (
        <ul className="findings" data-testid="dx-validation">
          {lines.map((l, i) => (
            <li key={i} className={`finding finding-${l.severity}`}>
              {l.message}
            </li>
          ))}
        </ul>
      )}
      <ErrorBox error={error} />
      <div className="actions">
        <button type="button" className="primary" disabled={busy || blocking || !dirty || !set.main} onClick={() => void save()} data-testid="dx-save">
          {busy ? t('clin.common.saving') : t('clin.dx.save')}
        </button>
        {savedAt && !dirty && (
          <span className="notice-inline" role="status" data-testid="dx-saved">
            {t('clin.common.savedAt', { time: formatTime(savedAt) })}
          </span>
        )}
      </div>
    </div>
  );
}
