// Scoring one candidate Patient against what reception knows of a person (the FHIR
// Patient-match grades: https://hl7.org/fhir/R4/patient-operation-match.html).
//
// Deterministic first: an equal CCCD, old CMND (a 12-digit CMND also against the CCCD,
// which replaced it with the same number), insurance-card number or social-insurance
// (BHXH) number makes the match `certain` (score 1). Two different CCCD numbers make it
// `certainly-not` (score 0) whatever else agrees: namesakes born the same day are common.
//
// Otherwise the fields add weights (agreement positive, disagreement negative; a field
// missing on either side adds nothing), after Fellegi-Sunter, with the sizes chosen for
// Vietnamese data (kWeights below; docs/implementation/reception.md explains each):
//   name  exact 8, same words reordered 7, a middle name missing 6, 1-2 typing errors 5,
//         family and last given name 4, else -4
//   birth exact 7, day and month swapped 4, same year and month 3, month and day with a
//         one-digit year error 3, equal at the coarser precision 3.5, same year 2, else -5
//   gender equal 1, different -4;   commune equal 2.5, different -0.5
//   phone one in common 5;  BHXH numbers different -6;  CMND numbers different -1
// score = min(W, 20) / 20, at most 0.99 without an identifier; `probable` from W >= 14 (an
// exact name and birth date), `possible` from W >= 9, below that no match.
//
// Contract: pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reception/patient_features.h"

namespace hb::reception {

enum class MatchGrade { kCertain, kProbable, kPossible, kCertainlyNot, kNone };
// The match-grade code: "certain", "probable", "possible", "certainly-not" ("" for kNone).
std::string_view GradeCode(MatchGrade grade);

struct MatchWeights {
  double name_exact = 8, name_reordered = 7, name_missing_middle = 6, name_typo = 5,
         name_family_and_last = 4, name_differs = -4;
  double birth_exact = 7, birth_swapped = 4, birth_year_month = 3, birth_year_typo = 3,
         birth_coarser_equal = 3.5, birth_year = 2, birth_differs = -5;
  double gender_equal = 1, gender_differs = -4;
  double commune_equal = 2.5, commune_differs = -0.5;
  double phone_equal = 5;
  double bhxh_differs = -6, cmnd_differs = -1;
  double probable_at = 14, possible_at = 9, full_scale = 20;
};
inline constexpr MatchWeights kWeights{};

struct MatchScore {
  double score = 0;   // 0..1
  double weight = 0;  // the summed weight W (demographics)
  MatchGrade grade = MatchGrade::kNone;
  bool identifier_match = false;
  std::vector<std::string> reasons;  // "cccd equal", "name exact", "birth date differs" ...
};

MatchScore ScoreMatch(const PatientFeatures& query, const PatientFeatures& candidate,
                      const MatchWeights& w = kWeights);

// Restricted Damerau-Levenshtein distance between byte strings, capped at `limit` + 1.
int EditDistance(std::string_view a, std::string_view b, int limit);

}  // namespace hb::reception
