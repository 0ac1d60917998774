// Reading and writing FHIR Parameters, the body of every $operation.
import type { Parameters, ParametersParameter, Resource } from './fhir';

export function parameters(...parameter: ParametersParameter[]): Parameters {
  return { resourceType: 'Parameters', parameter };
}

export function first(params: Parameters | ParametersParameter[] | undefined, name: string): ParametersParameter | undefined {
  const list = Array.isArray(params) ? params : params?.parameter ?? [];
  return list.find((p) => p.name === name);
}

export function all(params: Parameters | ParametersParameter[] | undefined, name: string): ParametersParameter[] {
  const list = Array.isArray(params) ? params : params?.parameter ?? [];
  return list.filter((p) => p.name === name);
}

/** The primitive value of a parameter as text ('' when it has none). */
export function valueText(p: ParametersParameter | undefined): string {
  if (!p) return '';
  const candidates = [p.valueString, p.valueCode, p.valueDate, p.valueDateTime, p.valueIdentifier?.value, p.valueCoding?.code, p.valueReference?.reference];
  for (const c of candidates) if (typeof c === 'string') return c;
  if (typeof p.valueBoolean === 'boolean') return String(p.valueBoolean);
  if (typeof p.valueInteger === 'number') return String(p.valueInteger);
  if (typeof p.valueDecimal === 'number') return String(p.valueDecimal);
  return '';
}

/** A parameter's parts as name → text; the first part of each name wins. */
export function partsRecord(p: ParametersParameter | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of p?.part ?? []) {
    if (!(part.name in out)) out[part.name] = valueText(part);
  }
  return out;
}

export function resourceOf<T extends Resource>(p: ParametersParameter | undefined, type: T['resourceType']): T | undefined {
  const r = p?.resource;
  return r && r.resourceType === type ? (r as T) : undefined;
}
