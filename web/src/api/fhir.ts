// The slice of FHIR R4 (4.0.1) that the web application reads and writes. Only the elements
// the screens use are typed; everything else passes through untouched.

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Reference {
  reference?: string;
  display?: string;
  identifier?: Identifier;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value?: string;
  period?: Period;
  assigner?: Reference;
}

export interface Extension {
  url: string;
  extension?: Extension[];
  valueString?: string;
  valueCoding?: Coding;
  valueBoolean?: boolean;
  valueCode?: string;
  valueInteger?: number;
  valueDecimal?: number;
  valueDate?: string;
  valuePeriod?: Period;
}

export interface HumanName {
  use?: string;
  text?: string;
  family?: string;
  given?: string[];
}

export interface ContactPoint {
  system?: 'phone' | 'fax' | 'email' | 'pager' | 'url' | 'sms' | 'other';
  value?: string;
  use?: string;
}

export interface Address {
  extension?: Extension[];
  use?: string;
  type?: string;
  text?: string;
  line?: string[];
  city?: string;
  district?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface Meta {
  versionId?: string;
  lastUpdated?: string;
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Meta;
}

export interface Patient extends Resource {
  resourceType: 'Patient';
  extension?: Extension[];
  identifier?: Identifier[];
  active?: boolean;
  name?: HumanName[];
  telecom?: ContactPoint[];
  gender?: 'male' | 'female' | 'other' | 'unknown';
  birthDate?: string;
  deceasedBoolean?: boolean;
  deceasedDateTime?: string;
  address?: Address[];
  managingOrganization?: Reference;
}

export interface Encounter extends Resource {
  resourceType: 'Encounter';
  identifier?: Identifier[];
  status: string;
  class?: Coding;
  type?: CodeableConcept[];
  serviceType?: CodeableConcept;
  subject?: Reference;
  period?: Period;
  reasonCode?: CodeableConcept[];
  serviceProvider?: Reference;
  location?: { location: Reference; status?: string }[];
  extension?: Extension[];
  statusHistory?: { status: string; period: Period }[];
}

export interface Coverage extends Resource {
  resourceType: 'Coverage';
  identifier?: Identifier[];
  status?: string;
  type?: CodeableConcept;
  subscriberId?: string;
  beneficiary?: Reference;
  period?: Period;
  payor?: Reference[];
  class?: { type?: CodeableConcept; value?: string; name?: string }[];
  network?: string;
  extension?: Extension[];
}

export interface Organization extends Resource {
  resourceType: 'Organization';
  identifier?: Identifier[];
  name?: string;
}

export interface BundleEntry<T extends Resource = Resource> {
  fullUrl?: string;
  resource?: T;
  search?: { mode?: string; score?: number };
}

export interface Bundle<T extends Resource = Resource> extends Resource {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: BundleEntry<T>[];
}

export interface OperationOutcomeIssue {
  severity?: 'fatal' | 'error' | 'warning' | 'information';
  code?: string;
  details?: CodeableConcept;
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue?: OperationOutcomeIssue[];
}

export interface ParametersParameter {
  name: string;
  valueString?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
  valueDecimal?: number;
  valueDate?: string;
  valueDateTime?: string;
  valueCode?: string;
  valueReference?: Reference;
  valueIdentifier?: Identifier;
  valueCoding?: Coding;
  resource?: Resource;
  part?: ParametersParameter[];
}

export interface Parameters extends Resource {
  resourceType: 'Parameters';
  parameter?: ParametersParameter[];
}

export function isResource<T extends Resource>(value: unknown, type: T['resourceType']): value is T {
  return typeof value === 'object' && value !== null && (value as Resource).resourceType === type;
}
