// The waiting-room display of one department: the number being called, large, and the
// next numbers. Full screen with F (or the button); numbers only, no patient names.
import { useEffect, useRef, useState } from 'react';
import { summarizeQueue } from '../api/queue';
import { useI18n } from '../i18n/i18n';
import { formatTime } from '../lib/dates';
import { departmentLabel } from '../lib/departments';
import { useQueueFeed } from './useQueueFeed';
import { useSession } from '../app/session';

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export default function QueueDisplay({ department }: { department: string }) {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const { snapshot, mode, error } = useQueueFeed(department);
  const now = useClock();
  const rootRef = useRef<HTMLDivElement>(null);
  const summary = snapshot ? summarizeQueue(snapshot) : undefined;
  const current = summary?.current?.number;
  const [flash, setFlash] = useState(false);
  const last = useRef<string | undefined>(undefined);

  // A newly called number flashes for a few seconds.
  useEffect(() => {
    if (current && last.current !== undefined && current !== last.current) {
      setFlash(true);
      const timer = setTimeout(() => setFlash(false), 4000);
      last.current = current;
      return () => clearTimeout(timer);
    }
    last.current = current;
  }, [current]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (document.fullscreenElement) void document.exitFullscreen();
        else void rootRef.current?.requestFullscreen?.();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="display" ref={rootRef} data-testid="queue-display" lang={lang}>
      <header className="display-head">
        <div>
          <div className="display-facility">{session?.facilityName || session?.facility}</div>
          <h1 className="display-department">{departmentLabel(department, lang)}</h1>
        </div>
        <div className="display-clock" aria-label={t('display.clock')}>
          {formatTime(now)}
        </div>
      </header>
      <main className="display-body">
        <section className="display-current" aria-live="assertive" aria-labelledby="display-current-label">
          <div id="display-current-label" className="display-label">
            {t('display.nowServing')}
          </div>
          <div className={`display-number${flash ? ' flash' : ''}`} data-testid="display-current">
            {current ?? '—'}
          </div>
        </section>
        <section className="display-next" aria-labelledby="display-next-label">
          <div id="display-next-label" className="display-label">
            {t('display.next')}
          </div>
          <ol data-testid="display-next">
            {(summary?.waiting ?? []).slice(0, 6).map((e) => (
              <li key={e.encounterId}>{e.number}</li>
            ))}
          </ol>
          {summary && summary.waiting.length === 0 && <p className="display-empty">{t('display.empty')}</p>}
        </section>
      </main>
      <footer className="display-foot">
        <span className={`feed feed-${mode}`}>{t(`queue.feed.${mode}`)}</span>
        {error && <span className="display-error">{t('display.stale')}</span>}
        <button type="button" className="link-button" onClick={() => void rootRef.current?.requestFullscreen?.()}>
          {t('display.fullscreen')}
        </button>
      </footer>
    </div>
  );
}
