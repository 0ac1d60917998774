// The typed API the screens use: sign-in, FHIR read/search/create, and the reception
// operations ($identify, $start-visit, $call-next, $queue). One instance per app, made by
// createApi with the session's CSRF token and what to do when the session ends.
import { ApiClient, ApiError, type ClientOptions } from './client';
import type { Bundle, Coverage, Encounter, Organization, Parameters, ParametersParameter, Patient, Resource } from './fhir';
import { queueNumberOf } from './queue';
import { all, first, partsRecord, parameters, resourceOf, valueText } from './parameters';
import { sessionFromLogin, type SessionInfo } from './session';
import { classifySearch, patientSearchQueries, type ClassifiedSearch } from '../lib/search';
import { systems } from '../lib/systems';

export interface IdentifyCandidate {
  patient: Patient;
  score: number | undefined;
  /** certain | probable | possible | certainly-not */
  grade: string;
  reasons: string[];
}

/** The insurance check of a scan (`insurance` parts of $identify). */
export interface InsuranceCheckResult {
  valid: boolean | undefined;
  inNetwork: boolean | undefined;
  benefitLevel: number | undefined;
  benefitPercent: number | undefined;
  beneficiaryGroup: string;
  date: string;
  /** card | card-history | ... : where the facts came from */
  source: string;
  problems: string[];
}

export interface IdentifyResult {
  /** The parsed card fields (`id`, `name`, `birth_date`, ... as the server names them). */
  identity: Record<string, string>;
  patient: Patient | undefined;
  created: boolean;
  candidates: IdentifyCandidate[];
  warnings: string[];
  /** The check recorded as a Coverage; without an id when not stored yet ($start-visit stores it). */
  coverage: Coverage | undefined;
  insurance: InsuranceCheckResult | undefined;
}

export interface VisitStarted {
  encounter: Encounter;
  /** The queue number, as $start-visit says it (else read from the Encounter). */
  number: string;
}

function readInsurance(p: ParametersParameter | undefined): InsuranceCheckResult | undefined {
  if (!p) return undefined;
  const parts = p.part ?? [];
  const bool = (n: string) => first(parts, n)?.valueBoolean;
  const int = (n: string) => {
    const v = first(parts, n)?.valueInteger;
    return typeof v === 'number' ? v : undefined;
  };
  return {
    valid: bool('valid'),
    inNetwork: bool('in-network'),
    benefitLevel: int('benefit-level'),
    benefitPercent: int('benefit-percent'),
    beneficiaryGroup: valueText(first(parts, 'beneficiary-group')),
    date: valueText(first(parts, 'date')),
    source: valueText(first(parts, 'source')),
    problems: all(parts, 'problem').map(valueText).filter(Boolean),
  };
}

export function readIdentifyResult(p: Parameters): IdentifyResult {
  const candidates: IdentifyCandidate[] = [];
  for (const c of all(p, 'candidates').concat(all(p, 'candidate'))) {
    const parts = c.part ?? [];
    const patient = resourceOf<Patient>(first(parts, 'resource') ?? first(parts, 'patient'), 'Patient') ?? resourceOf<Patient>(c, 'Patient');
    const scoreText = valueText(first(parts, 'score'));
    const grade = valueText(first(parts, 'grade'));
    const reasons = all(parts, 'reason').map(valueText).filter(Boolean);
    if (patient) candidates.push({ patient, score: scoreText ? Number(scoreText) : undefined, grade, reasons });
  }
  const warnings: string[] = [];
  for (const w of all(p, 'warnings').concat(all(p, 'warning'))) {
    const text = valueText(w);
    if (text) warnings.push(text);
    for (const part of w.part ?? []) if (valueText(part)) warnings.push(valueText(part));
  }
  return {
    identity: partsRecord(first(p, 'identity')),
    patient: resourceOf<Patient>(first(p, 'patient'), 'Patient'),
    created: first(p, 'created')?.valueBoolean === true,
    candidates,
    warnings,
    coverage: resourceOf<Coverage>(first(p, 'coverage'), 'Coverage'),
    insurance: readInsurance(first(p, 'insurance')),
  };
}

/** An operation may answer with the resource itself or with Parameters carrying it. */
export function unwrapResource<T extends Resource>(answer: Resource | undefined, type: T['resourceType']): T {
  if (answer?.resourceType === type) return answer as T;
  if (answer?.resourceType === 'Parameters') {
    for (const p of (answer as Parameters).parameter ?? []) {
      if (p.resource?.resourceType === type) return p.resource as T;
    }
  }
  throw new ApiError(200, `the server answered without a ${type}`);
}

