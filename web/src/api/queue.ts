// Today's queue of a department: what `GET /fhir/Encounter/$queue?department=X` answers
// (and what the `queue` events of /api/queue/stream carry), read into numbered entries.
// Accepted shapes:
// - the $queue Parameters: `ticket` parameters with parts `number`, `state` (waiting,
//   called, done, cancelled), `priority`, `encounter`, `patient`, `arrived`, `called`;
// - the queue display JSON: {tickets: [{number, status, priority}], serving: [numbers
//   called, latest first]};
// - Encounters carrying their ticket: a Bundle (Patients may be included for names), a
//   Parameters with Encounters as `resource` (or in parts), or an array.
import type { Bundle, Encounter, Parameters, ParametersParameter, Patient, Resource } from './fhir';
import { first, valueText } from './parameters';
import { displayName } from '../lib/patient-view';

export type QueueState = 'waiting' | 'called' | 'done' | 'cancelled';

export interface QueueEntry {
  encounterId: string;
  number: string;
  state: QueueState;
  /** v3-ActPriority code; '' or 'R' for routine. */
  priority: string;
  patientRef: string;
  patientName: string;
  /** When the entry reached its state (ISO), for ordering the called ones. */
  since: string;
  /** Position among the called, 0 = called last (when the source says so). */
  calledOrder?: number;
  department: string;
}

/** 0 for stat/emergency, 1 for urgent, 2 for routine: the server's calling order (reception/queue_ticket.h). */
export function priorityRank(code: string): number {
  if (code === 'S' || code === 'EM') return 0;
  if (code === 'UR' || code === 'A' || code === 'T' || code === 'priority') return 1; // 'priority': the display JSON
  return 2;
}

export interface QueueSnapshot {
  entries: QueueEntry[];
}

/**
 * The queue number an Encounter carries in an identifier: the one whose system or type says
 * 'queue'; else (unless strict) its only or first identifier, as `$start-visit` gives it.
 */
export function queueNumberOf(e: Encounter, strict = false): string {
  // the ticket extension's `number` (extension/queue-ticket)
  for (const ext of e.extension ?? []) {
    if (!ext.url.endsWith('/queue-ticket')) continue;
    const n = ext.extension?.find((x) => x.url === 'number');
    if (n?.valueInteger !== undefined) return String(n.valueInteger);
    if (n?.valueString) return n.valueString;
  }
  const ids = e.identifier ?? [];
  const isQueue = (s: string | undefined) => !!s && /queue|stt|so-thu-tu|số thứ tự/i.test(s);
  const byQueue =
    ids.find((i) => isQueue(i.system)) ??
    ids.find((i) => isQueue(i.type?.text) || (i.type?.coding ?? []).some((c) => isQueue(c.code) || isQueue(c.display)));
  const value = (byQueue ?? (strict ? undefined : ids[0]))?.value ?? '';
  // "<facility>:<day>:<department>:<number>": the number is the last part
  return byQueue && value.includes(':') ? value.slice(value.lastIndexOf(':') + 1) : value;
}

export function queueState(status: string): QueueState {
  switch (status) {
    case 'planned':
    case 'arrived':
    case 'triaged':
    case 'waiting':
      return 'waiting';
    case 'in-progress':
    case 'called':
      return 'called';
    case 'cancelled':
    case 'entered-in-error':
      return 'cancelled';
    default:
      return 'done';
  }
}

function sinceOf(e: Encounter): string {
  const history = e.statusHistory ?? [];
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (h.status === e.status && h.period?.start) return h.period.start;
  }
  if (e.status === 'in-progress' && e.meta?.lastUpdated) return e.meta.lastUpdated;
  return e.period?.start ?? e.meta?.lastUpdated ?? '';
}

function departmentOf(e: Encounter): string {
  const st = e.serviceType;
  return st?.coding?.[0]?.code ?? st?.text ?? '';
}

function priorityOf(e: Encounter & { priority?: { coding?: { code?: string }[] } }): string {
  return e.priority?.coding?.[0]?.code ?? '';
}

