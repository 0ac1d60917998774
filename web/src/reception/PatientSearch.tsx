// Finding a patient by name (without diacritics: the server folds them), by CCCD, old ID,
// insurance card or social-insurance number, or by record id. Results come as the user
// types (after a short pause) and on Enter; arrow keys move through them.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Patient } from '../api/fhir';
import { SEARCH_FOCUS_EVENT } from '../app/events';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useT } from '../i18n/i18n';
import { facilityDate, formatDate } from '../lib/dates';
import { addressText, bhytOf, cccdOf, displayName, homeAddress } from '../lib/patient-view';
import { classifySearch } from '../lib/search';
import { ageLabel, genderLabel } from '../patient/PatientBanner';

interface Props {
  onSelect: (p: Patient) => void;
  onScan: (qr: string) => void;
  onRegister: () => void;
}

export function PatientSearch({ onSelect, onScan, onRegister }: Props) {
  const t = useT();
  const api = useApi();
  const [text, setText] = useState('');
  const [results, setResults] = useState<Patient[] | undefined>();
  // The text the results shown answer (typing on leaves them up until the next answer).
  const [answered, setAnswered] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const abortRef = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const focus = () => inputRef.current?.focus();
    window.addEventListener(SEARCH_FOCUS_EVENT, focus);
    return () => window.removeEventListener(SEARCH_FOCUS_EVENT, focus);
  }, []);

  const run = (value: string) => {
    const search = classifySearch(value);
    abortRef.current?.abort();
    if (search.kind === 'empty') {
      setResults(undefined);
      setError(undefined);
      return;
    }
    if (search.kind === 'qr') {
      onScan(value.trim());
      return;
    }
    if (search.kind === 'name' && search.value.length < 2) return;
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setBusy(true);
    api
      .searchPatients(search, ctrl.signal)
      .then((r) => {
        if (ctrl.signal.aborted) return;
        setResults(r);
        setAnswered(value);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(e);
      })
      .finally(() => {
        if (abortRef.current === ctrl) setBusy(false);
      });
  };

  // Search after a pause in typing.
  useEffect(() => {
    const s = classifySearch(text);
    if (s.kind === 'qr') return;
    const timer = setTimeout(() => run(text), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const moveFocus = (from: number, delta: number) => {
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button.result');
    if (!buttons?.length) return;
    const next = from + delta;
    if (next < 0) inputRef.current?.focus();
    else buttons[Math.min(next, buttons.length - 1)]?.focus();
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      run(text);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      moveFocus(-1, 1);
    } else if (e.key === 'Escape') {
      setText('');
      setResults(undefined);
    }
  };

  const today = facilityDate();
  return (
    <section className="panel search" aria-labelledby="search-title">
      <h2 id="search-title">{t('search.title')}</h2>
      <div className="search-row">
        <label htmlFor="search-input" className="visually-hidden">
          {t('search.label')}
        </label>
        <input
          id="search-input"
          ref={inputRef}
          type="search"
          data-testid="search-input"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('search.placeholder')}
          aria-describedby="search-hint"
          aria-controls="search-results"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onInputKey}
        />
        <button type="button" className="secondary" onClick={onRegister}>
          {t('search.register')}
        </button>
      </div>
      <p id="search-hint" className="hint">
        {t('search.hint')}
      </p>
      <ErrorBox error={error} />
      <div aria-live="polite" className="visually-hidden">
        {busy ? t('search.busy') : results ? t('search.count', { n: results.length }) : ''}
      </div>
      {results && results.length === 0 && <p className="muted">{t('search.none')}</p>}
      {results && results.length > 0 && (
        <ul id="search-results" className="results" ref={listRef} data-testid="search-results" data-query={answered}>
          {results.map((p, i) => {
            const card = bhytOf(p);
            return (
              <li key={p.id}>
                <button
                  type="button"
                  className="result"
                  onClick={() => onSelect(p)}
                  onKeyDown={(e) => {
                    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                      e.preventDefault();
                      moveFocus(i, e.key === 'ArrowDown' ? 1 : -1);
                    }
                  }}
                >
                  <span className="result-name">{displayName(p)}</span>
                  <span className="result-demo">
                    {[genderLabel(t, p.gender), p.birthDate ? formatDate(p.birthDate) : '', ageLabel(t, p.birthDate, today)].filter(Boolean).join(' · ')}
                  </span>
                  <span className="result-ids">
                    {cccdOf(p) && <>{t('id.cccd')} {cccdOf(p)} </>}
                    {card?.value && <>· {t('id.bhyt')} {card.value}</>}
                  </span>
                  <span className="result-address">{addressText(homeAddress(p))}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
