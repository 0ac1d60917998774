// Orders of a visit: lab tests, imaging and procedures picked from the facility's service
// catalogue (with today's price), sent as ServiceRequests that the server prices.
import { SD_BASE } from '../api/clinical';
import type { ServiceRequest, ValueSetContains } from '../api/clinical-types';
import type { Extension } from '../api/fhir';
import { systems } from '../lib/systems';

export type ServiceCategory = 'lab' | 'imaging' | 'procedure';

export interface ServiceItem {
  system: string;
  code: string;
  display: string;
  /** VND; undefined when the catalogue gives none. */
  price: number | undefined;
  category: ServiceCategory;
}

export const CATEGORY_SNOMED: Record<ServiceCategory, { code: string; display: string }> = {
  lab: { code: '108252007', display: 'Laboratory procedure' },
  imaging: { code: '363679005', display: 'Imaging' },
  procedure: { code: '387713003', display: 'Surgical procedure' },
};

/** The category of a catalogue code when the catalogue does not say (MA_NHOM 1 xét nghiệm, 2-3 CĐHA/TDCN). */
export function guessCategory(code: string, group?: string): ServiceCategory {
  if (group === '1') return 'lab';
  if (group === '2' || group === '3') return 'imaging';
  if (/^XN/i.test(code)) return 'lab';
  if (/^(CDHA|XQ|SA|CT|MRI|NS)/i.test(code)) return 'imaging';
  return 'procedure';
}

function ext(list: Extension[] | undefined, name: string): Extension | undefined {
  return list?.find((e) => e.url === SD_BASE + name || e.url.endsWith('/' + name));
}

export function serviceFromContains(c: ValueSetContains): ServiceItem {
  const priceExt = ext(c.extension, 'unit-price') as (Extension & { valueMoney?: { value?: number } }) | undefined;
  const price = priceExt?.valueMoney?.value ?? priceExt?.valueDecimal ?? priceExt?.valueInteger;
  const cat = ext(c.extension, 'service-category');
  const catCode = cat?.valueCode ?? cat?.valueCoding?.code ?? cat?.valueString;
  const category: ServiceCategory = catCode === 'lab' || catCode === 'imaging' || catCode === 'procedure' ? catCode : guessCategory(c.code ?? '', catCode);
  return { system: c.system ?? systems().base + 'charge-code', code: c.code ?? '', display: c.display ?? c.code ?? '', price, category };
}

export function serviceRequestOf(s: ServiceItem, ctx: { patient: string; encounter: string; authoredOn: string; urgent: boolean; note?: string }): ServiceRequest {
  const sn = CATEGORY_SNOMED[s.category];
  return {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: sn.code, display: sn.display }] }],
    priority: ctx.urgent ? 'urgent' : 'routine',
    code: { coding: [{ system: s.system, code: s.code, display: s.display }], text: s.display },
    subject: { reference: ctx.patient },
    encounter: { reference: ctx.encounter },
    authoredOn: ctx.authoredOn,
    ...(ctx.note?.trim() ? { note: [{ text: ctx.note.trim() }] } : {}),
  };
}

/** The category of a stored ServiceRequest. */
export function categoryOf(r: ServiceRequest): ServiceCategory {
  const codes = (r.category ?? []).flatMap((c) => c.coding ?? []).map((c) => c.code);
  for (const [k, v] of Object.entries(CATEGORY_SNOMED)) if (codes.includes(v.code) || codes.includes(k)) return k as ServiceCategory;
  return guessCategory(r.code?.coding?.[0]?.code ?? '');
}

/** '46.200 ₫' the Vietnamese way. */
export function formatVnd(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '—';
  return `${Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

export function total(items: { price: number | undefined }[]): number {
  return items.reduce((s, i) => s + (i.price ?? 0), 0);
}
