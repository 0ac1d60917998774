// Ethnic groups of Điện Biên and Vietnamese personal names by group.
//
// Proportions and naming conventions follow shared/reference/README.md §7:
// Thái ~38%, H'Mông ~35%, Kinh ~18%, then Khơ Mú, Dao, Hà Nhì, Lào, Kháng, Cống,
// Si La, Tày and Mường. Codes are the two-digit MA_DANTOC codes of the
// ethnic-group CodeSystem (resources/fhir/vn/CodeSystem-ethnic-group.json).
// A name is family + middle + given ("Lò Văn Ơn"): Thái and most minorities use
// Văn (male) / Thị (female) as middle names, H'Mông and Hà Nhì men usually "A"
// ("Vàng A Dính"), women "Thị"; Kinh names use the common family names.
// Within each group the male and female middle and given names are disjoint, so
// a name determines its gender.
//
// Contract: static tables and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "demo/rng.h"

namespace hb::demo {

enum class Gender { kMale, kFemale };

enum class Ethnicity {
  kThai,
  kHmong,
  kKinh,
  kKhoMu,
  kDao,
  kHaNhi,
  kLao,
  kKhang,
  kCong,
  kSiLa,
  kTay,
  kMuong
};

struct NamingStyle {
  std::span<const std::string_view> family;
  std::span<const uint32_t> family_weights;  // same length as family, or empty for uniform
  std::span<const std::string_view> male_middle;
  std::span<const std::string_view> female_middle;
  std::span<const std::string_view> male_given;
  std::span<const std::string_view> female_given;
  int first_middle_percent = 100;  // chance of middle[0]; otherwise uniform among the rest
};

struct EthnicGroup {
  Ethnicity ethnicity;
  std::string_view code;     // MA_DANTOC, "03"
  std::string_view display;  // as in the CodeSystem, "Thái"
  uint32_t per_mille;        // share of the province's population
  const NamingStyle* style;
};

std::span<const EthnicGroup> EthnicGroups();
const EthnicGroup& GroupOf(Ethnicity ethnicity);
// Nullptr when the code names no group of the demo.
const EthnicGroup* GroupByCode(std::string_view code);
Ethnicity PickEthnicity(Rng& rng);

struct PersonName {
  std::string family;
  std::string middle;
  std::string given;
  std::string Full() const { return family + " " + middle + " " + given; }
};

PersonName MakeName(Ethnicity ethnicity, Gender gender, Rng& rng);
// True when middle and given name belong to `gender`'s lists of the group.
bool NameFitsGender(Ethnicity ethnicity, Gender gender, std::string_view middle,
                    std::string_view given);

// Village names ("Bản Huổi Phạ") in the style of a group's settlements.
std::string_view PickVillage(Ethnicity ethnicity, Rng& rng);

}  // namespace hb::demo
