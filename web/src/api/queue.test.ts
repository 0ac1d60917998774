import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Encounter } from './fhir';
import { compareNumbers, parseQueue, queueNumberOf, summarizeQueue } from './queue';
import { openQueueFeed, streamUrl, type FeedMode } from './queue-feed';

const enc = (id: string, number: string, status: string, since?: string, subject = `Patient/p${id}`): Encounter => ({
  resourceType: 'Encounter',
  id,
  status,
  identifier: [{ system: 'https://fhir.healthbook.vn/sid/queue-number', value: number }],
  subject: { reference: subject },
  period: { start: '2025-06-01T01:00:00Z' },
  ...(since ? { statusHistory: [{ status, period: { start: since } }] } : {}),
});

describe('queue numbers', () => {
  it('finds the queue identifier, else the first one', () => {
    const e: Encounter = {
      resourceType: 'Encounter',
      status: 'arrived',
      identifier: [{ system: 'urn:x:malk', value: 'LK1' }, { type: { text: 'Số thứ tự' }, value: '12' }],
    };
    assert.equal(queueNumberOf(e), '12');
    assert.equal(queueNumberOf({ resourceType: 'Encounter', status: 'arrived', identifier: [{ value: 'A003' }] }), 'A003');
    assert.equal(queueNumberOf({ resourceType: 'Encounter', status: 'arrived', identifier: [{ value: 'A003' }] }, true), '');
    assert.equal(queueNumberOf({ resourceType: 'Encounter', status: 'arrived' }), '');
  });
  it('reads the ticket extension and the ticket identifier $start-visit writes', () => {
    const e: Encounter = {
      resourceType: 'Encounter',
      status: 'arrived',
      extension: [{ url: 'https://fhir.healthbook.vn/sid/extension/queue-ticket', extension: [{ url: 'department', valueString: 'kham-noi' }, { url: 'number', valueInteger: 12 }] }],
      identifier: [{ system: 'https://fhir.healthbook.vn/sid/queue-number', value: 'org-11001:20261126:kham-noi:12' }],
    };
    assert.equal(queueNumberOf(e), '12');
    assert.equal(queueNumberOf({ ...e, extension: [] }), '12');
    assert.equal(queueNumberOf({ ...e, extension: [] }, true), '12');
  });
  it('orders numbers by their digits', () => {
    assert.ok(compareNumbers('2', '10') < 0);
    assert.ok(compareNumbers('A009', 'A010') < 0);
    assert.ok(compareNumbers('B1', 'A1') > 0);
  });
});

