// The queue ticket printed after a visit starts: facility, department, number, time,
// patient name. Printed on a 58 mm or 80 mm thermal roll (styles.css, @media print).
import type { Encounter } from '../api/fhir';
import { queueNumberOf } from '../api/queue';
import { facilityClock, formatDate } from './dates';

export interface TicketData {
  facility: string;
  department: string;
  number: string;
  date: string;
  time: string;
  patientName: string;
  encounterId: string;
}

export function ticketFor(
  encounter: Encounter,
  patientName: string,
  facility: string,
  department: string,
  now: Date = new Date(),
  number: string = queueNumberOf(encounter),
): TicketData {
  const start = encounter.period?.start ?? encounter.meta?.lastUpdated;
  // the visit's start at the facility; now if it has none or it cannot be read
  const clock = (start ? facilityClock(start) : undefined) ?? facilityClock(now)!;
  return {
    facility,
    department,
    number,
    date: formatDate(clock.date),
    time: clock.time,
    patientName,
    encounterId: encounter.id ?? '',
  };
}

export type PaperWidth = 58 | 80;

export function paperWidth(): PaperWidth {
  try {
    return localStorage.getItem('hb.ticketWidth') === '58' ? 58 : 80;
  } catch {
    return 80;
  }
}

export function setPaperWidth(w: PaperWidth): void {
  try {
    localStorage.setItem('hb.ticketWidth', String(w));
  } catch {
    // not remembered
  }
}
