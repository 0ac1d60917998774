// The claims officer's work list (issue 8): the episodes' claims by state — ready and queued,
// being sent again, accepted by the portal, rejected with the portal's message — with the
// preview of each claim's tables and, after a correction of the record, the resubmission
// ($claim-submit, same MA_LK: the portal replaces the record).
import { useCallback, useEffect, useState } from 'react';
import { CLAIM_STATES, createClaimsApi, type ClaimState, type ClaimTaskView } from '../api/claims';
import { Link, navigate } from '../app/router';
import { useApi, useSession } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import '../cashier/cashier.css';
import './claims.css';

export default function ClaimsPage({ state }: { state: ClaimState }) {
  const { t } = useI18n();
  const api = useApi();
  const { session } = useSession();
  // MA_LK is "<MA_CSKCB>_<encounter>": an officer works on the facility's own claims.
  const facility = session?.facility ?? '';
  const [counts, setCounts] = useState<Partial<Record<ClaimState, number>>>({});
  const [tasks, setTasks] = useState<ClaimTaskView[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState('');

  const load = useCallback(async () => {
    const claims = createClaimsApi(api.http);
    try {
      const lists = await Promise.all(CLAIM_STATES.map((s) => claims.tasks(s)));
      const own = lists.map((l) => (facility ? l.filter((task) => task.maLk.startsWith(`${facility}_`)) : l));
      setTasks(own[CLAIM_STATES.indexOf(state)] ?? []);
      setCounts(Object.fromEntries(CLAIM_STATES.map((s, i) => [s, own[i]!.length])));
      setError(undefined);
    } catch (e) {
      setError(e);
    }
  }, [api, state, facility]);
  useEffect(() => {
    setTasks(undefined);
    void load();
    const timer = setInterval(() => void load(), 10_000); // the outbox works in the background
    return () => clearInterval(timer);
  }, [load]);

  const resubmit = async (task: ClaimTaskView) => {
    setNote('');
    setError(undefined);
    try {
      const results = await createClaimsApi(api.http).submit(task.encounterId);
      const invalid = results.filter((r) => r.outcome === 'invalid');
      setNote(
        invalid.length
          ? t('claims.stillInvalid', { errors: invalid.flatMap((r) => r.errors).join('; ') })
          : t('claims.resubmitted', { ma_lk: task.maLk }),
      );
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="claims-page">
      <h1>{t('claims.title')}</h1>
      <nav className="tabs" aria-label={t('claims.title')}>
        {CLAIM_STATES.map((s) => (
          <Link key={s} href={`/claims?state=${s}`} aria-current={s === state ? 'page' : undefined} data-testid={`claims-tab-${s}`}>
            {t(`claims.state.${s}` as never)} ({counts[s] ?? '…'})
          </Link>
        ))}
      </nav>
      <ErrorBox error={error} testId="claims-error" />
      {note && (
        <p className="ok" role="status" data-testid="claims-note">
          {note}
        </p>
      )}
      {tasks && tasks.length === 0 && <p>{t('claims.none')}</p>}
      {tasks && tasks.length > 0 && (
        <table className="claims-list" data-testid="claims-list">
          <thead>
            <tr>
              <th>MA_LK</th>
              <th>{t('claims.portal')}</th>
              <th>{t('claims.schema')}</th>
              <th>{t('claims.updated')}</th>
              <th>{t('claims.message')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} data-testid={`claim-${task.maLk}`}>
                <td>{task.maLk}</td>
                <td>{t(`claims.portal.${task.portal}` as never)}</td>
                <td>{task.schema}</td>
                <td>{formatDateTime(task.updated)}</td>
                <td className={task.status === 'failed' ? 'error' : ''} data-testid="claim-message">
                  {task.status === 'completed' ? task.transaction : task.reason || task.business}
                </td>
                <td className="actions">
                  <button type="button" className="secondary" onClick={() => navigate(`/claims/${encodeURIComponent(task.encounterId)}?schema=${encodeURIComponent(task.schema || '4750')}`)} data-testid="claim-preview">
                    {t('claims.preview')}
                  </button>
                  {(task.status === 'failed' || task.status === 'in-progress') && (
                    <button type="button" onClick={() => void resubmit(task)} data-testid="claim-resubmit">
                      {t('claims.resubmit')}
                    </button>
                  )}
                  {task.patientId && <Link href={`/patients/${encodeURIComponent(task.patientId)}`}>{t('claims.patient')}</Link>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
