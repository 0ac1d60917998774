// A live feed of one department's queue. It listens to the server-sent events of
// `GET /api/queue/stream?department=X` (events named `queue`, the same JSON as $queue)
// when that endpoint answers, and polls `$queue` every 2 s otherwise: at the start until
// the stream opens, whenever the stream drops, and for good when the endpoint is missing
// (then the stream is tried again every minute, so a server upgrade is picked up).
import { parseQueue, type QueueSnapshot } from './queue';

export type FeedMode = 'connecting' | 'live' | 'polling';

interface EventSourceLike {
  readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: 'queue', listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export interface QueueFeedDeps {
  fetchQueue: (department: string) => Promise<unknown>;
  /** The EventSource constructor; undefined to poll only. */
  EventSource?: (new (url: string) => EventSourceLike) | undefined;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  pollMs?: number;
  streamRetryMs?: number;
  /**
   * The stream carries numbers and states only (a waiting-room screen shows no names); with
   * `detailed`, each stream event is a cue to fetch $queue, which names the patients (for staff).
   */
  detailed?: boolean;
}

export interface QueueFeedHandlers {
  onSnapshot: (snapshot: QueueSnapshot) => void;
  onMode?: (mode: FeedMode) => void;
  onError?: (error: Error | undefined) => void;
}

const CLOSED = 2;

export function streamUrl(department: string): string {
  return `/api/queue/stream?department=${encodeURIComponent(department)}`;
}

export interface QueueFeed {
  /** Stops the feed: no more calls, timers or stream. */
  stop: () => void;
  /** Asks for the queue now (after a change made here), unless the stream is live. */
  refresh: () => void;
}

/** Starts the feed. */
export function openQueueFeed(department: string, handlers: QueueFeedHandlers, deps: QueueFeedDeps): QueueFeed {
  const setT = deps.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));
  const clearT = deps.clearTimeout ?? ((h: unknown) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const pollMs = deps.pollMs ?? 2000;
  const retryMs = deps.streamRetryMs ?? 60_000;
  let stopped = false;
  let mode: FeedMode | undefined;
  let source: EventSourceLike | undefined;
  let pollTimer: unknown;
  let retryTimer: unknown;
  let polling = false;
  let inFlight = false;

  const setMode = (m: FeedMode) => {
    if (m !== mode) {
      mode = m;
      handlers.onMode?.(m);
    }
  };

  const pollOnce = async () => {
    if (stopped || inFlight) return;
    inFlight = true;
    try {
      const json = await deps.fetchQueue(department);
      if (!stopped && mode !== 'live') {
        handlers.onSnapshot(parseQueue(json));
        handlers.onError?.(undefined);
      }
    } catch (e) {
      if (!stopped) handlers.onError?.(e as Error);
    } finally {
      inFlight = false;
    }
    if (!stopped && polling) pollTimer = setT(() => void pollOnce(), pollMs);
  };

  const fetchDetailed = async () => {
    try {
      const json = await deps.fetchQueue(department);
      if (!stopped) {
        handlers.onSnapshot(parseQueue(json));
        handlers.onError?.(undefined);
      }
    } catch (e) {
      if (!stopped) handlers.onError?.(e as Error);
    }
  };

  const startPolling = () => {
    if (polling || stopped) return;
    polling = true;
    void pollOnce();
  };

  const stopPolling = () => {
    polling = false;
    if (pollTimer !== undefined) clearT(pollTimer);
    pollTimer = undefined;
  };

  const startStream = () => {
    retryTimer = undefined;
    if (stopped || !deps.EventSource) return;
    let es: EventSourceLike;
    try {
      es = new deps.EventSource(streamUrl(department));
    } catch {
      return;
    }
    source = es;
    es.addEventListener('queue', (ev: MessageEvent) => {
      if (stopped) return;
      if (deps.detailed) {
        void fetchDetailed();
        return;
      }
      try {
        handlers.onSnapshot(parseQueue(JSON.parse(String(ev.data))));
        handlers.onError?.(undefined);
      } catch (e) {
        handlers.onError?.(e as Error);
      }
    });
    es.onopen = () => {
      if (stopped) return;
      setMode('live');
      stopPolling();
    };
    es.onerror = () => {
      if (stopped) return;
      if (es.readyState === CLOSED) {
        // Not 200 text/event-stream (absent endpoint, refused): poll, try again later.
        es.close();
        if (source === es) source = undefined;
        setMode('polling');
        startPolling();
        retryTimer = setT(startStream, retryMs);
      } else {
        // The stream dropped and the browser reconnects by itself: poll meanwhile.
        setMode('polling');
        startPolling();
      }
    };
  };

  setMode(deps.EventSource ? 'connecting' : 'polling');
  startPolling();
  startStream();

  return {
    stop: () => {
      stopped = true;
      stopPolling();
      if (retryTimer !== undefined) clearT(retryTimer);
      source?.close();
      source = undefined;
    },
    refresh: () => {
      if (mode !== 'live') void pollOnce();
      else if (deps.detailed) void fetchDetailed();
    },
  };
}
