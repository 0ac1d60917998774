// The checks made when a drug is prescribed (issue 7): allergies of the patient, the same
// active ingredient twice, more than the maximum daily dose of an ingredient, and listed
// interactions. Each finding is a warning that the prescriber may override with a reason
// (extension kOverrideReasonUrl on the MedicationRequest); the server refuses a
// MedicationRequest with findings and no reason.
//
// Contract: pure functions over parsed resources; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clinical/formulary.h"
#include "fhir/json.h"

namespace hb::clinical {

inline constexpr std::string_view kOverrideReasonUrl =
    "http://healthbook.vn/fhir/StructureDefinition/override-reason";

// One drug line of a prescription, read from a MedicationRequest.
struct PrescribedItem {
  std::string label;      // "MedicationRequest/abc" or "resource[0]"
  std::string drug_code;  // the catalogue code (MA_NOI_BO)
  std::string display;
  std::optional<double> units_per_day;  // from dosageInstruction (dose × frequency / period)
  std::string override_reason;          // the override-reason extension, empty when absent
};

// Reads a MedicationRequest: the catalogue code of medicationCodeableConcept (any system;
// the first coding the formulary knows wins), the daily quantity of its dosage.
PrescribedItem ItemFromMedicationRequest(const fhir::JsonValue& mr, const Formulary& formulary,
                                         std::string label);

// An allergy or intolerance of the patient (an active AllergyIntolerance).
struct AllergyFact {
  std::vector<std::string> codes;  // ATC codes (a class such as J01C matches its members) or catalogue codes
  std::string text;                // what was recorded, for matching by name and for messages
  std::string criticality;
};
AllergyFact AllergyFromResource(const fhir::JsonValue& allergy);

struct PrescriptionFinding {
  std::string kind;  // allergy | duplicate-ingredient | max-daily-dose | interaction
  std::string message;  // Vietnamese
  size_t item = 0;      // index into `items`
};

// `items`: the drugs being prescribed (findings are reported against them); `others`: the
// patient's other active prescriptions (the rest of this prescription included when its
// lines were stored earlier), for duplicates, cumulative daily doses and interactions.
std::vector<PrescriptionFinding> CheckPrescription(const Formulary& formulary,
                                                   const std::vector<PrescribedItem>& items,
                                                   const std::vector<PrescribedItem>& others,
                                                   const std::vector<AllergyFact>& allergies);

}  // namespace hb::clinical
