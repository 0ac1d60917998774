// The HL7 v2 tables the mappings translate into FHIR codes: coding system names (CWE-3),
// units (OBX-6) to UCUM, abnormal flags (OBX-8, table 0078), result and report status (tables
// 0085, 0123), gender (0001), name type (0200), patient class (0004), marital status (0002),
// telecom use and equipment (0201, 0202).
//
// Contract: constant tables and pure lookups, thread-safe. An unknown value gives nullopt
// (or an empty view), never a guess; callers keep the original text where FHIR allows it.
// Spec: HL7 v2.5.1 Appendix A (tables); HL7 v2-to-FHIR concept maps (build.fhir.org/ig/
// HL7/v2-to-fhir), which these follow where they exist.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hb::lis {

struct CodeDisplay {
  std::string_view code;
  std::string_view display;
};

// CWE-3 name of coding system -> URI: LN (LOINC), SCT/SNM (SNOMED CT), UCUM, HL7nnnn (v2
// tables), I10 (ICD-10 as published in Vietnam); L, 99zzz and an empty name -> the facility's
// local lab code system; anything else -> OtherCodingSystem(name).
std::string CodingSystemUri(std::string_view hl7_name, std::string_view facility);
// True for the names that mean a local code (L, 99zzz, empty).
bool IsLocalCodingSystem(std::string_view hl7_name);

// The UCUM code of a unit as laboratories write it: "mmol/l" -> "mmol/L", "10^9/L" and the
// Vietnamese "G/L" -> "10*9/L", "IU/L" -> "[IU]/L", "µmol/L" -> "umol/L". nullopt when unknown.
std::optional<std::string_view> UcumCode(std::string_view unit);

// OBX-8 (table 0078) -> v3-ObservationInterpretation, which carries the same codes.
std::optional<CodeDisplay> Interpretation(std::string_view flag);

// OBX-11 (table 0085) -> Observation.status; empty for an unknown code.
std::string_view ObservationStatus(std::string_view result_status);
// OBR-25 (table 0123) -> DiagnosticReport.status; empty for an unknown or empty code.
std::string_view ReportStatus(std::string_view result_status);
// OBR-24 (table 0074) diagnostic service section display ("CH" -> "Chemistry").
std::string_view DiagnosticServiceDisplay(std::string_view code);

// PID-8 (table 0001) -> AdministrativeGender.
std::string_view Gender(std::string_view sex);
// XPN-7 (table 0200) -> HumanName.use.
std::string_view NameUse(std::string_view name_type);
// PV1-2 (table 0004) -> Encounter.class (v3-ActCode).
std::optional<CodeDisplay> EncounterClass(std::string_view patient_class);
// PID-16 (table 0002) -> v3-MaritalStatus.
std::optional<CodeDisplay> MaritalStatus(std::string_view code);
// XTN-2 (table 0201) and XTN-3 (0202) -> ContactPoint.use ("" when none fits).
std::string_view TelecomUse(std::string_view use_code, std::string_view equipment);
// v2-0203 identifier type display ("MR" -> "Medical record number").
std::string_view IdentifierTypeDisplay(std::string_view type);

}  // namespace hb::lis
