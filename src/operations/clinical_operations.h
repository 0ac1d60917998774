// The registration functions of the clinical operation files (one group per file), called by
// RegisterClinicalOperations (clinical_register.cpp), and the URLs they share.
#pragma once

#include <string_view>

#include "operations/clinical_support.h"

namespace hb::operations {

inline constexpr std::string_view kIcd10ValueSetUrl = "http://healthbook.vn/fhir/ValueSet/icd10-vn";
inline constexpr std::string_view kServiceValueSetUrl =
    "http://healthbook.vn/fhir/ValueSet/service-catalog";
inline constexpr std::string_view kIcd10AltSystem = "http://hl7.org/fhir/sid/icd-10-vn";
inline constexpr std::string_view kIcdMarkUrl =
    "http://healthbook.vn/fhir/StructureDefinition/icd-mark";
inline constexpr std::string_view kVnExtBase = "http://healthbook.vn/fhir/StructureDefinition/";
inline constexpr std::string_view kStockSystem = "http://healthbook.vn/fhir/CodeSystem/stock";
inline constexpr std::string_view kNationalPrescriptionSystem =
    "http://healthbook.vn/fhir/sid/don-thuoc-quoc-gia";

void AddTerminologyOperations(rest::FhirService& service, ClinicalContextPtr ctx);
void AddVisitOperations(rest::FhirService& service, ClinicalContextPtr ctx);
void AddPrescribingRules(rest::FhirService& service, ClinicalContextPtr ctx);
void AddPrescriptionOperations(rest::FhirService& service, ClinicalContextPtr ctx);
void AddPharmacyOperations(rest::FhirService& service, ClinicalContextPtr ctx);
void AddInpatientOperations(rest::FhirService& service, ClinicalContextPtr ctx);
void AddChartOperation(rest::FhirService& service, ClinicalContextPtr ctx);

// Shared by $close-visit and $discharge: the diagnosis codes of an encounter (main first:
// Encounter.diagnosis rank 1, else the first Condition), read from its Conditions.
struct EncounterDiagnoses {
  std::string main;
  std::vector<std::string> secondary;
  std::vector<std::pair<std::string, std::string>> coded;  // (code, Vietnamese name), main first
};
Result<EncounterDiagnoses> ReadEncounterDiagnoses(storage::ReadTxn& txn,
                                                  const fhir::JsonValue& encounter,
                                                  std::string_view encounter_id);
// A referral (ServiceRequest, SNOMED 3457005) to `referral` (Organization/id or a name), and
// a follow-up Appointment on `date` (YYYY-MM-DD, after today); each returns "Type/id".
Result<std::string> CreateReferral(storage::WriteTxn& txn, rest::Actor& actor,
                                   const ClinicalContext& ctx, std::string_view patient_ref,
                                   std::string_view enc_ref, std::string_view referral,
                                   std::string_view reason, const EncounterDiagnoses& dx);
Result<std::string> CreateFollowUp(storage::WriteTxn& txn, rest::Actor& actor,
                                   const ClinicalContext& ctx, std::string_view patient_ref,
                                   std::string_view enc_ref, std::string_view date,
                                   std::string_view reason);
// OperationOutcome of diagnosis findings: errors fail (kUnprocessable), warnings pass.
Status DiagnosisStatus(const std::vector<clinical::DiagnosisFinding>& findings);
// Queues the encounter's e-prescription for the national system (no-op without drugs).
Status EnqueuePrescription(storage::WriteTxn& txn, rest::Actor& actor, const ClinicalContext& ctx,
                           std::string_view encounter_id);

}  // namespace hb::operations
