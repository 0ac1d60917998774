// The discharge form as $discharge Parameters (KET_QUA_DTRI, MA_LOAI_RV, notes with the
// advice, treatment, sickLeaveDays, referral), and the papers its answer names (discharge
// paper, record summary, sick-leave and referral papers: Compositions).
import type { Parameters, ParametersParameter, Resource } from '../api/fhir';

export interface DischargeForm {
  outcome: string;
  type: string;
  notes: string;
  treatment: string;
  advice: string;
  sickLeaveDays: string;
  referralTo: string;
}

export function dischargeParameters(f: DischargeForm, dx?: { main: string; secondary: string[] }): ParametersParameter[] {
  const out: ParametersParameter[] = [
    { name: 'KET_QUA_DTRI', valueCode: f.outcome },
    { name: 'MA_LOAI_RV', valueCode: f.type },
  ];
  if (dx?.main) {
    out.push({ name: 'diagnosis', valueCode: dx.main });
    for (const s of dx.secondary) out.push({ name: 'secondary', valueCode: s });
  }
  const notes = [f.notes.trim(), f.advice.trim() ? `Lời dặn: ${f.advice.trim()}` : ''].filter(Boolean).join('\n');
  if (notes) out.push({ name: 'notes', valueString: notes });
  if (f.treatment.trim()) out.push({ name: 'treatment', valueString: f.treatment.trim() });
  const days = Number(f.sickLeaveDays);
  if (f.sickLeaveDays.trim() && Number.isInteger(days) && days > 0) out.push({ name: 'sickLeaveDays', valueInteger: days });
  if (f.type === '2' && f.referralTo.trim()) out.push({ name: 'referral', valueString: f.referralTo.trim() });
  return out;
}

/** The papers a $discharge answer names (discharge paper first), as Composition ids. */
export function dischargeDocuments(answer: Resource | undefined): string[] {
  if (answer?.resourceType !== 'Parameters') return [];
  const out: string[] = [];
  for (const name of ['dischargePaper', 'recordSummary', 'sickLeave', 'referralPaper']) {
    for (const p of (answer as Parameters).parameter ?? []) {
      const ref = p.name === name ? p.valueReference?.reference ?? '' : '';
      if (ref.startsWith('Composition/')) out.push(ref.slice('Composition/'.length));
    }
  }
  return out;
}
