// Progress notes (doctor) or nursing care records (nurse) of a stay: the entries, newest
// first, and a form for a new one (the course, then the orders or care given; saved as a
// ClinicalImpression).
import { useState } from 'react';
import type { ClinicalImpression } from '../api/clinical-types';
import { useSession } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import { noteImpression, noteParts, type NoteKind } from './notes';

export function NotesPanel({ kind, notes, patientRef, encounterRef, onSaved, readOnly }: { kind: NoteKind; notes: ClinicalImpression[]; patientRef: string; encounterRef: string; onSaved: () => void; readOnly: boolean }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const { session } = useSession();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    let c: ClinicalImpression;
    try {
      c = noteImpression(kind, texts, { patient: patientRef, encounter: encounterRef, date: new Date().toISOString(), author: session?.display || session?.user || '' });
    } catch {
      setError(new Error(t('inp.note.empty')));
      return;
    }
    setBusy(true);
    try {
      await api.create(c);
      setTexts({});
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const sorted = [...notes].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  return (
    <div className="notes" data-testid={`notes-${kind}`}>
      {!readOnly && (
        <form onSubmit={(e) => void save(e)} className="note-form">
          {noteParts(kind).map((k) => (
            <div className="field" key={k}>
              <label htmlFor={`note-${kind}-${k}`}>{t(`inp.note.${kind}.${k}` as MessageKey)}</label>
              <textarea id={`note-${kind}-${k}`} rows={3} value={texts[k] ?? ''} onChange={(e) => setTexts((x) => ({ ...x, [k]: e.target.value }))} data-testid={`note-${kind}-${k}`} />
            </div>
          ))}
          <ErrorBox error={error} />
          <button type="submit" className="primary" disabled={busy} data-testid={`note-${kind}-save`}>
            {busy ? t('clin.common.saving') : t(`inp.note.${kind}.save` as MessageKey)}
          </button>
        </form>
      )}
      {sorted.length === 0 ? (
        <p className="muted">{t('inp.note.none')}</p>
      ) : (
        <ol className="note-list">
          {sorted.map((n) => (
            <li key={n.id} className="note" data-testid="note">
              <div className="note-head">
                <strong>{formatDateTime(n.date ?? n.effectiveDateTime)}</strong> <span className="muted">{n.assessor?.display ?? n.note?.[0]?.authorString}</span>
              </div>
              {n.summary && (
                <div className="note-section">
                  <span className="note-title">{t(`inp.note.${kind}.${noteParts(kind)[0]}` as MessageKey)}:</span> <span className="pre">{n.summary}</span>
                </div>
              )}
              {(n.note ?? []).map((x, i) => (
                <div key={i} className="note-section">
                  <span className="note-title">{t(`inp.note.${kind}.${noteParts(kind)[1]}` as MessageKey)}:</span> <span className="pre">{x.text}</span>
                </div>
              ))}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