describe('queue snapshots', () => {
  const bundle = {
    resourceType: 'Bundle',
    entry: [
      { resource: enc('3', '3', 'arrived') },
      { resource: enc('1', '1', 'finished') },
      { resource: enc('10', '10', 'arrived') },
      { resource: enc('2', '2', 'in-progress', '2025-06-01T02:00:00Z') },
      { resource: enc('4', '4', 'in-progress', '2025-06-01T02:05:00Z') },
      { resource: { resourceType: 'Patient', id: 'p3', name: [{ text: 'Lò Văn A' }] } },
    ],
  };
  it('reads a Bundle, names from included Patients', () => {
    const s = parseQueue(bundle);
    assert.deepEqual(s.entries.map((e) => [e.number, e.state]), [
      ['1', 'done'], ['2', 'called'], ['3', 'waiting'], ['4', 'called'], ['10', 'waiting'],
    ]);
    assert.equal(s.entries.find((e) => e.number === '3')?.patientName, 'Lò Văn A');
  });
  it('reads Parameters and plain arrays alike', () => {
    const viaParams = parseQueue({ resourceType: 'Parameters', parameter: [{ name: 'entry', part: [{ name: 'encounter', resource: enc('5', '5', 'arrived') }] }] });
    assert.deepEqual(viaParams.entries.map((e) => e.number), ['5']);
    assert.deepEqual(parseQueue([enc('6', '6', 'arrived')]).entries.map((e) => e.number), ['6']);
    assert.deepEqual(parseQueue(null).entries, []);
  });
  it('reads the $queue Parameters: tickets with number, state, priority, patient', () => {
    const ticket = (number: number, state: string, extra: object[] = []) => ({
      name: 'ticket',
      part: [
        { name: 'number', valueInteger: number },
        { name: 'state', valueCode: state },
        { name: 'encounter', valueReference: { reference: `Encounter/e${number}` } },
        { name: 'patient', valueReference: { reference: `Patient/p${number}`, display: `Người ${number}` } },
        { name: 'arrived', valueDateTime: `2026-11-26T01:0${number}:00Z` },
        ...extra,
      ],
    });
    const s = parseQueue({
      resourceType: 'Parameters',
      parameter: [
        { name: 'department', valueString: 'kham-noi' },
        { name: 'waiting', valueInteger: 3 },
        ticket(3, 'waiting', [{ name: 'priority', valueCode: 'R' }]),
        ticket(1, 'called', [{ name: 'called', valueDateTime: '2026-11-26T02:00:00Z' }]),
        ticket(2, 'called', [{ name: 'called', valueDateTime: '2026-11-26T02:10:00Z' }]),
        ticket(4, 'waiting', [{ name: 'priority', valueCode: 'EM' }]),
        ticket(5, 'cancelled'),
        ticket(6, 'done'),
        ticket(7, 'waiting'),
      ],
    });
    assert.deepEqual(s.entries.map((e) => e.number), ['1', '2', '3', '4', '5', '6', '7']);
    assert.equal(s.entries[0]!.encounterId, 'e1');
    assert.equal(s.entries[0]!.patientName, 'Người 1');
    assert.equal(s.entries[0]!.department, 'kham-noi');
    const sum = summarizeQueue(s);
    assert.equal(sum.current?.number, '2');
    assert.deepEqual(sum.recentlyCalled.map((e) => e.number), ['1']);
    assert.deepEqual(sum.waiting.map((e) => e.number), ['4', '3', '7']); // the emergency first
    assert.equal(sum.doneCount, 1);
  });
  it('reads the queue display JSON of the live stream', () => {
    const s = parseQueue({
      department: 'kham-noi',
      serving: [5, 2],
      tickets: [
        { number: 2, status: 'called', priority: 'R' },
        { number: 5, status: 'called', priority: 'R' },
        { number: 6, status: 'waiting', priority: 'R' },
      ],
    });
    const sum = summarizeQueue(s);
    assert.equal(sum.current?.number, '5');
    assert.deepEqual(sum.recentlyCalled.map((e) => e.number), ['2']);
    assert.deepEqual(sum.waiting.map((e) => e.number), ['6']);
  });
  it('summarises: the last called is current, the waiting in order', () => {
    const sum = summarizeQueue(parseQueue(bundle));
    assert.equal(sum.current?.number, '4');
    assert.deepEqual(sum.recentlyCalled.map((e) => e.number), ['2']);
    assert.deepEqual(sum.waiting.map((e) => e.number), ['3', '10']);
    assert.equal(sum.doneCount, 1);
  });
});

