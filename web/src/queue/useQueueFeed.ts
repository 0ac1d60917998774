import { useCallback, useEffect, useRef, useState } from 'react';
import { openQueueFeed, type FeedMode, type QueueFeed } from '../api/queue-feed';
import type { QueueSnapshot } from '../api/queue';
import { useApi } from '../app/session';

/**
 * The live queue of a department: SSE when the server streams it, polling otherwise.
 * `detailed` (staff screens): patient names too, fetched from $queue on each change.
 */
export function useQueueFeed(department: string, detailed = false) {
  const api = useApi();
  const [snapshot, setSnapshot] = useState<QueueSnapshot | undefined>();
  const [mode, setMode] = useState<FeedMode>('connecting');
  const [error, setError] = useState<Error | undefined>();
  const feed = useRef<QueueFeed | undefined>(undefined);
  useEffect(() => {
    setSnapshot(undefined);
    if (!department) return;
    const f = openQueueFeed(
      department,
      { onSnapshot: setSnapshot, onMode: setMode, onError: setError },
      { fetchQueue: (d) => api.queue(d), EventSource: typeof EventSource === 'function' ? EventSource : undefined, detailed },
    );
    feed.current = f;
    return () => {
      f.stop();
      if (feed.current === f) feed.current = undefined;
    };
  }, [api, department, detailed]);
  const refresh = useCallback(() => feed.current?.refresh(), []);
  return { snapshot, mode, error, refresh };
}
