// What the screens show of a Patient: the name as people say it, the card numbers,
// the address, the age, and whether the insurance card is valid on a given day.
import type { Address, Coverage, HumanName, Identifier, Patient } from '../api/fhir';
import { ageOn, inPeriod } from './dates';
import { isSystem } from './systems';

/** Vietnamese names are family name first: 'Lò Văn A'. */
export function nameText(name: HumanName | undefined): string {
  if (!name) return '';
  if (name.text) return name.text;
  return [name.family, ...(name.given ?? [])].filter(Boolean).join(' ');
}

export function displayName(p: Pick<Patient, 'name'> | undefined): string {
  if (!p?.name?.length) return '';
  const official = p.name.find((n) => n.use === 'official') ?? p.name.find((n) => n.use !== 'old') ?? p.name[0];
  return nameText(official);
}

export function identifierOf(p: Pick<Patient, 'identifier'> | undefined, slug: string): Identifier | undefined {
  const ids = (p?.identifier ?? []).filter((i) => isSystem(i.system, slug) && i.value);
  return ids.find((i) => i.use !== 'old') ?? ids[0];
}

export const cccdOf = (p: Pick<Patient, 'identifier'> | undefined) => identifierOf(p, 'cccd')?.value ?? '';
export const cmndOf = (p: Pick<Patient, 'identifier'> | undefined) => identifierOf(p, 'cmnd')?.value ?? '';
export const bhytOf = (p: Pick<Patient, 'identifier'> | undefined) => identifierOf(p, 'bhyt-card');

export function phoneOf(p: Patient | undefined): string {
  return p?.telecom?.find((t) => t.system === 'phone' && t.value)?.value ?? '';
}

export function addressText(a: Address | undefined): string {
  if (!a) return '';
  if (a.text) return a.text;
  return [...(a.line ?? []), a.city, a.district, a.state].filter(Boolean).join(', ');
}

export function homeAddress(p: Patient | undefined): Address | undefined {
  const list = p?.address ?? [];
  return list.find((a) => a.use === 'home') ?? list[0];
}

export type AgeUnit = 'years' | 'months' | 'days';

/** Age as clinicians write it: years from 6 years on, months below that, days in the first month. */
export function ageDisplay(birthDate: string | undefined, today: string): { value: number; unit: AgeUnit } | undefined {
  if (!birthDate) return undefined;
  const age = ageOn(birthDate, today);
  if (!age) return undefined;
  if (age.years >= 6) return { value: age.years, unit: 'years' };
  const months = age.years * 12 + age.months;
  if (months >= 1) return { value: months, unit: 'months' };
  return { value: age.days, unit: 'days' };
}

export type InsuranceState = 'valid' | 'expired' | 'not-yet-valid' | 'unknown' | 'none';

/** The state of an insurance card (an identifier's period, or a Coverage) on `day`. */
export function insuranceState(period: { start?: string; end?: string } | undefined, day: string, present = true): InsuranceState {
  if (!present) return 'none';
  if (!period || (!period.start && !period.end)) return 'unknown';
  if (inPeriod(day, period)) return 'valid';
  if (period.start && day.slice(0, 10) < period.start.slice(0, 10)) return 'not-yet-valid';
  return 'expired';
}

export function coverageState(c: Coverage | undefined, day: string): InsuranceState {
  if (!c) return 'none';
  if (c.status && c.status !== 'active') return c.status === 'cancelled' ? 'expired' : 'unknown';
  return insuranceState(c.period, day);
}

/** The insurance card number of a Coverage: its subscriberId, or its card identifier. */
export function coverageCardNumber(c: Coverage | undefined): string {
  if (!c) return '';
  return c.subscriberId ?? c.identifier?.find((i) => isSystem(i.system, 'bhyt-card'))?.value ?? c.identifier?.[0]?.value ?? '';
}
