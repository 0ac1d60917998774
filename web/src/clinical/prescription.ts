// The prescription editor's model: a line per drug (dose per time, times a day, days, route,
// instruction), the MedicationRequest each line becomes, the quantity to dispense, and the
// findings of `MedicationRequest/$check` (allergy, duplicate ingredient, max daily dose,
// interaction) that need an override reason before the line can be saved.
import type { Coding, OperationOutcome, Reference } from '../api/fhir';
import type { Medication, MedicationRequest } from '../api/clinical-types';
import { OVERRIDE_REASON_URL } from '../api/clinical';
import { findRoute, routeSystem, SNOMED, type RouteItem } from './codes';
import { parseNumber, UCUM } from './vitals';

export interface DrugChoice {
  /** Medication resource id. */
  id: string;
  display: string;
  /** Active ingredients with their strengths ("Paracetamol 500 mg"). */
  ingredients: string[];
  /** The unit one dose is counted in (viên, gói, ống, lọ...). */
  unit: string;
  route: RouteItem | undefined;
  /** The catalogue code (MA_NOI_BO) and the Medication's other codings (ATC...). */
  code: string;
  codings: Coding[];
}

export interface RxLine {
  key: string;
  drug: DrugChoice | undefined;
  dose: string;
  perDay: string;
  days: string;
  route: string;
  instruction: string;
  overrideReason: string;
}

/**
 * `withheld`: the drug conflicts with a record the patient's consent withholds from this
 * facility; the server does not say which (access.md "The prescribing check and consent").
 */
export type FindingKind = 'allergy' | 'duplicate-ingredient' | 'max-daily-dose' | 'interaction' | 'withheld' | 'other';

export interface CheckFinding {
  kind: FindingKind;
  severity: 'error' | 'warning' | 'information';
  message: string;
}

const KINDS: FindingKind[] = ['allergy', 'duplicate-ingredient', 'max-daily-dose', 'interaction', 'withheld'];

function text(c: { text?: string; coding?: { display?: string; code?: string }[] } | undefined): string {
  return c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? '';
}

function quantityText(q: { value?: number; unit?: string; code?: string } | undefined): string {
  if (q?.value === undefined) return '';
  return `${String(q.value).replace('.', ',')} ${q.unit ?? q.code ?? ''}`.trim();
}

/** What the editor needs of a catalogue Medication. */
export function drugFromMedication(m: Medication): DrugChoice {
  const ingredients = (m.ingredient ?? [])
    .filter((i) => i.isActive !== false)
    .map((i) => [text(i.itemCodeableConcept) || i.itemReference?.display || '', quantityText(i.strength?.numerator)].filter(Boolean).join(' '))
    .filter(Boolean);
  const routeExt = (m.extension ?? []).find((e) => /route|duong-dung/.test(e.url));
  const route = findRoute(routeExt?.valueCoding?.code ?? routeExt?.valueCoding?.display ?? routeExt?.valueString ?? routeExt?.valueCode);
  const unit = m.amount?.denominator?.unit ?? unitFromForm(text(m.form)) ?? 'viên';
  const codings = (m.code?.coding ?? []).filter((c) => c.code);
  const own = codings.find((c) => c.system?.endsWith('/charge-code')) ?? codings[0];
  return { id: m.id ?? '', display: text(m.code) || m.id || '', ingredients, unit, route, code: own?.code ?? '', codings };
}

/** The counting unit a dosage form implies ("Viên nén" → viên, "Thuốc bột..." → gói). */
export function unitFromForm(form: string): string | undefined {
  const f = form.toLocaleLowerCase('vi');
  if (!f) return undefined;
  if (f.includes('viên')) return 'viên';
  if (f.includes('bột') || f.includes('cốm')) return 'gói';
  if (f.includes('tiêm')) return 'ống';
  if (f.includes('nhỏ') || f.includes('dung dịch') || f.includes('siro') || f.includes('hỗn dịch')) return 'lọ';
  if (f.includes('kem') || f.includes('mỡ') || f.includes('gel')) return 'tuýp';
  return undefined;
}

let counter = 0;
export function newLine(): RxLine {
  counter += 1;
  return { key: `rx-${Date.now().toString(36)}-${counter}`, drug: undefined, dose: '1', perDay: '2', days: '5', route: '1.01', instruction: '', overrideReason: '' };
}

export interface LineProblem {
  field: 'drug' | 'dose' | 'perDay' | 'days';
}

/** What is missing or unreadable in a line (empty when it can be sent). */
export function lineProblems(l: RxLine): LineProblem['field'][] {
  const out: LineProblem['field'][] = [];
  if (!l.drug) out.push('drug');
  const dose = parseNumber(l.dose);
  if (dose === undefined || dose <= 0 || dose > 1000) out.push('dose');
  const perDay = parseNumber(l.perDay);
  if (perDay === undefined || perDay < 1 || perDay > 24 || !Number.isInteger(perDay)) out.push('perDay');
  const days = parseNumber(l.days);
  if (days === undefined || days < 1 || days > 180 || !Number.isInteger(days)) out.push('days');
  return out;
}

