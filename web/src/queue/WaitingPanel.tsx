// The "waiting" column of a queue screen (reception's queue, the doctor's clinic): the
// waiting tickets in call order, and how many are done today.
import { useT } from '../i18n/i18n';
import type { QueueSummary } from '../api/queue';

export function WaitingPanel({ summary, idPrefix, testId, markPriority = false }: {
  summary: QueueSummary;
  idPrefix: string;
  testId?: string;
  /** Flag tickets of a priority other than routine. */
  markPriority?: boolean;
}) {
  const t = useT();
  return (
    <section className="panel" aria-labelledby={`${idPrefix}-waiting`}>
      <h2 id={`${idPrefix}-waiting`}>{t('queue.waiting', { n: summary.waiting.length })}</h2>
      {summary.waiting.length ? (
        <ol className="queue-list" data-testid={testId}>
          {summary.waiting.map((e) => (
            <li key={e.encounterId || e.number}>
              <span className="q-number">{e.number}</span> {e.patientName}
              {markPriority && e.priority && e.priority !== 'R' && <span className="badge badge-expired">{t('clin.doctor.priority')}</span>}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t('queue.empty')}</p>
      )}
      <p className="muted">{t('queue.done', { n: summary.doneCount })}</p>
    </section>
  );
}
