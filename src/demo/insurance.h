// Health-insurance cards (thẻ BHYT) for demo patients.
//
// Card number (shared/reference/README.md §6, Decision 1351/QĐ-BHXH): 2 letters
// beneficiary group, 1 digit benefit level, 2 digits province ("11"), 10 digits
// social-insurance number (mã số BHXH). The group is drawn plausibly for age and
// ethnicity: TE under 6; HS pupils; DT/HN for ethnic minorities in hard-up
// communes and poor households; GD, DN, HC, HT, CN, BT for others. The benefit
// level follows the group (TE 1; HN, DT, BT 2; HT, CN 3; the rest 4).
//
// Contract: pure functions and static tables; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "demo/names.h"
#include "demo/rng.h"

namespace hb::demo {

struct BeneficiaryGroup {
  std::string_view code;  // "DT"
  int benefit_level;      // 1..5
  std::string_view name;  // Vietnamese description
};

// Nullptr for an unknown code.
const BeneficiaryGroup* FindBeneficiaryGroup(std::string_view code);
const BeneficiaryGroup& PickBeneficiaryGroup(int age, Ethnicity ethnicity, Rng& rng);
// Vietnamese wording of a benefit level: "Mức hưởng 2: 100% chi phí trong phạm vi".
std::string_view BenefitLevelName(int level);

// group + level + province2 + bhxh10.
std::string FormatBhytCard(const BeneficiaryGroup& group, std::string_view province2,
                           std::string_view bhxh10);

}  // namespace hb::demo