/** Units to dispense: dose × times a day × days, rounded up to whole units. */
export function quantityOf(l: RxLine): number {
  const dose = parseNumber(l.dose) ?? 0;
  const perDay = parseNumber(l.perDay) ?? 0;
  const days = parseNumber(l.days) ?? 0;
  return Math.ceil(dose * perDay * days - 1e-9);
}

/** "Uống 1 viên/lần × 3 lần/ngày, 5 ngày; sau ăn" in the language of the print (Vietnamese). */
export function dosageText(l: RxLine): string {
  const route = findRoute(l.route);
  const unit = l.drug?.unit ?? 'viên';
  const dose = (l.dose.trim() || '?').replace('.', ',');
  const base = `${route ? route.vi + ' ' : ''}${dose} ${unit}/lần × ${l.perDay.trim() || '?'} lần/ngày, ${l.days.trim() || '?'} ngày`;
  return l.instruction.trim() ? `${base}; ${l.instruction.trim()}` : base;
}

export interface RxContext {
  patient: Reference;
  encounter: string;
  /** Left out: the server gives each line the national prescription code as its groupIdentifier when the visit closes. */
  group?: { system: string; value: string };
  authoredOn: string;
  requester?: Reference;
}

export function medicationRequestOf(l: RxLine, ctx: RxContext): MedicationRequest {
  if (!l.drug) throw new Error('a line without a drug');
  const route = findRoute(l.route);
  const unit = l.drug.unit;
  const days = parseNumber(l.days) ?? 0;
  const mr: MedicationRequest = {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    // the catalogue code first: the server's checks and the pharmacy read it from here
    medicationCodeableConcept: { coding: l.drug.codings.map((c) => ({ ...c })), text: l.drug.display },
    subject: ctx.patient,
    encounter: { reference: ctx.encounter },
    authoredOn: ctx.authoredOn,
    ...(ctx.group ? { groupIdentifier: ctx.group } : {}),
    dosageInstruction: [
      {
        sequence: 1,
        text: dosageText(l),
        ...(l.instruction.trim() ? { patientInstruction: l.instruction.trim() } : {}),
        timing: { repeat: { frequency: parseNumber(l.perDay) ?? 1, period: 1, periodUnit: 'd', boundsDuration: { value: days, unit: 'ngày', system: UCUM, code: 'd' } } },
        ...(route
          ? {
              route: {
                coding: [
                  { system: routeSystem(), code: route.code, display: route.vi },
                  ...(route.snomed ? [{ system: SNOMED, code: route.snomed, display: route.snomedDisplay }] : []),
                ],
                text: route.vi,
              },
            }
          : {}),
        doseAndRate: [{ doseQuantity: { value: parseNumber(l.dose) ?? 0, unit } }],
      },
    ],
    dispenseRequest: {
      quantity: { value: quantityOf(l), unit },
      expectedSupplyDuration: { value: days, unit: 'ngày', system: UCUM, code: 'd' },
    },
  };
  if (ctx.requester) mr.requester = ctx.requester;
  if (l.overrideReason.trim()) mr.extension = [{ url: OVERRIDE_REASON_URL, valueString: l.overrideReason.trim() }];
  return mr;
}

/** The findings of a $check answer (or of a 422 refusal), information issues left out. */
export function readFindings(o: OperationOutcome | undefined): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const i of o?.issue ?? []) {
    if (i.severity === 'information') continue;
    const code = i.details?.coding?.find((c) => KINDS.includes(c.code as FindingKind))?.code as FindingKind | undefined;
    const message = i.diagnostics ?? i.details?.text ?? i.details?.coding?.[0]?.display ?? '';
    out.push({ kind: code ?? 'other', severity: i.severity === 'fatal' ? 'error' : (i.severity ?? 'warning'), message });
  }
  return out;
}

/**
 * The findings of one $check of `n` lines, per line: each issue names its line in its
 * expression (`Parameters.parameter[i].resource`); one that names none goes to every line.
 */
export function findingsByLine(o: OperationOutcome | undefined, n: number): CheckFinding[][] {
  const out: CheckFinding[][] = Array.from({ length: n }, () => []);
  for (const i of o?.issue ?? []) {
    const [f] = readFindings({ resourceType: 'OperationOutcome', issue: [i] });
    if (!f) continue;
    const m = (i.expression ?? []).map((e) => /parameter\[(\d+)\]/.exec(e)).find(Boolean);
    const idx = m ? Number(m[1]) : -1;
    if (idx >= 0 && idx < n) out[idx]!.push(f);
    else for (const list of out) list.push(f);
  }
  return out;
}

/** A line with findings needs an override reason of a few words before it is saved. */
export function needsOverride(findings: CheckFinding[], reason: string): boolean {
  return findings.some((f) => f.kind !== 'other' || f.severity === 'warning') && reason.trim().length < 3;
}


/** The national prescription code a line carries once its visit is closed (identifier or groupIdentifier), '' before. */
export function prescriptionCodeOf(mr: Pick<MedicationRequest, 'identifier' | 'groupIdentifier'>): string {
  const national = (s: string | undefined) => !!s && s.endsWith('/don-thuoc-quoc-gia');
  return mr.identifier?.find((i) => national(i.system))?.value ?? (national(mr.groupIdentifier?.system) ? mr.groupIdentifier?.value ?? '' : '');
}