// A fake clock and EventSource to drive the feed.
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn: () => void, ms: number) => {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h: unknown) => void timers.delete(h as number),
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await new Promise((r) => setImmediate(r));
      }
      now = until;
    },
    pending: () => timers.size,
  };
}

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  listeners: ((ev: MessageEvent) => void)[] = [];
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(_type: 'queue', l: (ev: MessageEvent) => void) {
    this.listeners.push(l);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  fail(permanently: boolean) {
    this.readyState = permanently ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
  emit(data: unknown) {
    for (const l of this.listeners) l({ data: JSON.stringify(data) } as MessageEvent);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('the queue feed', () => {
  it('polls every 2 s when the stream endpoint is missing, and tries it again later', async () => {
    FakeEventSource.instances = [];
    const timers = fakeTimers();
    let polls = 0;
    const modes: FeedMode[] = [];
    const numbers: string[][] = [];
    const { stop } = openQueueFeed(
      'kham-noi',
      { onSnapshot: (s) => numbers.push(s.entries.map((e) => e.number)), onMode: (m) => modes.push(m) },
      {
        fetchQueue: async (d) => {
          assert.equal(d, 'kham-noi');
          polls++;
          return [enc(String(polls), String(polls), 'arrived')];
        },
        EventSource: FakeEventSource,
        setTimeout: timers.setTimeout,
        clearTimeout: timers.clearTimeout,
      },
    );
    await flush();
    assert.equal(polls, 1); // at once, without waiting for the stream
    assert.equal(FakeEventSource.instances[0]!.url, streamUrl('kham-noi'));
    assert.equal(streamUrl('khám nội'), '/api/queue/stream?department=kh%C3%A1m%20n%E1%BB%99i');
    FakeEventSource.instances[0]!.fail(true); // 404: EventSource gives up
    await timers.advance(2000);
    assert.equal(polls, 2);
    await timers.advance(2000);
    assert.equal(polls, 3);
    assert.deepEqual(modes, ['connecting', 'polling']);
    await timers.advance(60_000 - 4000);
    assert.equal(FakeEventSource.instances.length, 2); // tried the stream again
    stop();
    const before = polls;
    await timers.advance(10_000);
    assert.equal(polls, before);
    assert.equal(timers.pending(), 0);
    assert.ok(FakeEventSource.instances[1]!.closed);
    assert.deepEqual(numbers[0], ['1']);
  });

  it('stops polling while the stream is open, and polls while it reconnects', async () => {
    FakeEventSource.instances = [];
    const timers = fakeTimers();
    let polls = 0;
    const modes: FeedMode[] = [];
    const seen: string[] = [];
    const { stop } = openQueueFeed(
      'kham-nhi',
      { onSnapshot: (s) => seen.push(s.entries.map((e) => e.number).join(',')), onMode: (m) => modes.push(m) },
      {
        fetchQueue: async () => {
          polls++;
          return [];
        },
        EventSource: FakeEventSource,
        setTimeout: timers.setTimeout,
        clearTimeout: timers.clearTimeout,
      },
    );
    await flush();
    const es = FakeEventSource.instances[0]!;
    es.open();
    await timers.advance(10_000);
    assert.equal(polls, 1);
    es.emit({ resourceType: 'Bundle', entry: [{ resource: enc('7', '7', 'arrived') }] });
    assert.equal(seen.at(-1), '7');
    es.fail(false); // dropped; the browser reconnects
    await flush();
    await timers.advance(4000);
    assert.ok(polls >= 3);
    es.open();
    const p = polls;
    await timers.advance(10_000);
    assert.equal(polls, p);
    assert.deepEqual(modes, ['connecting', 'live', 'polling', 'live']);
    stop();
    assert.ok(es.closed);
  });

  it('fetches $queue on each stream event when names are wanted', async () => {
    FakeEventSource.instances = [];
    const timers = fakeTimers();
    let polls = 0;
    const seen: string[] = [];
    const { stop, refresh } = openQueueFeed(
      'kham-noi',
      { onSnapshot: (s) => seen.push(s.entries.map((e) => `${e.number}:${e.patientName}`).join(',')) },
      {
        fetchQueue: async () => {
          polls++;
          return { resourceType: 'Parameters', parameter: [{ name: 'ticket', part: [{ name: 'number', valueInteger: polls }, { name: 'state', valueCode: 'waiting' }, { name: 'patient', valueReference: { display: 'Lò Văn A' } }] }] };
        },
        EventSource: FakeEventSource,
        setTimeout: timers.setTimeout,
        clearTimeout: timers.clearTimeout,
        detailed: true,
      },
    );
    await flush();
    const es = FakeEventSource.instances[0]!;
    es.open();
    es.emit({ tickets: [{ number: 9, status: 'waiting' }] }); // numbers only: a cue
    await flush();
    assert.equal(polls, 2);
    assert.equal(seen.at(-1), '2:Lò Văn A');
    refresh();
    await flush();
    assert.equal(polls, 3);
    stop();
  });

  it('polls only, without EventSource, and reports errors', async () => {
    const timers = fakeTimers();
    const errors: (Error | undefined)[] = [];
    let n = 0;
    const { stop } = openQueueFeed(
      'cap-cuu',
      { onSnapshot: () => undefined, onError: (e) => errors.push(e) },
      {
        fetchQueue: async () => {
          if (++n === 1) throw new Error('down');
          return [];
        },
        setTimeout: timers.setTimeout,
        clearTimeout: timers.clearTimeout,
      },
    );
    await flush();
    await timers.advance(2000);
    assert.equal(errors[0]?.message, 'down');
    assert.equal(errors.at(-1), undefined); // recovered
    stop();
  });
});
