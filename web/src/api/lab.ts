// The typed API of the laboratory and imaging screens: a patient's reports with their results
// (DiagnosticReport + _include of the Observations), a result's versions (corrections), the
// imaging studies, the reconciliation work list (patients created from results or studies
// for unknown patients: meta.tag <base>reconciliation|provisional) and Patient/$merge, which
// moves the results of a provisional record to the real patient.
// docs/implementation/hl7v2-mapping.md and imaging.md are the server's side.
import { ApiClient } from './client';
import type { Bundle, CodeableConcept, Identifier, Meta, Parameters, Patient, Period, Reference, Resource } from './fhir';
import { systems } from '../lib/systems';

export interface Quantity {
  value?: number;
  unit?: string;
  system?: string;
  code?: string;
  comparator?: string;
}

export interface ReferenceRange {
  low?: Quantity;
  high?: Quantity;
  text?: string;
}

export interface Attachment {
  contentType?: string;
  data?: string;
  url?: string;
  title?: string;
}

export interface Observation extends Resource {
  resourceType: 'Observation';
  meta?: Meta;
  status: string;
  code: CodeableConcept;
  subject?: Reference;
  effectiveDateTime?: string;
  issued?: string;
  valueQuantity?: Quantity;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  valueDateTime?: string;
  valueTime?: string;
  valueRange?: { low?: Quantity; high?: Quantity };
  valueRatio?: { numerator?: Quantity; denominator?: Quantity };
  dataAbsentReason?: CodeableConcept;
  interpretation?: CodeableConcept[];
  referenceRange?: ReferenceRange[];
  note?: { text?: string }[];
  specimen?: Reference;
}

export interface DiagnosticReport extends Resource {
  resourceType: 'DiagnosticReport';
  meta?: Meta;
  identifier?: Identifier[];
  status: string;
  category?: CodeableConcept[];
  code: CodeableConcept;
  subject?: Reference;
  effectiveDateTime?: string;
  issued?: string;
  result?: Reference[];
  conclusion?: string;
  presentedForm?: Attachment[];
  imagingStudy?: Reference[];
}

export interface ImagingSeries {
  uid: string;
  number?: number;
  modality?: { code?: string };
  description?: string;
  numberOfInstances?: number;
  bodySite?: { code?: string; display?: string };
}

export interface ImagingStudy extends Resource {
  resourceType: 'ImagingStudy';
  extension?: { url: string; valueUrl?: string }[];
  identifier?: Identifier[];
  status?: string;
  modality?: { code?: string }[];
  subject?: Reference;
  started?: string;
  basedOn?: Reference[];
  numberOfSeries?: number;
  numberOfInstances?: number;
  description?: string;
  endpoint?: Reference[];
  series?: ImagingSeries[];
}

export interface Endpoint extends Resource {
  resourceType: 'Endpoint';
  address?: string;
}

export interface ProvisionalPatient {
  patient: Patient;
  /** undefined when the user may not count them */
  reports: number | undefined;
  studies: number | undefined;
}

export interface MergeOutcome {
  message: string;
  updated: string[];
}

const q = encodeURIComponent;

function resources<T extends Resource>(b: Bundle | undefined, type: T['resourceType']): T[] {
  return (b?.entry ?? []).map((e) => e.resource).filter((r): r is T => !!r && r.resourceType === type);
}

export const VIEWER_EXTENSION = 'extension/imaging-viewer';

export function provisionalTag(): string {
  return systems().base + 'reconciliation|provisional';
}

export function isProvisional(r: Resource): boolean {
  const system = systems().base + 'reconciliation';
  const tags = (r.meta as { tag?: { system?: string; code?: string }[] } | undefined)?.tag;
  return !!tags?.some((t) => t.system === system && t.code === 'provisional');
}

