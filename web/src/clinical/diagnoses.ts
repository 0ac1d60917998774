// Diagnoses of a visit: a main one and secondary ones (ICD-10 of QĐ 4469), stored as
// encounter-diagnosis Conditions and ranked in Encounter.diagnosis (rank 1 = main).
import type { CodeHit } from '../api/clinical';
import { systems } from '../lib/systems';
import type { Condition } from '../api/clinical-types';
import type { Encounter, OperationOutcome } from '../api/fhir';

export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VER = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

export interface Diagnosis {
  code: string;
  display: string;
  /** The ICD-10 system as the server names it (read from $expand, never assumed). */
  system?: string;
  /** The stored Condition, once saved. */
  conditionId?: string;
}

export interface DiagnosisSet {
  main: Diagnosis | undefined;
  secondary: Diagnosis[];
}

export function diagnosisOf(hit: CodeHit): Diagnosis {
  return { code: hit.code, display: hit.display, ...(hit.system ? { system: hit.system } : {}) };
}

/** Sets the main diagnosis; the code leaves the secondary list if it was there, the old main becomes secondary. */
export function setMain(set: DiagnosisSet, d: Diagnosis): DiagnosisSet {
  const secondary = set.secondary.filter((s) => s.code !== d.code);
  if (set.main && set.main.code !== d.code) secondary.unshift(set.main);
  return { main: d, secondary };
}

export function addSecondary(set: DiagnosisSet, d: Diagnosis): DiagnosisSet {
  if (set.main?.code === d.code || set.secondary.some((s) => s.code === d.code)) return set;
  return { ...set, secondary: [...set.secondary, d] };
}

export function removeDiagnosis(set: DiagnosisSet, code: string): DiagnosisSet {
  if (set.main?.code === code) {
    const [next, ...rest] = set.secondary;
    return { main: next, secondary: rest };
  }
  return { ...set, secondary: set.secondary.filter((s) => s.code !== code) };
}

/** Either spelling of the ICD-10 (QĐ 4469) system. */
export function isIcd10(system: string | undefined): boolean {
  return !!system && /icd-10-vn$/.test(system);
}

export function conditionOf(d: Diagnosis, ctx: { patient: string; encounter: string; recorded: string }): Condition {
  return {
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active' }] },
    verificationStatus: { coding: [{ system: CONDITION_VER, code: 'confirmed' }] },
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
    code: { coding: [{ system: d.system || systems().base + 'icd-10-vn', code: d.code, display: d.display }], text: d.display },
    subject: { reference: ctx.patient },
    encounter: { reference: ctx.encounter },
    recordedDate: ctx.recorded,
  };
}

/** The visit's diagnoses from its Encounter ranks and its Conditions (unranked ones are secondary). */
export function readDiagnoses(e: Encounter & { diagnosis?: { condition: { reference?: string }; rank?: number }[] }, conditions: Condition[]): DiagnosisSet {
  const live = conditions.filter((c) => c.verificationStatus?.coding?.[0]?.code !== 'entered-in-error');
  const rank = new Map<string, number>();
  for (const d of e.diagnosis ?? []) {
    const id = d.condition.reference?.replace(/^Condition\//, '');
    if (id) rank.set(id, d.rank ?? 99);
  }
  const list = live
    .map((c) => {
      const coding = c.code?.coding?.find((x) => isIcd10(x.system)) ?? c.code?.coding?.[0];
      return { code: coding?.code ?? '', display: coding?.display ?? c.code?.text ?? '', system: coding?.system ?? '', conditionId: c.id, rank: rank.get(c.id ?? '') ?? 100 };
    })
    .filter((d) => d.code)
    .sort((a, b) => a.rank - b.rank);
  // rank 1 is the main one; an encounter that ranks none (a stay with its admitting diagnosis) has its first
  const mainIdx = rank.size === 0 ? (list.length ? 0 : -1) : list.findIndex((d) => d.rank === 1);
  const main = mainIdx >= 0 ? list[mainIdx] : undefined;
  const strip = ({ rank: _r, ...d }: Diagnosis & { rank: number }): Diagnosis => d;
  return { main: main && strip(main), secondary: list.filter((_, i) => i !== mainIdx).map(strip) };
}

/** Encounter.diagnosis for the set: main rank 1, secondary ranks 2, 3, ... */
export function encounterDiagnoses(set: DiagnosisSet): { condition: { reference: string; display?: string }; rank: number }[] {
  const out: { condition: { reference: string; display?: string }; rank: number }[] = [];
  const all = [...(set.main ? [set.main] : []), ...set.secondary];
  all.forEach((d, i) => {
    if (d.conditionId) out.push({ condition: { reference: `Condition/${d.conditionId}`, display: `${d.code} ${d.display}` }, rank: set.main ? i + 1 : i + 2 });
  });
  return out;
}

export interface ValidationLine {
  severity: 'error' | 'warning';
  message: string;
}

/** The error and warning lines of a $validate-diagnoses answer. */
export function validationLines(o: OperationOutcome | undefined): ValidationLine[] {
  return (o?.issue ?? [])
    .filter((i) => i.severity === 'error' || i.severity === 'fatal' || i.severity === 'warning')
    .map((i) => ({ severity: i.severity === 'warning' ? 'warning' : 'error', message: i.diagnostics ?? i.details?.text ?? i.code ?? '' }));
}
