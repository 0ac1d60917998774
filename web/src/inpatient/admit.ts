// Admission and transfer as Parameters of $admit and $transfer: the bed (a Location; its
// ward and room follow from it), the department code when it differs from the ward's, the
// reason.
import type { ParametersParameter } from '../api/fhir';

export interface BedChoice {
  bed: string;
  department: string;
  reason: string;
  /** The ICD-10 code of the admitting diagnosis. */
  diagnosis?: string;
}

export function admitParameters(v: BedChoice): ParametersParameter[] {
  return [
    { name: 'bed', valueReference: { reference: `Location/${v.bed}` } },
    ...(v.department ? [{ name: 'department', valueString: v.department }] : []),
    ...(v.reason.trim() ? [{ name: 'reason', valueString: v.reason.trim() }] : []),
    ...(v.diagnosis ? [{ name: 'diagnosis', valueCode: v.diagnosis }] : []),
  ];
}

/** $transfer takes the same parts as $admit. */
export const transferParameters = admitParameters;
