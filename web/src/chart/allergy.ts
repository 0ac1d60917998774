// Allergies as the screens show and record them (AllergyIntolerance): the active ones, the
// substance text (which the prescribing checks match against active ingredients) and, when
// picked from the catalogue, the ingredient's ATC code.
import type { AllergyIntolerance } from '../api/clinical-types';

export const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
export const ALLERGY_VER = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
export const ATC = 'http://www.whocc.no/atc';

export function isActiveAllergy(a: AllergyIntolerance): boolean {
  const clinical = a.clinicalStatus?.coding?.[0]?.code;
  const ver = a.verificationStatus?.coding?.[0]?.code;
  return clinical !== 'inactive' && clinical !== 'resolved' && ver !== 'refuted' && ver !== 'entered-in-error';
}

export function allergyText(a: AllergyIntolerance): string {
  return a.code?.text ?? a.code?.coding?.find((c) => c.display)?.display ?? a.code?.coding?.[0]?.code ?? '';
}

export function reactionText(a: AllergyIntolerance): string {
  return (a.reaction ?? [])
    .flatMap((r) => [r.description, ...r.manifestation.map((m) => m.text ?? m.coding?.[0]?.display)])
    .filter(Boolean)
    .join(', ');
}

export interface NewAllergy {
  substance: string;
  atc?: string;
  category: 'medication' | 'food' | 'environment' | 'biologic';
  criticality: 'low' | 'high' | 'unable-to-assess';
  reaction: string;
}

export function allergyResource(n: NewAllergy, patient: string, recorded: string): AllergyIntolerance {
  const substance = n.substance.trim();
  if (!substance) throw new Error('an allergy without a substance');
  return {
    resourceType: 'AllergyIntolerance',
    clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active' }] },
    verificationStatus: { coding: [{ system: ALLERGY_VER, code: 'confirmed' }] },
    type: 'allergy',
    category: [n.category],
    criticality: n.criticality,
    code: { ...(n.atc ? { coding: [{ system: ATC, code: n.atc, display: substance }] } : {}), text: substance },
    patient: { reference: patient },
    recordedDate: recorded,
    ...(n.reaction.trim() ? { reaction: [{ manifestation: [{ text: n.reaction.trim() }] }] } : {}),
  };
}
