// Vital signs: the form's fields, their plausible limits and reference ranges (by age for
// pulse and breathing), BMI, and the FHIR Observations of the R4 vital-signs profile
// (category vital-signs, LOINC codes, UCUM units) that the visit screen creates.
import type { Resource } from '../api/fhir';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export type VitalKey = 'pulse' | 'systolic' | 'diastolic' | 'temperature' | 'respRate' | 'weight' | 'height' | 'spo2';

export interface VitalDef {
  key: VitalKey;
  loinc: string;
  display: string;
  unit: string;
  ucum: string;
  /** Values outside are typing errors, not patients. */
  min: number;
  max: number;
  /** Decimal places kept. */
  decimals: number;
}

export const VITALS: VitalDef[] = [
  { key: 'pulse', loinc: '8867-4', display: 'Heart rate', unit: 'lần/phút', ucum: '/min', min: 20, max: 300, decimals: 0 },
  { key: 'systolic', loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', min: 40, max: 300, decimals: 0 },
  { key: 'diastolic', loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', min: 20, max: 200, decimals: 0 },
  { key: 'temperature', loinc: '8310-5', display: 'Body temperature', unit: '°C', ucum: 'Cel', min: 30, max: 45, decimals: 1 },
  { key: 'respRate', loinc: '9279-1', display: 'Respiratory rate', unit: 'lần/phút', ucum: '/min', min: 4, max: 100, decimals: 0 },
  { key: 'weight', loinc: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', min: 0.3, max: 350, decimals: 1 },
  { key: 'height', loinc: '8302-2', display: 'Body height', unit: 'cm', ucum: 'cm', min: 20, max: 250, decimals: 1 },
  { key: 'spo2', loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%', min: 40, max: 100, decimals: 0 },
];

export const BP_PANEL = '85354-9';
export const BMI = '39156-5';

export type VitalValues = Partial<Record<VitalKey, string>>;

/** A number typed the Vietnamese way ("37,5") or the English way ("37.5"); undefined if not a number. */
export function parseNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** BMI (kg/m²) to one decimal, or undefined without a plausible weight and height. */
export function bmiOf(weightKg: number | undefined, heightCm: number | undefined): number | undefined {
  if (!weightKg || !heightCm || heightCm < 20) return undefined;
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}

/** The WHO Asia-Pacific classes Vietnam uses for adults. */
export function bmiClass(bmi: number): 'under' | 'normal' | 'over' | 'obese' {
  if (bmi < 18.5) return 'under';
  if (bmi < 23) return 'normal';
  if (bmi < 25) return 'over';
  return 'obese';
}

export type Severity = 'ok' | 'warn' | 'critical' | 'invalid';

export interface VitalFinding {
  key: VitalKey | 'bp';
  severity: Severity;
  /** low | high | implausible | order (diastolic not below systolic) */
  reason: 'low' | 'high' | 'implausible' | 'order';
}

interface Band {
  low: number;
  high: number;
  critLow: number;
  critHigh: number;
}

/** Pulse and breathing reference ranges by age in years (undefined: adult). */
function ageBands(ageYears: number | undefined): { pulse: Band; respRate: Band } {
  const a = ageYears ?? 30;
  if (a < 1) return { pulse: { low: 100, high: 160, critLow: 80, critHigh: 200 }, respRate: { low: 30, high: 60, critLow: 20, critHigh: 70 } };
  if (a < 6) return { pulse: { low: 80, high: 140, critLow: 60, critHigh: 180 }, respRate: { low: 20, high: 40, critLow: 15, critHigh: 50 } };
  if (a < 13) return { pulse: { low: 70, high: 120, critLow: 50, critHigh: 160 }, respRate: { low: 18, high: 30, critLow: 12, critHigh: 40 } };
  return { pulse: { low: 60, high: 100, critLow: 40, critHigh: 130 }, respRate: { low: 12, high: 20, critLow: 8, critHigh: 30 } };
}

const FIXED: Partial<Record<VitalKey, Band>> = {
  systolic: { low: 90, high: 139, critLow: 80, critHigh: 180 },
  diastolic: { low: 60, high: 89, critLow: 40, critHigh: 120 },
  temperature: { low: 36, high: 37.5, critLow: 35, critHigh: 40 },
  spo2: { low: 95, high: 100, critLow: 90, critHigh: 101 },
};

function judge(v: number, b: Band): Pick<VitalFinding, 'severity' | 'reason'> | undefined {
  if (v < b.critLow) return { severity: 'critical', reason: 'low' };
  if (v > b.critHigh) return { severity: 'critical', reason: 'high' };
  if (v < b.low) return { severity: 'warn', reason: 'low' };
  if (v > b.high) return { severity: 'warn', reason: 'high' };
  return undefined;
}

/** What is out of range in the typed values (empty fields are not findings). */
export function vitalFindings(values: VitalValues, ageYears?: number): VitalFinding[] {
  const out: VitalFinding[] = [];
  const bands = ageBands(ageYears);
  for (const def of VITALS) {
    const raw = values[def.key];
    if (raw === undefined || raw.trim() === '') continue;
    const v = parseNumber(raw);
    if (v === undefined || v < def.min || v > def.max) {
      out.push({ key: def.key, severity: 'invalid', reason: 'implausible' });
      continue;
    }
    const band = def.key === 'pulse' ? bands.pulse : def.key === 'respRate' ? bands.respRate : FIXED[def.key];
    const f = band && judge(v, band);
    if (f) out.push({ key: def.key, ...f });
  }
  const sys = parseNumber(values.systolic);
  const dia = parseNumber(values.diastolic);
  if (sys !== undefined && dia !== undefined && dia >= sys) out.push({ key: 'bp', severity: 'invalid', reason: 'order' });
  return out;
}

export interface Observation extends Resource {
  resourceType: 'Observation';
  status: string;
  category?: { coding?: { system?: string; code?: string; display?: string }[]; text?: string }[];
  code: { coding?: { system?: string; code?: string; display?: string }[]; text?: string };
  subject?: { reference?: string };
  encounter?: { reference?: string };
  effectiveDateTime?: string;
  issued?: string;
  valueQuantity?: Quantity;
  valueString?: string;
  valueCodeableConcept?: { coding?: { system?: string; code?: string; display?: string }[]; text?: string };
  interpretation?: { coding?: { system?: string; code?: string }[]; text?: string }[];
  referenceRange?: { low?: Quantity; high?: Quantity; text?: string }[];
  component?: { code: { coding?: { system?: string; code?: string; display?: string }[] }; valueQuantity?: Quantity }[];
  note?: { text: string }[];
}

export interface Quantity {
  value?: number;
  unit?: string;
  system?: string;
  code?: string;
}

const quantity = (value: number, def: { unit: string; ucum: string }): Quantity => ({ value, unit: def.unit, system: UCUM, code: def.ucum });

function vitalObservation(code: string, display: string, ctx: VitalContext): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }] }],
    code: { coding: [{ system: LOINC, code, display }], text: display },
    subject: { reference: ctx.patient },
    encounter: { reference: ctx.encounter },
    effectiveDateTime: ctx.effective,
  };
}

