// The reconciliation work list (issue 10): patients created from a laboratory result or an
// imaging study that named nobody healthbook knew (meta.tag reconciliation|provisional). For
// each, the person looking after records finds the real patient (CCCD, medical record number,
// insurance card or name) and links them: Patient/$merge moves every result, report, study and
// message to the real record and retires the provisional one (undone with $unmerge).
import { useEffect, useState } from 'react';
import type { Patient } from '../api/fhir';
import type { ProvisionalPatient } from '../api/lab';
import { Link } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatDate, formatDateTime } from '../lib/dates';
import { displayName } from '../lib/patient-view';
import { useLabApi } from './useLabApi';
import './lab.css';

function idsText(p: Patient): string {
  return (p.identifier ?? []).map((i) => i.value).filter(Boolean).join(' · ');
}

function Candidate({ source, onDone }: { source: Patient; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const api = useApi();
  const lab = useLabApi();
  const [text, setText] = useState('');
  const [found, setFound] = useState<Patient[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const search = async () => {
    setError(undefined);
    try {
      const list = await api.searchPatients(text.trim());
      setFound(list.filter((p) => p.id !== source.id && p.active !== false));
    } catch (e) {
      setError(e);
    }
  };
  const link = async (target: Patient) => {
    if (!window.confirm(t('recon.confirm', { source: displayName(source), target: displayName(target) }))) return;
    setBusy(true);
    setError(undefined);
    try {
      const out = await lab.merge(source.id!, target.id!);
      onDone(t('recon.done', { target: displayName(target), n: out.updated.length }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label>
          {t('recon.find')}{' '}
          <input value={text} onChange={(e) => setText(e.target.value)} data-testid="recon-search" placeholder={t('recon.findHint')} />
        </label>{' '}
        <button type="submit" disabled={!text.trim()}>
          {t('recon.search')}
        </button>
      </form>
      <ErrorBox error={error} testId="recon-error" />
      {found && found.length === 0 && <p className="muted">{t('recon.noMatch')}</p>}
      {found && found.length > 0 && (
        <ul className="recon-candidates">
          {found.map((p) => (
            <li key={p.id} data-testid="recon-candidate">
              <strong>{displayName(p)}</strong> {formatDate(p.birthDate)} <span className="muted">{idsText(p)}</span>
              <button type="button" disabled={busy} onClick={() => void link(p)} data-testid="recon-link">
                {t('recon.link')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export default function ReconciliationPage() {
  const { t } = useI18n();
  const lab = useLabApi();
  const [list, setList] = useState<ProvisionalPatient[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState('');
  const [open, setOpen] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    lab.provisionalPatients(ctl.signal).then(setList, (e: unknown) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [lab, reload]);

  if (error) return <ErrorBox error={error} />;
  if (!list) return <div className="loading">{t('common.loading')}</div>;
  return (
    <div className="reconciliation">
      <h1>{t('recon.title')}</h1>
      <p className="muted">{t('recon.intro')}</p>
      {done && (
        <p className="notice" role="status" data-testid="recon-done">
          {done}
        </p>
      )}
      {list.length === 0 && <p data-testid="recon-empty">{t('recon.empty')}</p>}
      {list.map(({ patient, reports, studies }) => (
        <section key={patient.id} className="panel recon-row" data-testid="recon-item">
          <div>
            <h2>
              {displayName(patient) || t('recon.noName')} <span className="badge badge-provisional">{t('recon.provisional')}</span>
            </h2>
            <p>
              {formatDate(patient.birthDate)} · {idsText(patient)} · {t('recon.since', { when: formatDateTime(patient.meta?.lastUpdated) })}
            </p>
            <p>
              <Link href={`/patients/${encodeURIComponent(patient.id!)}/lab`}>
                {reports === undefined ? t('lab.title') : t('recon.reports', { n: reports })}
              </Link>
              {' · '}
              <Link href={`/patients/${encodeURIComponent(patient.id!)}/imaging`}>
                {studies === undefined ? t('imaging.title') : t('recon.studies', { n: studies })}
              </Link>
            </p>
            {open === patient.id && (
              <Candidate
                source={patient}
                onDone={(m) => {
                  // The merge has retired the provisional record: take it off the list at once,
                  // then reload the list to pick up anything that arrived meanwhile.
                  setList((l) => l?.filter((x) => x.patient.id !== patient.id));
                  setDone(m);
                  setOpen('');
                  setReload((n) => n + 1);
                }}
              />
            )}
          </div>
          {open !== patient.id && (
            <button type="button" onClick={() => setOpen(patient.id!)} data-testid="recon-open">
              {t('recon.linkTo')}
            </button>
          )}
        </section>
      ))}
    </div>
  );
}
