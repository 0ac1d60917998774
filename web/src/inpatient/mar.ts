// The medication administration record: the scheduled doses of the day for each active
// order of a stay (from its times a day), matched in order with what was recorded
// (MedicationAdministration: completed = given, not-done = held, with the reason).
import type { MedicationAdministration, MedicationRequest } from '../api/clinical-types';
import { facilityDate } from '../lib/dates';

/** The usual ward round times for n doses a day. */
export function scheduleTimes(perDay: number): string[] {
  const n = Math.max(1, Math.min(24, Math.round(perDay)));
  const fixed: Record<number, string[]> = {
    1: ['08:00'],
    2: ['08:00', '16:00'],
    3: ['08:00', '14:00', '20:00'],
    4: ['06:00', '12:00', '18:00', '22:00'],
  };
  if (fixed[n]) return fixed[n]!;
  const step = 24 / n;
  return Array.from({ length: n }, (_, i) => {
    const minutes = Math.round((6 + i * step) * 60) % (24 * 60);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  }).sort();
}

export function perDayOf(mr: MedicationRequest): number {
  const r = mr.dosageInstruction?.[0]?.timing?.repeat;
  if (!r?.frequency) return 1;
  const period = r.period ?? 1;
  const unitDays: Record<string, number> = { h: 1 / 24, d: 1, wk: 7 };
  const days = period * (unitDays[r.periodUnit ?? 'd'] ?? 1);
  return Math.max(1, Math.round(r.frequency / days));
}

export interface DoseSlot {
  time: string;
  state: 'due' | 'given' | 'held';
  administration?: MedicationAdministration;
}

/** Today's slots of one order, filled in time order by the day's administrations. */
export function doseSlots(mr: MedicationRequest, administrations: MedicationAdministration[], today: string): DoseSlot[] {
  const mine = administrations
    .filter((a) => a.request?.reference === `MedicationRequest/${mr.id}` && facilityDate(a.effectiveDateTime ?? '') === today && a.status !== 'entered-in-error')
    .sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''));
  return scheduleTimes(perDayOf(mr)).map((time, i) => {
    const a = mine[i];
    if (!a) return { time, state: 'due' };
    return { time, state: a.status === 'not-done' ? 'held' : 'given', administration: a };
  });
}

export function administrationOf(mr: MedicationRequest, ctx: { encounter: string; when: string; given: boolean; reason?: string; slot: string; performer?: string }): MedicationAdministration {
  const dose = mr.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity;
  const route = mr.dosageInstruction?.[0]?.route;
  const a: MedicationAdministration = {
    resourceType: 'MedicationAdministration',
    status: ctx.given ? 'completed' : 'not-done',
    ...(mr.medicationCodeableConcept ? { medicationCodeableConcept: mr.medicationCodeableConcept } : { medicationReference: mr.medicationReference ?? {} }),
    subject: mr.subject ?? {},
    context: { reference: ctx.encounter },
    effectiveDateTime: ctx.when,
    request: { reference: `MedicationRequest/${mr.id}` },
    dosage: { text: `${ctx.slot} · ${mr.dosageInstruction?.[0]?.text ?? ''}`.trim(), ...(route ? { route } : {}), ...(dose ? { dose } : {}) },
  };
  if (!ctx.given && ctx.reason?.trim()) a.statusReason = [{ text: ctx.reason.trim() }];
  // the performer is left to the server (the writer's Practitioner); the name stays as a note
  if (ctx.performer) a.note = [{ text: `${ctx.slot}: ${ctx.given ? 'đã dùng' : 'hoãn'}`, authorString: ctx.performer }];
  return a;
}
