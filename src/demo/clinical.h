// A patient's visits: Encounter, Condition, vital-sign Observation and
// MedicationRequest resources.
//
// 0-4 visits per patient over the two years before kReferenceDay, in date order:
// mostly ambulatory (class AMB) at the patient's commune station, some at the
// district centre or the provincial hospital, some admissions (IMP; the last may
// still be in progress). Each visit has 1-2 encounter diagnoses (ICD-10 VN), a
// set of vital signs (temperature, heart rate; blood pressure from age 15;
// weight for children and some adults, LOINC and UCUM, category vital-signs) and
// prescriptions for most diagnoses. A chronic diagnosis tends to come back at
// later visits. Resources reference each other in emission order only:
// Encounter, then its Conditions (encounter), Observations (encounter),
// MedicationRequests (encounter, reasonReference Condition).
//
// Contract: draws only from `rng`; internal to src/demo.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "demo/clinical_catalog.h"
#include "demo/context.h"
#include "demo/patients.h"
#include "demo/rng.h"

namespace hb::demo {

struct Visit {
  std::string id;  // "enc-000001-2"
  const Facility* facility = nullptr;
  bool inpatient = false;
  bool finished = true;
  int64_t start_day = 0;
  int start_minute = 0;
  int64_t end_day = 0;  // meaningful when finished
  int end_minute = 0;
  int age = 0;                             // in years at the start
  const StaffMember* clinician = nullptr;  // prescriber
  const StaffMember* nurse = nullptr;      // takes the vital signs
  std::vector<const DiagnosisSpec*> diagnoses;
  std::vector<std::string> condition_ids;  // parallel to diagnoses
  // MedicationRequests written, with their formulary entries (for the ChargeItems).
  std::vector<std::pair<std::string, const MedicineSpec*>> prescribed;
};

Status EmitClinicalHistory(DemoContext& ctx, const PatientRecord& patient, Rng& rng);

// Parts of EmitClinicalHistory, one file each.
Status EmitVitalSigns(DemoContext& ctx, const PatientRecord& patient, const Visit& visit, Rng& rng);
Status EmitPrescriptions(DemoContext& ctx, const PatientRecord& patient, Visit& visit, Rng& rng);
// ChargeItems, lab results and follow-up Appointments (charges.cpp); draws nothing from rng.
Status EmitCharges(DemoContext& ctx, const PatientRecord& patient, const Visit& visit);

}  // namespace hb::demo