/** The $queue Parameters' `ticket` parameters. */
function ticketEntries(p: Parameters): QueueEntry[] {
  const department = valueText(first(p, 'department'));
  return (p.parameter ?? [])
    .filter((t) => t.name === 'ticket')
    .map((t) => {
      const parts = t.part ?? [];
      const patient = first(parts, 'patient')?.valueReference;
      const state = valueText(first(parts, 'state'));
      const called = valueText(first(parts, 'called'));
      return {
        encounterId: (first(parts, 'encounter')?.valueReference?.reference ?? '').replace(/^Encounter\//, ''),
        number: valueText(first(parts, 'number')),
        state: queueState(state),
        priority: valueText(first(parts, 'priority')),
        patientRef: patient?.reference ?? '',
        patientName: patient?.display ?? '',
        since: called || valueText(first(parts, 'arrived')),
        department,
      };
    });
}

interface DisplayJson {
  department?: string;
  serving?: (number | string)[];
  tickets?: { number: number | string; status?: string; priority?: string }[];
}

/** The queue display JSON (numbers and states only). */
function displayEntries(d: DisplayJson): QueueEntry[] {
  const serving = (d.serving ?? []).map(String);
  return (d.tickets ?? []).map((t) => {
    const number = String(t.number);
    const order = serving.indexOf(number);
    return {
      encounterId: '',
      number,
      state: queueState(t.status ?? ''),
      priority: t.priority ?? '',
      patientRef: '',
      patientName: '',
      since: '',
      ...(order >= 0 ? { calledOrder: order } : {}),
      department: d.department ?? '',
    };
  });
}

function collect(value: unknown, into: Resource[]): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into);
    return;
  }
  const r = value as Resource;
  if (r.resourceType === 'Bundle') {
    for (const entry of (r as Bundle).entry ?? []) collect(entry.resource, into);
  } else if (r.resourceType === 'Parameters') {
    const walk = (ps: ParametersParameter[] | undefined) => {
      for (const p of ps ?? []) {
        collect(p.resource, into);
        walk(p.part);
      }
    };
    walk((r as Parameters).parameter);
  } else if (typeof r.resourceType === 'string') {
    into.push(r);
  }
}

/** Digits of a queue number as a number, for ordering ('A012' → 12); NaN when none. */
export function numberValue(n: string): number {
  const m = /(\d+)(?!.*\d)/.exec(n);
  return m ? Number(m[1]) : Number.NaN;
}

export function compareNumbers(a: string, b: string): number {
  const [x, y] = [numberValue(a), numberValue(b)];
  if (!Number.isNaN(x) && !Number.isNaN(y) && x !== y) return x - y;
  return a.localeCompare(b);
}

export function parseQueue(json: unknown): QueueSnapshot {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const r = json as Resource & DisplayJson;
    if (r.resourceType === 'Parameters' && (r as Parameters).parameter?.some((p) => p.name === 'ticket')) {
      return { entries: ticketEntries(r as Parameters).sort((a, b) => compareNumbers(a.number, b.number)) };
    }
    if (!r.resourceType && Array.isArray(r.tickets)) {
      return { entries: displayEntries(r).sort((a, b) => compareNumbers(a.number, b.number)) };
    }
  }
  const resources: Resource[] = [];
  collect(json, resources);
  const names = new Map<string, string>();
  for (const r of resources) if (r.resourceType === 'Patient' && r.id) names.set(`Patient/${r.id}`, displayName(r as Patient));
  const entries: QueueEntry[] = [];
  for (const r of resources) {
    if (r.resourceType !== 'Encounter') continue;
    const e = r as Encounter;
    const patientRef = e.subject?.reference ?? '';
    entries.push({
      encounterId: e.id ?? '',
      number: queueNumberOf(e),
      state: queueState(e.status),
      priority: priorityOf(e),
      patientRef,
      patientName: names.get(patientRef) ?? e.subject?.display ?? '',
      since: sinceOf(e),
      department: departmentOf(e),
    });
  }
  entries.sort((a, b) => compareNumbers(a.number, b.number));
  return { entries };
}

export interface QueueSummary {
  /** The number called last (being seen now). */
  current: QueueEntry | undefined;
  /** Called earlier and still being seen, most recent first. */
  recentlyCalled: QueueEntry[];
  /** Waiting, in queue order. */
  waiting: QueueEntry[];
  doneCount: number;
}

export function summarizeQueue(snapshot: QueueSnapshot): QueueSummary {
  const latestFirst = (a: QueueEntry, b: QueueEntry) => {
    if (a.calledOrder !== undefined && b.calledOrder !== undefined) return a.calledOrder - b.calledOrder;
    if (a.since !== b.since) return a.since < b.since ? 1 : -1;
    return compareNumbers(b.number, a.number);
  };
  const called = snapshot.entries.filter((e) => e.state === 'called').sort(latestFirst);
  // the order the next patients will be called in: priority, then number
  const waiting = snapshot.entries
    .filter((e) => e.state === 'waiting')
    .sort((a, b) => priorityRank(a.priority) - priorityRank(b.priority) || compareNumbers(a.number, b.number));
  return {
    current: called[0],
    recentlyCalled: called.slice(1),
    waiting,
    doneCount: snapshot.entries.filter((e) => e.state === 'done').length,
  };
}
