// Closing a visit as $close-visit Parameters: outcome (KET_QUA_DTRI), follow-up date,
// referral (facility, reason), advice.
import type { ParametersParameter } from '../api/fhir';

export type Next = 'home' | 'follow-up' | 'referral' | 'admit';

export function closeVisitParameters(v: { outcome: string; next: Next; followUp: string; referralTo: string; referralReason: string; note: string }): ParametersParameter[] {
  const out: ParametersParameter[] = [{ name: 'outcome', valueCode: v.outcome }];
  if (v.next === 'follow-up' && v.followUp) out.push({ name: 'followUp', valueDate: v.followUp });
  if (v.next === 'referral') {
    const to = v.referralTo.trim();
    // an Organization id or reference goes as a reference, anything else as the facility's name
    out.push(/^(Organization\/)?org-[\w.-]+$/.test(to) ? { name: 'referral', valueReference: { reference: to.startsWith('Organization/') ? to : `Organization/${to}` } } : { name: 'referral', valueString: to });
    if (v.referralReason.trim()) out.push({ name: 'referralReason', valueString: v.referralReason.trim() });
  }
  if (v.note.trim()) out.push({ name: 'note', valueString: v.note.trim() });
  return out;
}
