// The queue of a department for staff: who is waiting, who was called, "call next"
// ($call-next), and the link that opens the full-screen display for the waiting room.
import { useState } from 'react';
import { ApiError } from '../api/client';
import { queueNumberOf, summarizeQueue } from '../api/queue';
import { Link } from '../app/router';
import { useApi } from '../app/session';
import { DepartmentSelect } from '../common/DepartmentSelect';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatTime } from '../lib/dates';
import { departmentLabel, rememberedDepartment } from '../lib/departments';
import { useQueueFeed } from './useQueueFeed';
import { WaitingPanel } from './WaitingPanel';

export default function QueuePage({ department: fromUrl }: { department: string }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const department = fromUrl || rememberedDepartment();
  const { snapshot, mode, error, refresh } = useQueueFeed(department, true);
  const [calling, setCalling] = useState(false);
  const [callError, setCallError] = useState<unknown>();
  const [called, setCalled] = useState<{ number: string; name: string } | undefined>();
  const summary = snapshot ? summarizeQueue(snapshot) : undefined;

  const callNext = async () => {
    setCalling(true);
    setCallError(undefined);
    setCalled(undefined);
    try {
      const e = await api.callNext(department);
      setCalled({ number: queueNumberOf(e), name: e.subject?.display ?? '' });
      refresh();
    } catch (e) {
      // 404: nobody is waiting
      if (e instanceof ApiError && e.status === 404) setCallError(new Error(t('queue.empty')));
      else setCallError(e);
    } finally {
      setCalling(false);
    }
  };

  return (
    <div className="queue-page">
      <h1>{t('queue.title', { department: departmentLabel(department, lang) })}</h1>
      <div className="queue-toolbar">
        <DepartmentSelect id="queue-department" department={department} basePath="/queue" />
        <button type="button" className="primary" onClick={() => void callNext()} disabled={calling} data-testid="call-next">
          {calling ? t('queue.calling') : t('queue.callNext')}
        </button>
        <Link className="button secondary" href={`/display/${encodeURIComponent(department)}`} target="_blank" rel="noopener">
          {t('queue.openDisplay')}
        </Link>
        <span className={`feed feed-${mode}`}>{t(`queue.feed.${mode}`)}</span>
      </div>
      {called && (
        <p className="notice" role="status" data-testid="called">
          {t('queue.calledNow', { number: called.number, name: called.name })}
        </p>
      )}
      <ErrorBox error={callError} />
      {error && <ErrorBox error={error} />}
      {!summary ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <div className="queue-columns">
          <section className="panel" aria-labelledby="q-called">
            <h2 id="q-called">{t('queue.called')}</h2>
            {summary.current ? (
              <ol className="queue-list">
                {[summary.current, ...summary.recentlyCalled].map((e) => (
                  <li key={e.encounterId}>
                    <span className="q-number">{e.number}</span> {e.patientName} <span className="muted">{formatTime(e.since)}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">{t('queue.noneCalled')}</p>
            )}
          </section>
          <WaitingPanel summary={summary} idPrefix="q" />
        </div>
      )}
    </div>
  );
}
