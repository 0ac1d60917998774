// What a `MedicationRequest/{id}/$dispense` answer says was handed over: Parameters with one
// `dispense` MedicationDispense per batch taken (medicationReference = the batch's
// Medication, its display "<drug> lô <lot>", quantity) and the `chargeItem` references.
import type { MedicationDispense } from '../api/clinical-types';
import type { Bundle, Parameters, ParametersParameter, Resource } from '../api/fhir';
import { all, first, valueText } from '../api/parameters';

export interface DispensedBatch {
  /** The batch's Medication id. */
  batchId: string;
  lot: string;
  expiry: string;
  quantity: number;
}

export interface DispenseResult {
  dispenses: MedicationDispense[];
  batches: DispensedBatch[];
}

function batchFromParts(parts: ParametersParameter[]): DispensedBatch {
  const q = first(parts, 'quantity');
  return {
    batchId: (first(parts, 'medication')?.valueReference?.reference ?? '').replace(/^Medication\//, ''),
    lot: valueText(first(parts, 'lot')),
    expiry: valueText(first(parts, 'expiry')).slice(0, 10),
    quantity: q?.valueDecimal ?? q?.valueInteger ?? (q as { valueQuantity?: { value?: number } } | undefined)?.valueQuantity?.value ?? Number(valueText(q)) ?? 0,
  };
}

function batchFromDispense(d: MedicationDispense): DispensedBatch {
  const display = d.medicationReference?.display ?? '';
  return {
    batchId: (d.medicationReference?.reference ?? '').replace(/^Medication\//, ''),
    lot: /\blô\s+(\S+)\s*$/i.exec(display)?.[1] ?? '',
    expiry: '',
    quantity: d.quantity?.value ?? 0,
  };
}

export function readDispense(answer: Resource | undefined): DispenseResult {
  const dispenses: MedicationDispense[] = [];
  const batches: DispensedBatch[] = [];
  if (!answer) return { dispenses, batches };
  const take = (r: Resource | undefined) => {
    if (r?.resourceType === 'MedicationDispense') dispenses.push(r as MedicationDispense);
  };
  if (answer.resourceType === 'Bundle') for (const e of (answer as Bundle).entry ?? []) take(e.resource);
  else if (answer.resourceType === 'Parameters') {
    const p = answer as Parameters;
    for (const x of p.parameter ?? []) {
      take(x.resource);
      for (const part of x.part ?? []) take(part.resource);
    }
    for (const b of all(p, 'batch')) if (b.part?.length) batches.push(batchFromParts(b.part));
    for (const x of p.parameter ?? []) for (const b of all(x.part ?? [], 'batch')) if (b.part?.length) batches.push(batchFromParts(b.part));
  } else take(answer);
  if (!batches.length) for (const d of dispenses) batches.push(batchFromDispense(d));
  return { dispenses, batches };
}
