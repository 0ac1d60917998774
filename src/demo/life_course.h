// The lifelong scope of the generator (DemoOptions::lifelong, `healthbook synth`):
// what happens to a person between birth and kReferenceDay (or death) beyond the
// illness visits of clinical.cpp. docs/implementation/synth.md gives the model and
// the sources of its proportions.
//
//   DrawDeath       whether and when the patient died (a share rising with age), from
//                   the patient's own "death" stream;
//   PlanLife        the visits of a life, in any order: illness visits at a yearly rate
//                   by age, the birth (facility births: an admission of the newborn,
//                   Z38.0), pregnancies (antenatal visits Z34.9, delivery O80.0,
//                   postnatal visit Z39.2);
//   FollowUps       the follow-up visits a new chronic diagnosis brings (hypertension
//                   and diabetes quarterly for two years, tuberculosis monthly for six
//                   months);
//   EmitLabPanels   LOINC lab panels of a visit: HbA1c, lipids and creatinine at
//                   chronic follow-ups, haemoglobin, urinalysis, HBsAg and HIV screening
//                   at the first antenatal visit;
//   EmitImmunizations  the national expanded immunisation programme (Tiêm chủng mở rộng,
//                   TCMR) for each birth cohort as it was then, and tetanus-diphtheria
//                   (Td) in pregnancy;
//   EmitDeath       the cause-of-death Observation (LOINC 69453-9, ICD-10).
//
// Contract: internal to src/demo; reentrant; every draw comes from the Rng passed in,
// so a patient's life depends only on (seed, patient number).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "demo/clinical.h"
#include "demo/clinical_catalog.h"
#include "demo/context.h"
#include "demo/patients.h"
#include "demo/rng.h"

namespace hb::demo {

void DrawDeath(const DemoContext& ctx, PatientRecord& p);
// The minute of the day of death (a hash of the patient number, no draw).
int DeathMinute(const PatientRecord& p);

// ICD-10 codes the lifelong scope uses beyond Diagnoses(): newborn, postnatal, causes of death.
std::span<const std::string_view> LifeCourseCodes();

struct PlannedVisit {
  int64_t day = 0;
  VisitKind kind = VisitKind::kIllness;
  const DiagnosisSpec* diagnosis = nullptr;  // nullptr: drawn at the visit
  int facility = -1;                         // -1 drawn; 0 station, 1 district centre, 2 hospital
  bool outpatient = false;                   // never an admission
  int follow_up = 0;                         // 1, 2, ... for chronic follow-ups
};

std::vector<PlannedVisit> PlanLife(const PatientRecord& p, Rng& rng);
// The follow-ups of a chronic diagnosis first made on `day`; empty for others.
std::vector<PlannedVisit> FollowUps(const PatientRecord& p, const DiagnosisSpec& d, int64_t day,
                                    Rng& rng);

Status EmitLabPanels(DemoContext& ctx, const PatientRecord& p, const Visit& v);
// `td_days`: the first antenatal visit of each pregnancy (Td doses are given there).
Status EmitImmunizations(DemoContext& ctx, const PatientRecord& p,
                         const std::vector<int64_t>& td_days, Rng& rng);
Status EmitDeath(DemoContext& ctx, const PatientRecord& p);

}  // namespace hb::demo
