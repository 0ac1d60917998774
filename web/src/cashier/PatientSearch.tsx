// Finding the patient at the cashier's desk: the desk's own search and the one inside
// "assign a transfer" (AssignTransfer.tsx) are this one component. Name, CCCD, card or id;
// Enter or the button searches; each match is a button that picks the patient.
import { useState } from 'react';
import type { Patient } from '../api/fhir';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { displayName } from '../lib/patient-view';

export function PatientSearch({
  idPrefix,
  label,
  selected,
  onPick,
}: {
  /** Names the input (`<prefix>-query`), button (`<prefix>-find`) and list (`<prefix>-patients`). */
  idPrefix: string;
  label: string;
  /** The patient picked now, shown as selected. */
  selected?: string;
  onPick: (patientId: string) => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Patient[] | undefined>();
  const [error, setError] = useState<unknown>();

  const search = async () => {
    setError(undefined);
    try {
      setFound(await api.searchPatients(query.trim()));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <div className="cashier-search" role="search">
        <label htmlFor={`${idPrefix}-query`}>{label}</label>
        <input
          id={`${idPrefix}-query`}
          data-testid={`${idPrefix}-query`}
          value={query}
          placeholder={t('cashier.searchHint')}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault(); // inside another form, Enter searches and submits nothing
              void search();
            }
          }}
        />
        <button type="button" data-testid={`${idPrefix}-find`} onClick={() => void search()}>
          {t('cashier.find')}
        </button>
      </div>
      <ErrorBox error={error} />
      {found && (
        <ul className="cashier-patients" data-testid={`${idPrefix}-patients`}>
          {found.length === 0 && <li>{t('cashier.noPatient')}</li>}
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" className={p.id === selected ? 'selected' : 'link-button'} onClick={() => onPick(p.id ?? '')}>
                {displayName(p)} · {p.birthDate ?? ''} · {p.id}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