export function createLabApi(http: ApiClient) {
  return {
    /** The patient's reports, newest first, with the Observations they reference. */
    async reportsOf(patientId: string, signal?: AbortSignal): Promise<{ reports: DiagnosticReport[]; observations: Map<string, Observation> }> {
      const b = await http.get<Bundle>(
        `/fhir/DiagnosticReport?subject=${q('Patient/' + patientId)}&_include=DiagnosticReport:result&_sort=-date&_count=100`,
        { signal },
      );
      const observations = new Map<string, Observation>();
      for (const o of resources<Observation>(b, 'Observation')) observations.set(`Observation/${o.id}`, o);
      return { reports: resources<DiagnosticReport>(b, 'DiagnosticReport'), observations };
    },
    /** Every version of a result, newest first (a corrected result is a new version). */
    async versionsOf(observationId: string): Promise<Observation[]> {
      const b = await http.get<Bundle>(`/fhir/Observation/${q(observationId)}/_history`);
      return resources<Observation>(b, 'Observation');
    },
    async studiesOf(patientId: string, signal?: AbortSignal): Promise<ImagingStudy[]> {
      const b = await http.get<Bundle>(`/fhir/ImagingStudy?subject=${q('Patient/' + patientId)}&_sort=-started&_count=100`, { signal });
      return resources<ImagingStudy>(b, 'ImagingStudy');
    },
    /** The radiologists' reports on a study (DiagnosticReport?imaging-study=, imaging.md). */
    async reportsOfStudy(studyId: string, signal?: AbortSignal): Promise<DiagnosticReport[]> {
      const b = await http.get<Bundle>(`/fhir/DiagnosticReport?imaging-study=${q('ImagingStudy/' + studyId)}&_sort=-issued`, { signal });
      return resources<DiagnosticReport>(b, 'DiagnosticReport');
    },
    /** A radiologist's report (conclusion) on a study: final, category RAD, linked to the study and its order. */
    createStudyReport(study: ImagingStudy, conclusion: string, now = new Date()): Promise<DiagnosticReport> {
      const report: DiagnosticReport & { basedOn?: Reference[] } = {
        resourceType: 'DiagnosticReport',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD', display: 'Radiology' }] }],
        code: { text: study.description || (study.modality ?? []).map((m) => m.code).join(', ') || 'Chẩn đoán hình ảnh' },
        subject: study.subject,
        ...(study.started ? { effectiveDateTime: study.started } : {}),
        issued: now.toISOString(),
        imagingStudy: [{ reference: `ImagingStudy/${study.id}` }],
        ...(study.basedOn?.length ? { basedOn: study.basedOn } : {}),
        conclusion,
      };
      return http.post<DiagnosticReport>('/fhir/DiagnosticReport', report, { headers: { Prefer: 'return=representation' } });
    },
    async endpoint(ref: string): Promise<Endpoint | undefined> {
      try {
        return await http.get<Endpoint>(`/fhir/${ref}`);
      } catch {
        return undefined;
      }
    },
    /** The reconciliation work list, with how many reports and studies hang on each record. */
    async provisionalPatients(signal?: AbortSignal): Promise<ProvisionalPatient[]> {
      const b = await http.get<Bundle>(`/fhir/Patient?_tag=${q(provisionalTag())}&active=true&_sort=-_lastUpdated&_count=100`, { signal });
      const patients = resources<Patient>(b, 'Patient');
      // Someone who may link records but not read results (an administrator) still gets the list.
      const count = async (type: string, id: string): Promise<number | undefined> => {
        try {
          const r = await http.get<Bundle>(`/fhir/${type}?subject=${q('Patient/' + id)}&_summary=count`, { signal });
          return r.total;
        } catch {
          return undefined;
        }
      };
      return Promise.all(
        patients.map(async (p) => ({ patient: p, reports: await count('DiagnosticReport', p.id!), studies: await count('ImagingStudy', p.id!) })),
      );
    },
    /** Patient/$merge: the provisional record (source) into the real patient (target). */
    async merge(sourceId: string, targetId: string, preview = false): Promise<MergeOutcome> {
      const body: Parameters = {
        resourceType: 'Parameters',
        parameter: [
          { name: 'source-patient', valueReference: { reference: `Patient/${sourceId}` } },
          { name: 'target-patient', valueReference: { reference: `Patient/${targetId}` } },
          ...(preview ? [{ name: 'preview', valueBoolean: true }] : []),
        ],
      };
      const out = await http.post<Parameters>('/fhir/Patient/$merge', body);
      const params = out.parameter ?? [];
      const outcome = params.find((p) => p.name === 'outcome')?.resource as { issue?: { diagnostics?: string }[] } | undefined;
      return {
        message: outcome?.issue?.[0]?.diagnostics ?? '',
        updated: params.filter((p) => p.name === 'updated').map((p) => p.valueReference?.reference ?? ''),
      };
    },
  };
}

export type LabApi = ReturnType<typeof createLabApi>;

export type { Period };
