#include "demo/dates.h"

#include <fmt/format.h>

namespace hb::demo {

// http://howardhinnant.github.io/date_algorithms.html#civil_from_days
CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

std::string FormatDate(int64_t days) {
  CivilDate d = CivilFromDays(days);
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
}

std::string FormatDateTime(int64_t days, int minute_of_day) {
  CivilDate d = CivilFromDays(days);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:00+07:00", d.year, d.month, d.day,
                     minute_of_day / 60, minute_of_day % 60);
}

int AgeOn(int64_t birth_day, int64_t on) {
  CivilDate b = CivilFromDays(birth_day);
  CivilDate t = CivilFromDays(on);
  int age = t.year - b.year;
  if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
  return age;
}

}  // namespace hb::demo
