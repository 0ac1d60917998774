// The typed API of the clinical screens: ICD-10 search and diagnosis validation, the plain
// FHIR reads and writes (Observation, Condition, ServiceRequest, MedicationRequest,
// AllergyIntolerance, MedicationAdministration...), and the operations of issue 7 ($check,
// $print, $dispense, $stock, $stock-count, $receive, $admit, $transfer, $occupancy,
// $discharge, $close-visit, $chart). docs/implementation/clinical.md is the contract.
import { ApiClient } from './client';
import type { Bundle, Encounter, OperationOutcome, ParametersParameter, Resource } from './fhir';
import { parameters } from './parameters';
import type { Medication, MedicationRequest, ValueSet, ValueSetContains } from './clinical-types';

export const ICD10_VALUESET = 'http://healthbook.vn/fhir/ValueSet/icd10-vn';
export const SERVICE_VALUESET = 'http://healthbook.vn/fhir/ValueSet/service-catalog';
export const SD_BASE = 'http://healthbook.vn/fhir/StructureDefinition/';
export const OVERRIDE_REASON_URL = SD_BASE + 'override-reason';

export interface CodeHit {
  system: string;
  code: string;
  display: string;
  /** The English name, when the server gives one. */
  english: string;
}

export function readExpansion(vs: ValueSet): CodeHit[] {
  const out: CodeHit[] = [];
  const walk = (list: ValueSetContains[] | undefined) => {
    for (const c of list ?? []) {
      if (c.code) {
        const en = c.designation?.find((d) => d.language?.startsWith('en'))?.value ?? '';
        out.push({ system: c.system ?? '', code: c.code, display: c.display ?? '', english: en });
      }
      walk(c.contains);
    }
  };
  walk(vs.expansion?.contains);
  return out;
}

function entries<T extends Resource>(b: Bundle | undefined, type?: T['resourceType']): T[] {
  return (b?.entry ?? []).map((e) => e.resource).filter((r): r is T => !!r && (!type || r.resourceType === type));
}

const q = encodeURIComponent;