export interface VitalContext {
  patient: string;
  encounter: string;
  effective: string;
}

const def = (k: VitalKey) => VITALS.find((d) => d.key === k)!;

/**
 * The Observations for the filled, plausible fields: one per measure, blood pressure as the
 * 85354-9 panel with its two components, BMI computed when weight and height are both there.
 * Throws when a field is implausible or only one blood pressure value is given.
 */
export function vitalObservations(values: VitalValues, ctx: VitalContext): Observation[] {
  const invalid = vitalFindings(values).filter((f) => f.severity === 'invalid');
  if (invalid.length) throw new Error(`implausible: ${invalid.map((f) => f.key).join(', ')}`);
  const num = (k: VitalKey) => {
    const v = parseNumber(values[k]);
    if (v === undefined) return undefined;
    const p = 10 ** def(k).decimals;
    return Math.round(v * p) / p;
  };
  const out: Observation[] = [];
  for (const k of ['pulse', 'temperature', 'respRate', 'weight', 'height', 'spo2'] as VitalKey[]) {
    const v = num(k);
    if (v === undefined) continue;
    const o = vitalObservation(def(k).loinc, def(k).display, ctx);
    o.valueQuantity = quantity(v, def(k));
    out.push(o);
  }
  const sys = num('systolic');
  const dia = num('diastolic');
  if ((sys === undefined) !== (dia === undefined)) throw new Error('blood pressure needs both values');
  if (sys !== undefined && dia !== undefined) {
    const o = vitalObservation(BP_PANEL, 'Blood pressure panel with all children optional', ctx);
    o.component = [
      { code: { coding: [{ system: LOINC, code: def('systolic').loinc, display: def('systolic').display }] }, valueQuantity: quantity(sys, def('systolic')) },
      { code: { coding: [{ system: LOINC, code: def('diastolic').loinc, display: def('diastolic').display }] }, valueQuantity: quantity(dia, def('diastolic')) },
    ];
    out.push(o);
  }
  const bmi = bmiOf(num('weight'), num('height'));
  if (bmi !== undefined) {
    const o = vitalObservation(BMI, 'Body mass index (BMI) [Ratio]', ctx);
    o.valueQuantity = { value: bmi, unit: 'kg/m2', system: UCUM, code: 'kg/m2' };
    out.push(o);
  }
  return out;
}

/** The latest value of each vital from stored Observations (for showing what was recorded). */
export function latestVitals(observations: Observation[]): VitalValues {
  const sorted = [...observations].sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''));
  const out: VitalValues = {};
  // as a Vietnamese hand writes it: 37,5
  const fmt = (q: Quantity | undefined) => (q?.value === undefined ? undefined : String(q.value).replace('.', ','));
  for (const o of sorted) {
    const code = o.code.coding?.find((c) => c.system === LOINC)?.code;
    if (code === BP_PANEL) {
      for (const c of o.component ?? []) {
        const cc = c.code.coding?.[0]?.code;
        const v = fmt(c.valueQuantity);
        if (cc === '8480-6' && v) out.systolic = v;
        if (cc === '8462-4' && v) out.diastolic = v;
      }
      continue;
    }
    const d = VITALS.find((x) => x.loinc === code);
    const v = fmt(o.valueQuantity);
    if (d && v) out[d.key] = v;
  }
  return out;
}
