// The FHIR R4 resources of the clinical screens (examination, orders, prescriptions,
// pharmacy, inpatient care, the chart): only the elements the screens read and write.
import type { CodeableConcept, Coding, Extension, Identifier, Period, Reference, Resource } from './fhir';
import type { Quantity } from '../clinical/vitals';

export type { Observation, Quantity } from '../clinical/vitals';

export interface Annotation {
  text: string;
  time?: string;
  authorString?: string;
}

export interface Condition extends Resource {
  resourceType: 'Condition';
  clinicalStatus?: CodeableConcept;
  verificationStatus?: CodeableConcept;
  category?: CodeableConcept[];
  code?: CodeableConcept;
  subject?: Reference;
  encounter?: Reference;
  onsetDateTime?: string;
  recordedDate?: string;
  note?: Annotation[];
}

export interface AllergyIntolerance extends Resource {
  resourceType: 'AllergyIntolerance';
  clinicalStatus?: CodeableConcept;
  verificationStatus?: CodeableConcept;
  type?: 'allergy' | 'intolerance';
  category?: ('food' | 'medication' | 'environment' | 'biologic')[];
  criticality?: 'low' | 'high' | 'unable-to-assess';
  code?: CodeableConcept;
  patient?: Reference;
  encounter?: Reference;
  recordedDate?: string;
  reaction?: { manifestation: CodeableConcept[]; severity?: 'mild' | 'moderate' | 'severe'; description?: string }[];
  note?: Annotation[];
}

export interface ServiceRequest extends Resource {
  resourceType: 'ServiceRequest';
  identifier?: Identifier[];
  status: string;
  intent: string;
  category?: CodeableConcept[];
  priority?: string;
  code?: CodeableConcept;
  subject?: Reference;
  encounter?: Reference;
  authoredOn?: string;
  requester?: Reference;
  performer?: Reference[];
  reasonCode?: CodeableConcept[];
  occurrenceDateTime?: string;
  note?: Annotation[];
  extension?: Extension[];
}

export interface Timing {
  repeat?: {
    frequency?: number;
    period?: number;
    periodUnit?: string;
    boundsDuration?: Quantity;
    when?: string[];
  };
  code?: CodeableConcept;
}

export interface Dosage {
  sequence?: number;
  text?: string;
  patientInstruction?: string;
  timing?: Timing;
  asNeededBoolean?: boolean;
  route?: CodeableConcept;
  doseAndRate?: { doseQuantity?: Quantity }[];
  maxDosePerPeriod?: { numerator?: Quantity; denominator?: Quantity };
}

export interface MedicationRequest extends Resource {
  resourceType: 'MedicationRequest';
  extension?: Extension[];
  identifier?: Identifier[];
  status: string;
  intent: string;
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
  subject?: Reference;
  encounter?: Reference;
  authoredOn?: string;
  requester?: Reference;
  groupIdentifier?: Identifier;
  dosageInstruction?: Dosage[];
  dispenseRequest?: { quantity?: Quantity; expectedSupplyDuration?: Quantity; validityPeriod?: Period };
  note?: Annotation[];
}

export interface Medication extends Resource {
  resourceType: 'Medication';
  extension?: Extension[];
  identifier?: Identifier[];
  code?: CodeableConcept;
  status?: string;
  form?: CodeableConcept;
  amount?: { numerator?: Quantity; denominator?: Quantity };
  ingredient?: { itemCodeableConcept?: CodeableConcept; itemReference?: Reference; isActive?: boolean; strength?: { numerator?: Quantity; denominator?: Quantity } }[];
  batch?: { lotNumber?: string; expirationDate?: string };
}

export interface MedicationDispense extends Resource {
  resourceType: 'MedicationDispense';
  status: string;
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
  subject?: Reference;
  authorizingPrescription?: Reference[];
  quantity?: Quantity;
  whenHandedOver?: string;
  extension?: Extension[];
}

export interface MedicationAdministration extends Resource {
  resourceType: 'MedicationAdministration';
  status: string;
  statusReason?: CodeableConcept[];
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: Reference;
  subject?: Reference;
  context?: Reference;
  effectiveDateTime?: string;
  request?: Reference;
  performer?: { actor: Reference }[];
  dosage?: { text?: string; route?: CodeableConcept; dose?: Quantity };
  note?: Annotation[];
}

export interface Immunization extends Resource {
  resourceType: 'Immunization';
  status: string;
  vaccineCode?: CodeableConcept;
  occurrenceDateTime?: string;
  lotNumber?: string;
  protocolApplied?: { doseNumberPositiveInt?: number; series?: string }[];
}

export interface ImagingStudy extends Resource {
  resourceType: 'ImagingStudy';
  status?: string;
  started?: string;
  modality?: Coding[];
  description?: string;
  numberOfSeries?: number;
  numberOfInstances?: number;
  procedureCode?: CodeableConcept[];
}

export interface DiagnosticReport extends Resource {
  resourceType: 'DiagnosticReport';
  status?: string;
  code?: CodeableConcept;
  effectiveDateTime?: string;
  conclusion?: string;
}

export interface Composition extends Resource {
  resourceType: 'Composition';
  status?: string;
  type?: CodeableConcept;
  title?: string;
  date?: string;
  author?: Reference[];
  subject?: Reference;
  encounter?: Reference;
  section?: { title?: string; code?: CodeableConcept; text?: { status?: string; div?: string }; entry?: Reference[] }[];
  text?: { status?: string; div?: string };
}

export interface ClinicalImpression extends Resource {
  resourceType: 'ClinicalImpression';
  status: string;
  code?: CodeableConcept;
  description?: string;
  subject?: Reference;
  encounter?: Reference;
  effectiveDateTime?: string;
  date?: string;
  assessor?: Reference;
  summary?: string;
  note?: Annotation[];
}

export interface Location extends Resource {
  resourceType: 'Location';
  identifier?: Identifier[];
  status?: string;
  operationalStatus?: Coding;
  name?: string;
  alias?: string[];
  description?: string;
  physicalType?: CodeableConcept;
  partOf?: Reference;
  managingOrganization?: Reference;
}

export interface ValueSetContains {
  system?: string;
  code?: string;
  display?: string;
  designation?: { language?: string; value?: string; use?: Coding }[];
  extension?: Extension[];
  contains?: ValueSetContains[];
}

export interface ValueSet extends Resource {
  resourceType: 'ValueSet';
  expansion?: { total?: number; contains?: ValueSetContains[] };
}
