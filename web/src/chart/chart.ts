// The patient chart from `GET Patient/{id}/$chart`: the encounter timeline (all facilities
// the user may see), problems, allergies, medications, immunisations, lab series per LOINC
// code and imaging. The reader takes the resources wherever the answer carries them (a
// Bundle, Parameters with resources or parts, or a JSON object of named arrays) and sorts
// them itself; lab trends are grouped here when the server does not group them.
import type { AllergyIntolerance, ClinicalImpression, Composition, Condition, DiagnosticReport, ImagingStudy, Immunization, MedicationRequest, Observation } from '../api/clinical-types';
import { all, first, valueText } from '../api/parameters';
import type { Bundle, Encounter, Parameters, ParametersParameter, Resource } from '../api/fhir';
import { LOINC } from '../clinical/vitals';

export interface LabPoint {
  date: string;
  value: number;
  /** H, L, HH, LL, A... from Observation.interpretation. */
  flag: string;
}

export interface LabSeries {
  code: string;
  display: string;
  unit: string;
  low: number | undefined;
  high: number | undefined;
  points: LabPoint[];
}

export interface ChartData {
  encounters: Encounter[];
  problems: Condition[];
  allergies: AllergyIntolerance[];
  medications: MedicationRequest[];
  immunizations: Immunization[];
  labs: LabSeries[];
  imaging: ImagingStudy[];
  reports: DiagnosticReport[];
  vitals: Observation[];
  vitalTrends: LabSeries[];
  notes: ClinicalImpression[];
  documents: Composition[];
  /** Records the caller may not see, left out by the server. */
  withheld: number;
}

function collect(value: unknown, into: Resource[], depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 6) return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, depth + 1);
    return;
  }
  const r = value as Resource & Record<string, unknown>;
  if (r.resourceType === 'Bundle') {
    for (const e of (r as unknown as Bundle).entry ?? []) collect(e.resource, into, depth + 1);
  } else if (r.resourceType === 'Parameters') {
    const walk = (ps: ParametersParameter[] | undefined) => {
      for (const p of ps ?? []) {
        collect(p.resource, into, depth + 1);
        walk(p.part);
      }
    };
    walk((r as unknown as Parameters).parameter);
  } else if (typeof r.resourceType === 'string') {
    into.push(r);
  } else {
    for (const v of Object.values(r)) if (v && typeof v === 'object') collect(v, into, depth + 1);
  }
}

const isCategory = (o: Observation, code: string) => (o.category ?? []).some((c) => (c.coding ?? []).some((x) => x.code === code));

/** Observations with a numeric value, grouped per LOINC code (else the first code), oldest first. */
export function labSeries(observations: Observation[]): LabSeries[] {
  const map = new Map<string, LabSeries>();
  for (const o of observations) {
    if (o.status === 'entered-in-error' || o.status === 'cancelled') continue;
    const v = o.valueQuantity?.value;
    const date = o.effectiveDateTime ?? o.issued ?? '';
    if (typeof v !== 'number' || !date) continue;
    const coding = o.code.coding?.find((c) => c.system === LOINC) ?? o.code.coding?.[0];
    const code = coding?.code ?? o.code.text ?? '';
    if (!code) continue;
    let s = map.get(code);
    if (!s) {
      const rr = o.referenceRange?.[0];
      s = { code, display: o.code.text ?? coding?.display ?? code, unit: o.valueQuantity?.unit ?? o.valueQuantity?.code ?? '', low: rr?.low?.value, high: rr?.high?.value, points: [] };
      map.set(code, s);
    }
    const flag = o.interpretation?.[0]?.coding?.[0]?.code ?? '';
    s.points.push({ date, value: v, flag });
  }
  const out = [...map.values()];
  for (const s of out) s.points.sort((a, b) => a.date.localeCompare(b.date));
  return out.sort((a, b) => b.points.length - a.points.length || a.display.localeCompare(b.display));
}

/** The `labTrend` / `vitalTrend` parameters of $chart: parts code, display, unit, point* (parts time, value). */
function readTrendParameters(p: Parameters, name: string): LabSeries[] | undefined {
  const list = all(p, name).filter((x) => x.part?.length);
  if (!list.length) return undefined;
  return list.map((x) => {
    const parts = x.part ?? [];
    const num = (n: string) => {
      const v = first(parts, n);
      return v?.valueDecimal ?? v?.valueInteger;
    };
    return {
      code: valueText(first(parts, 'code')),
      display: valueText(first(parts, 'display')) || valueText(first(parts, 'code')),
      unit: valueText(first(parts, 'unit')),
      low: num('low'),
      high: num('high'),
      points: all(parts, 'point')
        .map((pt) => {
          const pp = pt.part ?? [];
          const v = first(pp, 'value');
          return { date: valueText(first(pp, 'time')), value: v?.valueDecimal ?? v?.valueInteger ?? Number(valueText(v)), flag: valueText(first(pp, 'flag')) };
        })
        .filter((pt) => pt.date && Number.isFinite(pt.value))
        .sort((a, b) => a.date.localeCompare(b.date)),
    };
  });
}

