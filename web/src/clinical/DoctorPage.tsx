// The doctor's workspace: today's queue of the doctor's clinic ($queue, live), "call next"
// ($call-next) which opens the visit at once, and the patients already called, to reopen.
// Keyboard: N calls the next patient; the lists are links.
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { queueNumberOf, summarizeQueue } from '../api/queue';
import { Link, navigate } from '../app/router';
import { useApi } from '../app/session';
import { DepartmentSelect } from '../common/DepartmentSelect';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatTime } from '../lib/dates';
import { departmentLabel, rememberedDepartment } from '../lib/departments';
import { isTypingTarget } from '../lib/scan';
import { WaitingPanel } from '../queue/WaitingPanel';
import { useQueueFeed } from '../queue/useQueueFeed';

export default function DoctorPage({ department: fromUrl }: { department: string }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const department = fromUrl || rememberedDepartment();
  const { snapshot, mode, error, refresh } = useQueueFeed(department, true);
  const [calling, setCalling] = useState(false);
  const [callError, setCallError] = useState<unknown>();
  const summary = snapshot ? summarizeQueue(snapshot) : undefined;

  const callNext = async () => {
    if (calling) return;
    setCalling(true);
    setCallError(undefined);
    try {
      const e = await api.callNext(department);
      refresh();
      if (e.id) navigate(`/visit/${encodeURIComponent(e.id)}?number=${encodeURIComponent(queueNumberOf(e))}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setCallError(new Error(t('queue.empty')));
      else setCallError(e);
    } finally {
      setCalling(false);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'n' || e.key === 'N') && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(document.activeElement)) {
        e.preventDefault();
        void callNext();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const called = summary ? [summary.current, ...summary.recentlyCalled].filter((e) => !!e) : [];
  return (
    <div className="doctor-page">
      <h1>{t('clin.doctor.title', { department: departmentLabel(department, lang) })}</h1>
      <div className="queue-toolbar">
        <DepartmentSelect id="doctor-department" department={department} basePath="/doctor" />
        <button type="button" className="primary big" onClick={() => void callNext()} disabled={calling} data-testid="doctor-call-next">
          {calling ? t('queue.calling') : t('clin.doctor.callNext')} <kbd>N</kbd>
        </button>
        <Link className="button secondary" href="/inpatient">
          {t('nav.inpatient')}
        </Link>
        <span className={`feed feed-${mode}`}>{t(`queue.feed.${mode}`)}</span>
      </div>
      <ErrorBox error={callError} testId="doctor-call-error" />
      {error && <ErrorBox error={error} />}
      {!summary ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <div className="queue-columns">
          <section className="panel" aria-labelledby="d-called">
            <h2 id="d-called">{t('clin.doctor.inRoom')}</h2>
            {called.length ? (
              <ol className="queue-list" data-testid="doctor-called">
                {called.map((e) => (
                  <li key={e.encounterId || e.number}>
                    <span className="q-number">{e.number}</span>{' '}
                    {e.encounterId ? <Link href={`/visit/${encodeURIComponent(e.encounterId)}?number=${encodeURIComponent(e.number)}`}>{e.patientName || e.patientRef}</Link> : e.patientName}{' '}
                    <span className="muted">{formatTime(e.since)}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">{t('queue.noneCalled')}</p>
            )}
          </section>
          <WaitingPanel summary={summary} idPrefix="d" testId="doctor-waiting" markPriority />
        </div>
      )}
    </div>
  );
}
