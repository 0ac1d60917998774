// A stock receipt as $receive Parameters: the store (Location), the drug (catalogue code),
// lot, expiry, quantity, supplier.
import type { ParametersParameter } from '../api/fhir';
import type { DrugChoice } from '../clinical/prescription';

export function receiveParameters(v: { drug: DrugChoice; lot: string; expiry: string; quantity: number; supplier: string; location: string }): ParametersParameter[] {
  return [
    { name: 'location', valueReference: { reference: `Location/${v.location}` } },
    { name: 'drug', valueCode: v.drug.code },
    { name: 'lot', valueString: v.lot.trim() },
    { name: 'expiry', valueDate: v.expiry },
    { name: 'quantity', valueDecimal: v.quantity },
    ...(v.supplier.trim() ? [{ name: 'supplier', valueString: v.supplier.trim() }] : []),
  ];
}