export function createClinicalApi(http: ApiClient) {
  const representation = { headers: { Prefer: 'return=representation' } };
  return {
    http,

    // plain FHIR
    read<T extends Resource>(type: T['resourceType'], id: string): Promise<T> {
      return http.get<T>(`/fhir/${type}/${q(id)}`);
    },
    async search<T extends Resource>(type: T['resourceType'], query: string, signal?: AbortSignal): Promise<T[]> {
      const b = await http.get<Bundle>(`/fhir/${type}?${query}`, { signal });
      return entries<T>(b, type);
    },
    /** A search whose Bundle also carries _include'd resources of other types. */
    async searchAll(type: string, query: string): Promise<Resource[]> {
      return entries(await http.get<Bundle>(`/fhir/${type}?${query}`));
    },
    create<T extends Resource>(r: T): Promise<T> {
      return http.post<T>(`/fhir/${r.resourceType}`, r, representation);
    },
    update<T extends Resource>(r: T): Promise<T> {
      return http.request<T>('PUT', `/fhir/${r.resourceType}/${q(r.id ?? '')}`, { body: r, ...representation });
    },

    // terminology
    async searchIcd10(text: string, count = 20, signal?: AbortSignal): Promise<CodeHit[]> {
      const vs = await http.get<ValueSet>(`/fhir/ValueSet/$expand?url=${q(ICD10_VALUESET)}&filter=${q(text)}&count=${count}`, { signal });
      return readExpansion(vs);
    },
    async expand(url: string, text: string, count = 20, signal?: AbortSignal): Promise<ValueSetContains[]> {
      const vs = await http.get<ValueSet>(`/fhir/ValueSet/$expand?url=${q(url)}&filter=${q(text)}&count=${count}`, { signal });
      return vs.expansion?.contains ?? [];
    },
    validateDiagnoses(main: string, secondary: string[], signal?: AbortSignal): Promise<OperationOutcome> {
      const body = parameters(
        ...(main ? [{ name: 'main', valueCode: main }] : []),
        ...secondary.map((c) => ({ name: 'secondary', valueCode: c })),
      );
      return http.post<OperationOutcome>('/fhir/Encounter/$validate-diagnoses', body, { signal });
    },

    // prescriptions
    /** Catalogue drugs whose name or active ingredient starts with the words typed (folded: no diacritics needed). */
    async searchMedications(text: string, signal?: AbortSignal): Promise<Medication[]> {
      const [byName, byIngredient] = await Promise.all([
        http.get<Bundle>(`/fhir/Medication?code:text=${q(text)}&_count=20`, { signal }),
        http.get<Bundle>(`/fhir/Medication?ingredient-code:text=${q(text)}&_count=20`, { signal }),
      ]);
      const seen = new Set<string>();
      return [...entries<Medication>(byName, 'Medication'), ...entries<Medication>(byIngredient, 'Medication')].filter((m) => {
        // catalogue drugs only: a Medication with a batch is a stock batch of one
        if (!m.id || seen.has(m.id) || m.status === 'inactive' || m.batch) return false;
        seen.add(m.id);
        return true;
      });
    },
    /** Checks the new lines of a prescription together (the patient's stored active ones are added by the server). */
    checkPrescription(lines: MedicationRequest[], signal?: AbortSignal): Promise<OperationOutcome> {
      const body = parameters(...lines.map((resource) => ({ name: 'resource', resource })));
      return http.post<OperationOutcome>('/fhir/MedicationRequest/$check', body, { signal });
    },
    /** The printable prescription: `group` is the national prescription code or the Encounter id. */
    printUrl(group: string): string {
      return `/fhir/MedicationRequest/$print?group=${q(group)}`;
    },

    // pharmacy
    dispense(requestId: string, params: ParametersParameter[] = []): Promise<Resource> {
      return http.post<Resource>(`/fhir/MedicationRequest/${q(requestId)}/$dispense`, parameters(...params));
    },
    stock(location: string): Promise<Resource> {
      return http.get<Resource>(`/fhir/Medication/$stock${location ? `?location=${q(location)}` : ''}`);
    },
    stockCount(params: ParametersParameter[]): Promise<Resource> {
      return http.post<Resource>('/fhir/Medication/$stock-count', parameters(...params));
    },
    receive(params: ParametersParameter[]): Promise<Resource> {
      return http.post<Resource>('/fhir/Medication/$receive', parameters(...params));
    },

    // inpatient
    admit(encounterId: string, params: ParametersParameter[]): Promise<Resource> {
      return http.post<Resource>(`/fhir/Encounter/${q(encounterId)}/$admit`, parameters(...params));
    },
    transfer(encounterId: string, params: ParametersParameter[]): Promise<Resource> {
      return http.post<Resource>(`/fhir/Encounter/${q(encounterId)}/$transfer`, parameters(...params));
    },
    occupancy(ward?: string): Promise<Resource> {
      return http.get<Resource>(`/fhir/Location/$occupancy${ward ? `?ward=${q(ward)}` : ''}`);
    },
    discharge(encounterId: string, params: ParametersParameter[]): Promise<Resource> {
      return http.post<Resource>(`/fhir/Encounter/${q(encounterId)}/$discharge`, parameters(...params));
    },
    closeVisit(encounterId: string, params: ParametersParameter[]): Promise<Resource> {
      return http.post<Resource>(`/fhir/Encounter/${q(encounterId)}/$close-visit`, parameters(...params));
    },

    // the chart
    chart(patientId: string, signal?: AbortSignal): Promise<Resource> {
      return http.get<Resource>(`/fhir/Patient/${q(patientId)}/$chart`, { signal });
    },
    encounter(id: string): Promise<Encounter> {
      return http.get<Encounter>(`/fhir/Encounter/${q(id)}`);
    },
  };
}

export type ClinicalApi = ReturnType<typeof createClinicalApi>;
