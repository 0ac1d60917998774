// The typed API of the claims screens (docs/implementation/claims-xml.md is the contract):
// the work list (the claim Tasks, one per encounter and portal: requested = ready and
// queued, in-progress = being sent again after a failure, completed = accepted, failed =
// rejected by the portal or invalid here), the preview of one claim's tables
// ($claim-preview), the signed file ($claim-xml) and the resubmission after a correction
// ($claim-submit).
import { ApiClient, errorFromResponse } from './client';
import type { Bundle, CodeableConcept, Reference, Resource } from './fhir';
import { all, first, parameters, valueText } from './parameters';
import type { Parameters } from './fhir';

export interface Task extends Resource {
  resourceType: 'Task';
  status?: string;
  businessStatus?: CodeableConcept;
  statusReason?: CodeableConcept;
  focus?: Reference;
  for?: Reference;
  authoredOn?: string;
  lastModified?: string;
  input?: { type?: CodeableConcept; valueString?: string }[];
  output?: { type?: CodeableConcept; valueString?: string }[];
}

export type ClaimState = 'requested' | 'in-progress' | 'completed' | 'failed';
export const CLAIM_STATES: ClaimState[] = ['requested', 'in-progress', 'completed', 'failed'];

export interface ClaimTaskView {
  id: string;
  status: string;
  business: string;
  reason: string;
  encounterId: string;
  patientId: string;
  maLk: string;
  portal: string;
  schema: string;
  transaction: string;
  updated: string;
}

export function readClaimTask(t: Task): ClaimTaskView {
  const inp = (n: string) => t.input?.find((i) => i.type?.text === n)?.valueString ?? '';
  const out = (n: string) => t.output?.find((i) => i.type?.text === n)?.valueString ?? '';
  return {
    id: t.id ?? '',
    status: t.status ?? '',
    business: t.businessStatus?.text ?? '',
    reason: t.statusReason?.text ?? '',
    encounterId: (t.focus?.reference ?? '').replace(/^Encounter\//, ''),
    patientId: (t.for?.reference ?? '').replace(/^Patient\//, ''),
    maLk: inp('MA_LK'),
    portal: inp('portal'),
    schema: inp('schema'),
    transaction: out('maGiaoDich'),
    updated: t.lastModified ?? t.authoredOn ?? '',
  };
}

export interface PreviewColumn {
  name: string;
  description: string;
}
export interface PreviewTable {
  table: string;
  columns: PreviewColumn[];
  rows: string[][];
}
export interface PreviewError {
  table: string;
  row: number;
  field: string;
  rule: string;
  value: string;
  vi: string;
  en: string;
}
export interface ClaimPreview {
  ma_lk: string;
  schema: string;
  tables: PreviewTable[];
  errors: PreviewError[];
}

/** A short heading from the official description: its first clause, without "Là"/"Ghi". */
export function shortHeading(description: string, max = 48): string {
  let s = description.replace(/\s+/g, ' ').trim();
  s = s.replace(/^(Là|Ghi|Ghi rõ|Ghi số|Ghi mã)\s+/i, '');
  const cut = s.search(/[(.;:,]/);
  if (cut > 0) s = s.slice(0, cut).trim();
  if (s.length > max) s = `${s.slice(0, max - 1).trimEnd()}…`;
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export interface SubmitResult {
  portal: string;
  outcome: string;
  maLk: string;
  errors: string[];
}

export function readSubmit(p: Parameters): SubmitResult[] {
  return all(p, 'result').map((r) => ({
    portal: valueText(first(r.part ?? [], 'portal')),
    outcome: valueText(first(r.part ?? [], 'outcome')),
    maLk: valueText(first(r.part ?? [], 'MA_LK')),
    errors: all(r.part ?? [], 'error').map(valueText),
  }));
}

export function createClaimsApi(http: ApiClient) {
  const id = encodeURIComponent;
  return {
    async tasks(status: ClaimState, count = 200): Promise<ClaimTaskView[]> {
      const b = await http.get<Bundle>(`/fhir/Task?code=claim-submission&status=${status}&_count=${count}`);
      return (b.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is Task => !!r && r.resourceType === 'Task')
        .map(readClaimTask)
        .sort((a, b) => b.updated.localeCompare(a.updated));
    },
    preview(encounterId: string, schema: string): Promise<ClaimPreview> {
      return http.get<ClaimPreview>(`/fhir/Encounter/${id(encounterId)}/$claim-preview?schema=${id(schema)}`);
    },
    async submit(encounterId: string): Promise<SubmitResult[]> {
      return readSubmit(await http.post<Parameters>(`/fhir/Encounter/${id(encounterId)}/$claim-submit`, parameters()));
    },
    /** The signed file as the portal receives it. */
    async xml(encounterId: string, schema: string): Promise<Blob> {
      const r = await fetch(`/fhir/Encounter/${id(encounterId)}/$claim-xml?schema=${id(schema)}`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/fhir+json, application/xml;q=0.9' },
      });
      if (!r.ok) throw errorFromResponse(r.status, await r.text(), r.headers);
      return r.blob();
    },
  };
}

export type ClaimsApi = ReturnType<typeof createClaimsApi>;
