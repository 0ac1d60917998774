// What the demo's patients suffer from and what they are given: a weighted list
// of common ICD-10 diagnoses in Điện Biên's primary care, with age and sex
// limits, and a small formulary of essential medicines with Vietnamese dosage
// instructions.
//
// Diagnoses are coded in Systems().icd10_vn with the Vietnamese name from
// QĐ 4469 (resources/catalogs/icd10-vn-qd4469.csv), repeated as a WHO ICD-10
// coding (http://hl7.org/fhir/sid/icd-10) without display. Medicines are coded
// with WHO ATC (http://www.whocc.no/atc).
//
// Contract: static tables and pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "demo/names.h"
#include "demo/rng.h"

namespace hb::demo {

struct DiagnosisSpec {
  std::string_view icd;   // dotted ICD-10 code, present in QĐ 4469
  uint32_t weight_child;  // relative frequency under 15
  uint32_t weight_adult;  // from 15
  int min_age, max_age;
  char sex;  // '*', 'F' or 'M'
  bool chronic;
  int fever_percent;                          // chance of a raised temperature at the visit
  int inpatient_percent;                      // chance that the visit is an admission
  std::array<std::string_view, 2> medicines;  // keys into the formulary, empty when none
};

struct MedicineSpec {
  std::string_view key;
  int min_age, max_age;
  std::string_view text;  // product as prescribed in Viet Nam
  std::string_view atc, atc_display;
  std::string_view dose_unit;    // "viên", "gói", "giọt"
  int dose;                      // per administration
  int frequency;                 // administrations per period
  int period;                    // with period_unit
  std::string_view period_unit;  // "d" or "h"
  bool as_needed;
  int days;      // treatment length
  int dispense;  // quantity handed out
  std::string_view dispense_unit;
  bool eye;                      // ophthalmic rather than oral
  std::string_view instruction;  // Vietnamese dosage text
};

std::span<const DiagnosisSpec> Diagnoses();
// Every ICD code the demo uses (for the catalogue lookup).
std::span<const std::string_view> DiagnosisCodes();
// A diagnosis fitting age and sex; never returns one outside its limits.
const DiagnosisSpec& PickDiagnosis(int age, Gender gender, Rng& rng);
const DiagnosisSpec* FindDiagnosis(std::string_view icd);
// The formulary entry for `key` suitable at `age`; nullptr when none.
const MedicineSpec* FindMedicine(std::string_view key, int age);

}  // namespace hb::demo
