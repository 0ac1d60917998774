// A compact ICD-10 picker for forms that carry diagnoses as codes (admission, discharge):
// the first pick is the main diagnosis, later ones secondary (when allowed); each can be
// removed or made main.
import { useCallback } from 'react';
import type { CodeHit } from '../api/clinical';
import { useI18n } from '../i18n/i18n';
import { addSecondary, diagnosisOf, removeDiagnosis, setMain, type DiagnosisSet } from './diagnoses';
import { SearchBox } from './SearchBox';
import { useClinicalApi } from './useClinicalApi';

export function DxPicker({ value, onChange, secondary = true, label, testId }: { value: DiagnosisSet; onChange: (v: DiagnosisSet) => void; secondary?: boolean; label: string; testId: string }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const search = useCallback((text: string, signal: AbortSignal) => api.searchIcd10(text, 50, signal), [api]);
  const pick = (h: CodeHit) => onChange(value.main && secondary ? addSecondary(value, diagnosisOf(h)) : setMain(value, diagnosisOf(h)));
  const all = [...(value.main ? [{ d: value.main, main: true }] : []), ...value.secondary.map((d) => ({ d, main: false }))];
  return (
    <div className="dx-picker" data-testid={testId}>
      <SearchBox<CodeHit>
        label={label}
        placeholder={t('clin.dx.placeholder')}
        search={search}
        itemKey={(h) => h.code}
        render={(h) => (
          <>
            <span className="dx-code">{h.code}</span> {h.display}
          </>
        )}
        onPick={pick}
        testId={`${testId}-search`}
      />
      {all.length > 0 && (
        <ul className="dx-list">
          {all.map(({ d, main }) => (
            <li key={d.code} className={main ? 'dx dx-main' : 'dx'} data-testid={main ? `${testId}-main` : `${testId}-secondary`}>
              <span className="dx-code">{d.code}</span> <span className="dx-name">{d.display}</span> <span className="muted">{main ? t('clin.dx.main') : t('clin.dx.secondary')}</span>
              <span className="dx-actions">
                {!main && (
                  <button type="button" className="link-button" onClick={() => onChange(setMain(value, d))}>
                    {t('clin.dx.makeMain')}
                  </button>
                )}
                <button type="button" className="link-button" onClick={() => onChange(removeDiagnosis(value, d.code))} aria-label={t('clin.dx.remove', { code: d.code })}>
                  {t('clin.common.remove')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
