// Pharmacy stock as `Medication/$stock` answers it, read into drugs with their batches:
// on hand, lot, expiry; near-expiry and expired batches flagged; the batch a dispense will
// take first (first expiry, first out, never an expired one).
// The answer: Parameters with one `item` parameter per drug whose parts are `drug` (the
// catalogue code), `display`, `onHand`, `usable` and one `batch` per batch (parts
// `medication` = the batch's Medication, `lot`, `expiry`, `onHand`, `expired`).
import type { Parameters, ParametersParameter, Resource } from '../api/fhir';
import { all, first, valueText } from '../api/parameters';

export interface Batch {
  /** The batch's Medication id, when the server names it. */
  id: string;
  lot: string;
  /** YYYY-MM-DD */
  expiry: string;
  onHand: number;
}

export interface StockItem {
  code: string;
  display: string;
  unit: string;
  medication: string;
  batches: Batch[];
  onHand: number;
}

export type ExpiryState = 'ok' | 'near' | 'expired';

/** Days from `today` to `expiry` (both YYYY-MM-DD; negative when past). */
export function daysTo(expiry: string, today: string): number {
  return Math.round((Date.parse(expiry.slice(0, 10) + 'T00:00:00Z') - Date.parse(today + 'T00:00:00Z')) / 86400_000);
}

/** Expired after its expiry day; near within `nearDays` (90 by default: a quarter's notice). */
export function expiryState(expiry: string, today: string, nearDays = 90): ExpiryState {
  if (!expiry) return 'ok';
  const d = daysTo(expiry, today);
  if (d < 0) return 'expired';
  if (d <= nearDays) return 'near';
  return 'ok';
}

function num(p: ParametersParameter | undefined): number {
  if (!p) return 0;
  if (typeof p.valueDecimal === 'number') return p.valueDecimal;
  if (typeof p.valueInteger === 'number') return p.valueInteger;
  const q = (p as { valueQuantity?: { value?: number } }).valueQuantity?.value;
  if (typeof q === 'number') return q;
  const n = Number(valueText(p));
  return Number.isFinite(n) ? n : 0;
}

const pick = (parts: ParametersParameter[], ...names: string[]) => names.map((n) => first(parts, n)).find(Boolean);

function readBatch(b: ParametersParameter): Batch {
  const parts = b.part ?? [];
  const ref = pick(parts, 'batch', 'medication', 'id')?.valueReference?.reference ?? valueText(pick(parts, 'batch-id', 'id'));
  return {
    id: ref.replace(/^Medication\//, ''),
    lot: valueText(pick(parts, 'lot', 'lotNumber', 'lot-number')),
    expiry: valueText(pick(parts, 'expiry', 'expiration', 'expirationDate', 'expiration-date')).slice(0, 10),
    onHand: num(pick(parts, 'onHand', 'quantity')),
  };
}

export function readStock(answer: Resource | undefined): StockItem[] {
  if (!answer) return [];
  const out: StockItem[] = [];
  if (answer.resourceType === 'Parameters') {
    const params = answer as Parameters;
    const items = all(params, 'item').filter((p) => p.part?.length);
    for (const it of items) {
      const parts = it.part ?? [];
      const batches = all(parts, 'batch').filter((b) => b.part?.length).map(readBatch);
      const med = pick(parts, 'medication')?.valueReference;
      const total = pick(parts, 'onHand', 'total');
      out.push({
        code: valueText(pick(parts, 'drug', 'code')),
        display: valueText(pick(parts, 'display', 'name')) || med?.display || '',
        unit: valueText(pick(parts, 'unit')),
        medication: (med?.reference ?? '').replace(/^Medication\//, ''),
        batches: sortFefo(batches),
        onHand: total ? num(total) : batches.reduce((s, b) => s + b.onHand, 0),
      });
    }
  }
  return out.sort((a, b) => a.display.localeCompare(b.display, 'vi'));
}

/** Batches in the order a dispense takes them: earliest expiry first, lot breaking ties. */
export function sortFefo(batches: Batch[]): Batch[] {
  return [...batches].sort((a, b) => (a.expiry || '9999').localeCompare(b.expiry || '9999') || a.lot.localeCompare(b.lot));
}

export interface FefoPick {
  batch: Batch;
  quantity: number;
}

/** What a dispense of `quantity` would take (usable batches, FEFO); short when stock is not enough. */
export function planFefo(batches: Batch[], quantity: number, today: string): { picks: FefoPick[]; short: number } {
  const picks: FefoPick[] = [];
  let left = quantity;
  for (const b of sortFefo(batches)) {
    if (left <= 0) break;
    if (b.onHand <= 0 || expiryState(b.expiry, today) === 'expired') continue;
    const q = Math.min(left, b.onHand);
    picks.push({ batch: b, quantity: q });
    left -= q;
  }
  return { picks, short: Math.max(0, left) };
}

/** The catalogue code of a MedicationRequest's drug (the charge-code coding, else the first). */
export function drugCodeOf(mr: { medicationCodeableConcept?: { coding?: { system?: string; code?: string }[] } }): string {
  const codings = mr.medicationCodeableConcept?.coding ?? [];
  return (codings.find((c) => c.system?.endsWith('/charge-code')) ?? codings[0])?.code ?? '';
}
