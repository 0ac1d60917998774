// The occupancy board of a ward from `Location/$occupancy?ward=Location/x`: each bed, its
// room, and who lies in it (patient, inpatient Encounter, since when). The answer is
// Parameters with a `ward` parameter whose parts hold one `bed` per bed (parts `location`,
// `room`, `status` v2-0116: O occupied, U free, H/K being cleaned, C closed; `encounter`,
// `patient`, `since`); a Bundle of bed Locations with their Encounters is read too.
import type { Location } from '../api/clinical-types';
import type { Bundle, Encounter, Parameters, ParametersParameter, Resource } from '../api/fhir';
import { all, first, valueText } from '../api/parameters';

export type BedState = 'free' | 'occupied' | 'cleaning' | 'closed';

export interface BedRow {
  bedId: string;
  bed: string;
  room: string;
  state: BedState;
  patientRef: string;
  patientName: string;
  encounterId: string;
  since: string;
}

export function bedState(code: string | undefined): BedState {
  switch ((code ?? '').toLowerCase()) {
    case 'o':
    case 'occupied':
      return 'occupied';
    case 'k':
    case 'h':
    case 'cleaning':
    case 'contaminated':
    case 'i':
    case 'isolated':
      return 'cleaning';
    case 'c':
    case 'closed':
    case 'inactive':
      return 'closed';
    default:
      return 'free';
  }
}

const pick = (parts: ParametersParameter[], ...names: string[]) => names.map((n) => first(parts, n)).find(Boolean);

function bedRows(beds: ParametersParameter[]): BedRow[] {
  return beds
    .filter((b) => b.part?.length)
    .map((b) => {
      const parts = b.part ?? [];
      const bedRef = pick(parts, 'bed', 'location')?.valueReference;
      const roomRef = pick(parts, 'room')?.valueReference;
      const pat = pick(parts, 'patient')?.valueReference;
      const enc = pick(parts, 'encounter')?.valueReference;
      const status = valueText(pick(parts, 'status', 'state'));
      return {
        bedId: (bedRef?.reference ?? valueText(pick(parts, 'id'))).replace(/^Location\//, ''),
        bed: bedRef?.display ?? valueText(pick(parts, 'name')) ?? '',
        room: roomRef?.display ?? valueText(pick(parts, 'room')),
        state: pat?.reference || enc?.reference ? 'occupied' : bedState(status),
        patientRef: pat?.reference ?? '',
        patientName: pat?.display ?? '',
        encounterId: (enc?.reference ?? '').replace(/^Encounter\//, ''),
        since: valueText(pick(parts, 'since', 'start', 'admitted')),
      };
    });
}

function fromResources(rs: Resource[]): BedRow[] {
  const locations = rs.filter((r) => r.resourceType === 'Location') as Location[];
  const byId = new Map(locations.map((l) => [l.id, l]));
  const encounters = rs.filter((r) => r.resourceType === 'Encounter') as Encounter[];
  const beds = locations.filter((l) => l.physicalType?.coding?.some((c) => c.code === 'bd'));
  return beds.map((b) => {
    const enc = encounters.find((e) => e.status === 'in-progress' && e.location?.some((x) => x.location.reference === `Location/${b.id}` && (x.status ?? 'active') === 'active'));
    const room = byId.get(b.partOf?.reference?.replace(/^Location\//, ''));
    return {
      bedId: b.id ?? '',
      bed: b.name ?? b.id ?? '',
      room: room?.name ?? b.partOf?.display ?? '',
      state: enc ? 'occupied' : bedState(b.operationalStatus?.code),
      patientRef: enc?.subject?.reference ?? '',
      patientName: enc?.subject?.display ?? '',
      encounterId: enc?.id ?? '',
      since: enc?.period?.start ?? '',
    };
  });
}

export function readOccupancy(answer: Resource | undefined): BedRow[] {
  if (!answer) return [];
  let rows: BedRow[];
  if (answer.resourceType === 'Parameters') rows = bedRows([...all(answer as Parameters, 'bed'), ...all(answer as Parameters, 'ward').flatMap((w) => all(w.part ?? [], 'bed'))]);
  else if (answer.resourceType === 'Bundle') rows = fromResources(((answer as Bundle).entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r));
  else rows = [];
  const natural = (a: string, b: string) => a.localeCompare(b, 'vi', { numeric: true });
  return rows.sort((a, b) => natural(a.room, b.room) || natural(a.bed, b.bed));
}

export interface Ward {
  id: string;
  name: string;
  beds: BedRow[];
}

/** The wards of `Location/$occupancy` (without `ward`: every ward of the caller's facility), each with its beds. */
export function readWards(answer: Resource | undefined): Ward[] {
  if (answer?.resourceType !== 'Parameters') return [];
  const natural = (a: string, b: string) => a.localeCompare(b, 'vi', { numeric: true });
  return all(answer as Parameters, 'ward')
    .filter((w) => w.part?.length)
    .map((w) => {
      const loc = first(w.part ?? [], 'location')?.valueReference;
      const beds = bedRows(all(w.part ?? [], 'bed')).sort((a, b) => natural(a.room, b.room) || natural(a.bed, b.bed));
      return { id: (loc?.reference ?? '').replace(/^Location\//, ''), name: loc?.display ?? '', beds };
    })
    .filter((w) => w.id)
    .sort((a, b) => natural(a.name, b.name));
}

export function occupancySummary(rows: BedRow[]): Record<BedState, number> {
  const out: Record<BedState, number> = { free: 0, occupied: 0, cleaning: 0, closed: 0 };
  for (const r of rows) out[r.state] += 1;
  return out;
}

/** Whole days in hospital, counting the day of admission as day 1. */
export function dayOfStay(since: string, today: string): number {
  if (!since) return 0;
  const d = Math.floor((Date.parse(today + 'T00:00:00Z') - Date.parse(since.slice(0, 10) + 'T00:00:00Z')) / 86400_000);
  return Number.isFinite(d) ? d + 1 : 0;
}
