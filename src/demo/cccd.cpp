#include "demo/cccd.h"

#include <fmt/format.h>

namespace hb::demo {

namespace {

int CenturyGenderDigit(Gender gender, int birth_year) {
  const int century = (birth_year / 100) - 19;  // 1900s -> 0, 2000s -> 1
  return century * 2 + (gender == Gender::kFemale ? 1 : 0);
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string FormatCccd(std::string_view province3, Gender gender, int birth_year, uint32_t serial) {
  return fmt::format("{}{}{:02d}{:06d}", province3, CenturyGenderDigit(gender, birth_year),
                     birth_year % 100, serial % 1000000);
}

bool CccdMatches(std::string_view cccd, Gender gender, int birth_year) {
  if (cccd.size() != 12 || !AllDigits(cccd)) return false;
  if (birth_year < 1900 || birth_year > 2099) return false;
  if (cccd[3] - '0' != CenturyGenderDigit(gender, birth_year)) return false;
  return (cccd[4] - '0') * 10 + (cccd[5] - '0') == birth_year % 100;
}

std::string_view PickBirthProvince(Ethnicity ethnicity, Rng& rng) {
  // Thái Bình, Nam Định, Hưng Yên, Hải Dương, Thanh Hóa, Hà Nội: where many Kinh
  // settlers of the 1950s-1990s came from; Sơn La and Lai Châu for neighbours.
  static constexpr std::string_view kKinhOrigins[] = {"034", "036", "033", "030", "038", "001"};
  static constexpr std::string_view kNeighbours[] = {"014", "012"};
  if (ethnicity == Ethnicity::kKinh && rng.Percent(30))
    return kKinhOrigins[rng.Below(std::size(kKinhOrigins))];
  if (rng.Percent(3)) return kNeighbours[rng.Below(std::size(kNeighbours))];
  return "011";
}

std::string IdNumberPool::NewCccd(std::string_view province3, Gender gender, int birth_year,
                                  Rng& rng) {
  while (true) {
    std::string id =
        FormatCccd(province3, gender, birth_year, static_cast<uint32_t>(rng.Below(1000000)));
    if (issued_.insert(id).second) return id;
  }
}

std::string IdNumberPool::NewCmnd(Rng& rng) { return NewNumber("040", 9, rng); }

std::string IdNumberPool::NewNumber(std::string_view prefix, size_t length, Rng& rng) {
  while (true) {
    std::string id(prefix);
    while (id.size() < length) id.push_back(static_cast<char>('0' + rng.Below(10)));
    if (issued_.insert(id).second) return id;
  }
}

}  // namespace hb::demo
