// Prescriptions waiting at the pharmacy: active MedicationRequests (with their Patients
// _include'd) grouped by prescription (groupIdentifier), oldest first.
import type { MedicationRequest } from '../api/clinical-types';
import type { Patient, Resource } from '../api/fhir';
import { prescriptionCodeOf } from '../clinical/prescription';
import { displayName } from '../lib/patient-view';

export interface WaitingPrescription {
  /** What groups the lines (the national code, else the group or the visit). */
  group: string;
  /** The national prescription code, '' when there is none yet. */
  code: string;
  patientRef: string;
  patientName: string;
  authoredOn: string;
  lines: MedicationRequest[];
}

export function groupWaiting(resources: Resource[]): WaitingPrescription[] {
  const names = new Map<string, string>();
  for (const r of resources) if (r.resourceType === 'Patient' && r.id) names.set(`Patient/${r.id}`, displayName(r as Patient));
  const groups = new Map<string, WaitingPrescription>();
  for (const r of resources) {
    if (r.resourceType !== 'MedicationRequest') continue;
    const mr = r as MedicationRequest;
    // one prescription: its national code, else its group, else its visit
    const code = prescriptionCodeOf(mr);
    const g = code || mr.groupIdentifier?.value || mr.encounter?.reference || `MedicationRequest/${mr.id}`;
    const ref = mr.subject?.reference ?? '';
    const w = groups.get(g) ?? { group: g, code, patientRef: ref, patientName: names.get(ref) ?? mr.subject?.display ?? ref, authoredOn: mr.authoredOn ?? '', lines: [] };
    w.lines.push(mr);
    if ((mr.authoredOn ?? '') < w.authoredOn || !w.authoredOn) w.authoredOn = mr.authoredOn ?? w.authoredOn;
    groups.set(g, w);
  }
  return [...groups.values()].sort((a, b) => a.authoredOn.localeCompare(b.authoredOn));
}
