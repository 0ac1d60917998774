// Citizen-ID (CCCD) and old ID-card (CMND) numbers for demo people.
//
// Structure (shared/reference/README.md §2, Circular 59/2021/TT-BCA): 3 digits
// province of birth registration (Điện Biên 011), 1 digit century and gender
// (0/1 male/female born 1900-1999, 2/3 born 2000-2099), 2 digits year of birth,
// 6 digits serial. Old CMND numbers of Điện Biên (formerly Lai Châu) begin 040.
//
// Contract: thread-compatible; an IdNumberPool remembers the numbers it issued
// and never issues one twice.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "demo/names.h"
#include "demo/rng.h"

namespace hb::demo {

// "011" + century/gender digit + 2-digit year + `serial` (6 digits).
std::string FormatCccd(std::string_view province3, Gender gender, int birth_year, uint32_t serial);
// True when `cccd` is 12 digits whose 4th to 6th digits agree with the gender
// and the birth year (1900-2099).
bool CccdMatches(std::string_view cccd, Gender gender, int birth_year);

// The province-of-birth code for someone living in Điện Biên: 011 for most,
// a lowland province of origin for some Kinh.
std::string_view PickBirthProvince(Ethnicity ethnicity, Rng& rng);

class IdNumberPool {
 public:
  std::string NewCccd(std::string_view province3, Gender gender, int birth_year, Rng& rng);
  std::string NewCmnd(Rng& rng);  // "040" + 6 digits
  // `prefix` + random digits up to `length`, unique in this pool.
  std::string NewNumber(std::string_view prefix, size_t length, Rng& rng);

 private:
  std::unordered_set<std::string> issued_;
};

}  // namespace hb::demo
