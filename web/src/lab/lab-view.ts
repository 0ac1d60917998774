// What the laboratory screens show, as pure functions: a result's value and unit as people
// read them, whether it is abnormal (OBX-8 flags as v3 interpretation codes), the reference
// range as text, the cumulative table (one row per test, one column per report time) and the
// points of a test's trend. Kept apart from React so they are unit-tested (lab-view.test.ts).
import type { CodeableConcept } from '../api/fhir';
import type { DiagnosticReport, Observation, Quantity, ReferenceRange } from '../api/lab';

const LOINC = 'http://loinc.org';

function num(v: number | undefined): string {
  if (v === undefined) return '';
  return String(v).replace('.', ',');
}

function quantityText(q: Quantity | undefined): string {
  if (!q || q.value === undefined) return '';
  return `${q.comparator ?? ''}${num(q.value)}`;
}

export function conceptText(c: CodeableConcept | undefined): string {
  if (!c) return '';
  return c.text ?? c.coding?.find((x) => x.display)?.display ?? c.coding?.[0]?.code ?? '';
}

/** The test's name: the local name the lab sent, else LOINC's, else any code. */
export function testName(o: Observation): string {
  const local = o.code.coding?.find((c) => c.system !== LOINC && c.display);
  return local?.display ?? conceptText(o.code);
}

/** A key that groups the same test across reports: LOINC first, then the first coding. */
export function testKey(o: Observation): string {
  const c = o.code.coding?.find((x) => x.system === LOINC) ?? o.code.coding?.[0];
  return c ? `${c.system ?? ''}|${c.code ?? ''}` : conceptText(o.code);
}

export function valueText(o: Observation): string {
  if (o.valueQuantity) return quantityText(o.valueQuantity);
  if (o.valueString !== undefined) return o.valueString;
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  if (o.valueDateTime) return o.valueDateTime;
  if (o.valueTime) return o.valueTime;
  if (o.valueRange) return `${quantityText(o.valueRange.low)}–${quantityText(o.valueRange.high)}`;
  if (o.valueRatio) return `${quantityText(o.valueRatio.numerator)}:${quantityText(o.valueRatio.denominator)}`;
  return '';
}

export function unitText(o: Observation): string {
  return o.valueQuantity?.unit ?? o.valueRange?.low?.unit ?? '';
}

export type Flag = 'high' | 'low' | 'critical-high' | 'critical-low' | 'abnormal' | 'normal' | '';

/** The interpretation (OBX-8) as one flag; critical before plain high/low. */
export function flagOf(o: Observation): Flag {
  const codes = (o.interpretation ?? []).flatMap((i) => i.coding?.map((c) => c.code ?? '') ?? [i.text ?? '']);
  if (codes.includes('HH') || codes.includes('HU')) return 'critical-high';
  if (codes.includes('LL') || codes.includes('LU')) return 'critical-low';
  if (codes.some((c) => c === 'H' || c === '>')) return 'high';
  if (codes.some((c) => c === 'L' || c === '<')) return 'low';
  if (codes.some((c) => c === 'A' || c === 'AA' || c === 'POS' || c === 'R' || c === 'DET')) return 'abnormal';
  if (codes.includes('N')) return 'normal';
  return '';
}

export function isAbnormal(f: Flag): boolean {
  return f !== '' && f !== 'normal';
}

/** The flag as the lab printed it (H, L, HH...), for the table. */
export function flagCode(o: Observation): string {
  return (o.interpretation ?? []).map((i) => i.coding?.[0]?.code ?? i.text ?? '').filter(Boolean).join(' ');
}

export function rangeText(ranges: ReferenceRange[] | undefined): string {
  const r = ranges?.[0];
  if (!r) return '';
  if (r.low?.value !== undefined && r.high?.value !== undefined) return `${num(r.low.value)}–${num(r.high.value)}`;
  if (r.text) return r.text;
  if (r.low?.value !== undefined) return `≥ ${num(r.low.value)}`;
  if (r.high?.value !== undefined) return `≤ ${num(r.high.value)}`;
  return '';
}

/** A corrected result (OBX-11 = C) has versions before it: the table offers them. */
export function isCorrected(o: Observation): boolean {
  return o.status === 'corrected' || o.status === 'amended';
}

export function reportTime(r: DiagnosticReport): string {
  return r.effectiveDateTime ?? r.issued ?? '';
}

export function resultsOf(r: DiagnosticReport, observations: Map<string, Observation>): Observation[] {
  return (r.result ?? []).map((ref) => observations.get(ref.reference ?? '')).filter((o): o is Observation => !!o);
}

export interface CumulativeRow {
  key: string;
  name: string;
  unit: string;
  range: string;
  /** One cell per column; undefined where the test was not done then. */
  cells: (Observation | undefined)[];
}

export interface Cumulative {
  /** Report times, oldest first. */
  columns: string[];
  rows: CumulativeRow[];
}

/** One row per test, one column per distinct report time (oldest first). */
export function cumulativeTable(reports: DiagnosticReport[], observations: Map<string, Observation>): Cumulative {
  const columns = [...new Set(reports.map(reportTime).filter(Boolean))].sort();
  const rows = new Map<string, CumulativeRow>();
  for (const r of reports) {
    const col = columns.indexOf(reportTime(r));
    if (col < 0) continue;
    for (const o of resultsOf(r, observations)) {
      const key = testKey(o);
      let row = rows.get(key);
      if (!row) {
        row = { key, name: testName(o), unit: unitText(o), range: rangeText(o.referenceRange), cells: columns.map(() => undefined) };
        rows.set(key, row);
      }
      row.cells[col] = o;
    }
  }
  return { columns, rows: [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi')) };
}

export interface TrendPoint {
  time: string;
  value: number;
  flag: Flag;
}

/** The numeric values of a row, in time order: what the small chart draws. */
export function trendOf(table: Cumulative, row: CumulativeRow): TrendPoint[] {
  const out: TrendPoint[] = [];
  row.cells.forEach((o, i) => {
    const v = o?.valueQuantity?.value;
    if (o && typeof v === 'number') out.push({ time: table.columns[i]!, value: v, flag: flagOf(o) });
  });
  return out;
}

/** SVG polyline points for a trend in a width x height box (2 px margin). */
export function sparkline(points: TrendPoint[], width: number, height: number): { x: number; y: number }[] {
  if (points.length === 0) return [];
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = points.length > 1 ? (width - 4) / (points.length - 1) : 0;
  return points.map((p, i) => ({
    x: Math.round((2 + i * step) * 10) / 10,
    y: Math.round((height - 2 - ((p.value - min) / span) * (height - 4)) * 10) / 10,
  }));
}
