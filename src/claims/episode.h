// Everything a claim is made of, read from the store for one Encounter: the FHIR
// resources of the episode, parsed, and the few facts about other resources the tables
// need (facility codes, practitioner licences).
//
// Which resources (docs/implementation/claims-xml.md has the field-by-field mapping):
//   Encounter, its subject Patient, the patient's insurance Coverage in force at the start;
//   the Organization that provides the service (MA_CSKCB) and the one the patient is
//   registered with (Patient.generalPractitioner, MA_DKBD);
//   Condition, MedicationRequest, Observation, DiagnosticReport, ServiceRequest
//   (referrals) with encounter = it; ChargeItem, MedicationDispense and
//   MedicationAdministration with context = it; Appointment with supportingInformation =
//   it (follow-up visits).
//
// Contract: a value type owning its parsed documents; thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fhir/json.h"

namespace hb::claims {

enum class FacilityLevel { kCentral, kProvince, kDistrict, kCommune };

struct FacilityFacts {
  std::string id;    // Organization id
  std::string code;  // MA_CSKCB
  std::string name;
  FacilityLevel level = FacilityLevel::kDistrict;
};

struct PractitionerFacts {
  std::string licence;  // chứng chỉ hành nghề, the tables' MA_BAC_SI
  std::string name;
};

struct Episode {
  fhir::JsonDoc encounter;
  fhir::JsonDoc patient;
  std::optional<fhir::JsonDoc> coverage;
  FacilityFacts facility;    // Encounter.serviceProvider
  FacilityFacts registered;  // Patient.generalPractitioner: the card's MA_DKBD
  std::vector<fhir::JsonDoc> conditions;
  std::vector<fhir::JsonDoc> charge_items;
  std::vector<fhir::JsonDoc> medication_requests;
  std::vector<fhir::JsonDoc> medication_dispenses;
  std::vector<fhir::JsonDoc> medication_administrations;
  std::vector<fhir::JsonDoc> observations;
  std::vector<fhir::JsonDoc> diagnostic_reports;
  std::vector<fhir::JsonDoc> referrals;                    // ServiceRequest
  std::vector<fhir::JsonDoc> appointments;                 // follow-up
  std::map<std::string, PractitionerFacts> practitioners;  // by Practitioner id
  std::map<std::string, FacilityFacts> organizations;      // other facilities, by id

  std::string_view encounter_id() const { return fhir::MemberString(encounter, "id"); }
  const PractitionerFacts* Practitioner(std::string_view id) const;
};

// Whether the encounter is an admission (class IMP, ACUTE, NONAC or SS).
bool IsInpatient(const Episode& e);

// Facility level from Organization.type text ("Trạm y tế tuyến xã", "... tuyến huyện",
// "... tuyến tỉnh", "trung ương"); district when the text says none of these.
FacilityLevel LevelFromTypeText(std::string_view text);

}  // namespace hb::claims
