// Demo patients: Patient and, for the insured (~90%), Coverage.
//
// Each patient: an ethnic group by the province's proportions, a name in that
// group's convention with a consistent gender, a birth date from a young age
// pyramid, a personal ID number (Systems().cccd, structure of reference §2,
// unique), an old 9-digit CMND for some adults, a home in a real commune
// (districts weighted by where each group lives), a mobile phone for some, the
// ethnicity extension, and the commune station as managingOrganization and
// generalPractitioner. The insured carry the insurance card number and the
// social-insurance number as identifiers, and a Coverage paid by org-bhxh-vn.
//
// In the lifelong scope (ctx.lifelong) some die (Patient.deceasedDateTime, drawn
// from the patient's own "death" stream, DrawDeath in life_course.h), and the
// insured also get a Coverage per earlier year of their card (cov-000001-2019...),
// each expiring on 31 December.
//
// Contract: MakePatient draws from `rng` only (plus ctx.ids for uniqueness) and
// emits Patient then Coverage.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "demo/context.h"
#include "demo/names.h"
#include "demo/rng.h"

namespace hb::demo {

struct PatientRecord {
  std::string id;    // "pat-000001"
  std::string name;  // full name
  Gender gender = Gender::kMale;
  Ethnicity ethnicity = Ethnicity::kThai;
  int64_t birth_day = 0;  // days since 1970-01-01
  int district = 0;       // indexes into ctx.province
  int commune = 0;
  bool insured = false;
  int number = 0;          // the 1-based patient number
  bool deceased = false;   // lifelong scope only
  int64_t death_day = 0;   // when deceased
  // The end of the record: the day of death, or kReferenceDay.
  int64_t EndDay() const;
};

// `number` is 1-based: the patient's id is pat-<number, 6 digits>.
Result<PatientRecord> EmitPatient(DemoContext& ctx, int number, Rng& rng);

}  // namespace hb::demo