function resources<T extends Resource>(b: Bundle, type: T['resourceType']): T[] {
  return (b.entry ?? []).map((e) => e.resource).filter((r): r is T => !!r && r.resourceType === type);
}

export function createApi(options: ClientOptions) {
  const http = new ApiClient(options);
  const id = encodeURIComponent;

  return {
    http,

    async login(username: string, password: string): Promise<SessionInfo> {
      const body = await http.post<unknown>('/auth/login', { username, password }, { contentType: 'application/json', anonymous: true });
      return sessionFromLogin(body, Date.now());
    },

    async logout(): Promise<void> {
      await http.post('/auth/logout', '', { contentType: 'application/json', anonymous: true });
    },

    async facility(code: string): Promise<Organization | undefined> {
      if (!code) return undefined;
      const b = await http.get<Bundle>(`/fhir/Organization?identifier=${id(`${systems().facility}|${code}`)}&_count=1`);
      return resources<Organization>(b, 'Organization')[0];
    },

    readPatient(patientId: string): Promise<Patient> {
      return http.get<Patient>(`/fhir/Patient/${id(patientId)}`);
    },

    createPatient(p: Patient): Promise<Patient> {
      return http.post<Patient>('/fhir/Patient', p, { headers: { Prefer: 'return=representation' } });
    },

    /** Runs the searches the input calls for and merges their matches (first seen first). */
    async searchPatients(input: string | ClassifiedSearch, signal?: AbortSignal): Promise<Patient[]> {
      const search = typeof input === 'string' ? classifySearch(input) : input;
      const queries = patientSearchQueries(search, systems().bhxh);
      const bundles = await Promise.all(
        queries.map((q) =>
          http.get<Bundle>(`/fhir/Patient?${q}`, { signal }).catch((e: unknown) => {
            // `_id` of a malformed id is a 400; the identifier search still answers
            if (queries.length > 1 && e instanceof ApiError && e.status === 400) return { resourceType: 'Bundle' } as Bundle;
            throw e;
          }),
        ),
      );
      const seen = new Set<string>();
      const out: Patient[] = [];
      for (const b of bundles) {
        for (const p of resources<Patient>(b, 'Patient')) {
          if (p.id && !seen.has(p.id)) {
            seen.add(p.id);
            out.push(p);
          }
        }
      }
      return out;
    },

    async encountersOf(patientId: string, count = 10): Promise<Encounter[]> {
      const b = await http.get<Bundle>(`/fhir/Encounter?subject=${id(`Patient/${patientId}`)}&_sort=-date&_count=${count}`);
      return resources<Encounter>(b, 'Encounter');
    },

    async coveragesOf(patientId: string): Promise<Coverage[]> {
      const b = await http.get<Bundle>(`/fhir/Coverage?beneficiary=${id(`Patient/${patientId}`)}&_count=10`);
      return resources<Coverage>(b, 'Coverage');
    },

    async identify(qr: string): Promise<IdentifyResult> {
      const p = await http.post<Parameters>('/fhir/Patient/$identify', parameters({ name: 'qr', valueString: qr }));
      return readIdentifyResult(p);
    },

    /** A stored coverage goes by reference; the unstored check $identify returned, as a resource. */
    async startVisit(patientId: string, department: string, coverage?: Coverage): Promise<VisitStarted> {
      const cov: ParametersParameter[] = !coverage
        ? []
        : coverage.id
          ? [{ name: 'coverage', valueReference: { reference: `Coverage/${coverage.id}` } }]
          : [{ name: 'coverage', resource: coverage }];
      const body = parameters(
        { name: 'patient', valueReference: { reference: `Patient/${patientId}` } },
        { name: 'department', valueString: department },
        ...cov,
      );
      const answer = await http.post<Resource>('/fhir/Encounter/$start-visit', body);
      const encounter = unwrapResource<Encounter>(answer, 'Encounter');
      const n = answer.resourceType === 'Parameters' ? valueText(first(answer as Parameters, 'number')) : '';
      return { encounter, number: n || queueNumberOf(encounter) };
    },

    async callNext(department: string): Promise<Encounter> {
      const answer = await http.post<Resource>('/fhir/Encounter/$call-next', parameters({ name: 'department', valueString: department }));
      return unwrapResource<Encounter>(answer, 'Encounter');
    },

    queue(department: string, signal?: AbortSignal): Promise<unknown> {
      return http.get<unknown>(`/fhir/Encounter/$queue?department=${id(department)}`, { signal });
    },
  };
}

export type Api = ReturnType<typeof createApi>;