/** Server-grouped series, if the answer has them: [{code, display, unit, points|values: [{date, value}]}]. */
function readGroupedSeries(json: unknown): LabSeries[] | undefined {
  if (!json || typeof json !== 'object') return undefined;
  if ((json as Resource).resourceType === 'Parameters') return readTrendParameters(json as Parameters, 'labTrend');
  const o = json as Record<string, unknown>;
  const raw = (o.labTrends ?? o.labs ?? o.lab_trends) as unknown;
  if (!Array.isArray(raw) || !raw.length || typeof raw[0] !== 'object' || (raw[0] as Resource).resourceType) return undefined;
  return raw.map((r: Record<string, unknown>) => ({
    code: String(r.code ?? ''),
    display: String(r.display ?? r.code ?? ''),
    unit: String(r.unit ?? ''),
    low: typeof r.low === 'number' ? r.low : undefined,
    high: typeof r.high === 'number' ? r.high : undefined,
    points: ((r.points ?? r.values ?? []) as Record<string, unknown>[])
      .map((p) => ({ date: String(p.date ?? p.effective ?? ''), value: Number(p.value), flag: String(p.flag ?? p.interpretation ?? '') }))
      .filter((p) => p.date && Number.isFinite(p.value))
      .sort((a, b) => a.date.localeCompare(b.date)),
  }));
}

const byDateDesc = (d: (r: Resource) => string | undefined) => (a: Resource, b: Resource) => (d(b) ?? '').localeCompare(d(a) ?? '');

export function readChart(json: unknown): ChartData {
  const all: Resource[] = [];
  collect(json, all);
  const seen = new Set<string>();
  const rs = all.filter((r) => {
    const k = `${r.resourceType}/${r.id ?? Math.random()}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const of = <T extends Resource>(type: string) => rs.filter((r) => r.resourceType === type) as T[];
  const observations = of<Observation>('Observation');
  const labObs = observations.filter((o) => isCategory(o, 'laboratory'));
  return {
    encounters: of<Encounter>('Encounter').sort(byDateDesc((r) => (r as Encounter).period?.start)),
    problems: of<Condition>('Condition').filter((c) => c.verificationStatus?.coding?.[0]?.code !== 'entered-in-error').sort(byDateDesc((r) => (r as Condition).recordedDate ?? (r as Condition).onsetDateTime)),
    allergies: of<AllergyIntolerance>('AllergyIntolerance'),
    medications: of<MedicationRequest>('MedicationRequest').sort(byDateDesc((r) => (r as MedicationRequest).authoredOn)),
    immunizations: of<Immunization>('Immunization').sort(byDateDesc((r) => (r as Immunization).occurrenceDateTime)),
    labs: readGroupedSeries(json) ?? labSeries(labObs),
    vitalTrends: ((json as Resource)?.resourceType === 'Parameters' ? readTrendParameters(json as Parameters, 'vitalTrend') : undefined) ?? labSeries(observations.filter((o) => isCategory(o, 'vital-signs'))),
    notes: of<ClinicalImpression>('ClinicalImpression').sort(byDateDesc((r) => (r as ClinicalImpression).date ?? (r as ClinicalImpression).effectiveDateTime)),
    documents: of<Composition>('Composition').sort(byDateDesc((r) => (r as Composition).date)),
    withheld: (json as Resource)?.resourceType === 'Parameters' ? Number(valueText(first(json as Parameters, 'withheld'))) || 0 : 0,
    imaging: of<ImagingStudy>('ImagingStudy').sort(byDateDesc((r) => (r as ImagingStudy).started)),
    reports: of<DiagnosticReport>('DiagnosticReport').sort(byDateDesc((r) => (r as DiagnosticReport).effectiveDateTime)),
    vitals: observations.filter((o) => isCategory(o, 'vital-signs')),
  };
}

export interface Sparkline {
  path: string;
  dots: { x: number; y: number; value: number; date: string; out: boolean }[];
  /** The reference band as y coordinates (top, bottom), when the series has one. */
  band: { y1: number; y2: number } | undefined;
  min: number;
  max: number;
}

/** The SVG geometry of a series in a width × height box (2 px inset), x by time. */
export function sparkline(s: LabSeries, width: number, height: number): Sparkline {
  const pts = s.points;
  const values = pts.map((p) => p.value);
  const lo = Math.min(...values, ...(s.low !== undefined ? [s.low] : []));
  const hi = Math.max(...values, ...(s.high !== undefined ? [s.high] : []));
  const span = hi - lo || Math.abs(hi) || 1;
  const pad = 3;
  const times = pts.map((p) => Date.parse(p.date));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (i: number) => (pts.length === 1 || t1 === t0 ? width / 2 : pad + ((times[i]! - t0) / (t1 - t0)) * (width - 2 * pad));
  const y = (v: number) => pad + (1 - (v - lo) / span) * (height - 2 * pad);
  const r2 = (n: number) => Math.round(n * 100) / 100;
  const dots = pts.map((p, i) => ({ x: r2(x(i)), y: r2(y(p.value)), value: p.value, date: p.date, out: (s.low !== undefined && p.value < s.low) || (s.high !== undefined && p.value > s.high) || /^(H|L|HH|LL|A|AA)$/.test(p.flag) }));
  const path = dots.map((d, i) => `${i ? 'L' : 'M'}${d.x},${d.y}`).join(' ');
  const band = s.low !== undefined && s.high !== undefined ? { y1: r2(y(s.high)), y2: r2(y(s.low)) } : undefined;
  return { path, dots, band, min: Math.min(...values), max: Math.max(...values) };
}
