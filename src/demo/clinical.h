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

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "demo/clinical_catalog.h"
#include "demo/context.h"
#include "demo/json_writer.h"
#include "demo/patients.h"
#include "demo/rng.h"

namespace hb::demo {

// Why a visit happens: illness (the demo's only kind), or a planned event of the lifelong
// scope (life_course.h).
enum class VisitKind { kIllness, kBirth, kAntenatal, kDelivery, kPostnatal, kFollowUp };

struct Visit {
  std::string id;  // "enc-000001-2"
  VisitKind kind = VisitKind::kIllness;
  int follow_up = 0;  // the how-many-th follow-up of a chronic condition; 0 otherwise
  int pregnancy_visit = 0;  // 1 for the first antenatal visit of a pregnancy
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

// The lifelong scope (ctx.lifelong) plans a whole life (life_course.h) and adds lab
// panels, immunisations and the cause of death; the demo's two years draw the same way
// as always.
Status EmitClinicalHistory(DemoContext& ctx, const PatientRecord& patient, Rng& rng);

// A laboratory Observation of the visit (category laboratory, LOINC `loinc`, performed by
// the visit's nurse at `minute`, issued 45 minutes later); `value` writes value[x] or
// component.
std::string LabObservationJson(const PatientRecord& p, const Visit& v, std::string_view id,
                               std::string_view loinc, std::string_view display,
                               std::string_view text, int minute,
                               const std::function<void(JsonWriter&)>& value);

// "key": an ICD-10 diagnosis coded in Systems().icd10_vn (with the Vietnamese name) and in
// WHO ICD-10, text the Vietnamese name.
void WriteIcdConcept(JsonWriter& w, std::string_view key, const DemoContext& ctx,
                     const IcdEntry& icd);

// A member of the facility's staff who prescribes (or does not); nullptr when none.
const StaffMember* PickStaff(const DemoContext& ctx, const Facility& f, bool prescriber, Rng& rng);

// Parts of EmitClinicalHistory, one file each.
Status EmitVitalSigns(DemoContext& ctx, const PatientRecord& patient, const Visit& visit, Rng& rng);
Status EmitPrescriptions(DemoContext& ctx, const PatientRecord& patient, Visit& visit, Rng& rng);
// ChargeItems, lab results and follow-up Appointments (charges.cpp); draws nothing from rng.
Status EmitCharges(DemoContext& ctx, const PatientRecord& patient, const Visit& visit);

}  // namespace hb::demo
