#include "demo/dates.h"

#include <fmt/format.h>

namespace hb::demo {

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
  int age = static_cast<int>(t.year - b.year);
  if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
  return age;
}

}  // namespace hb::demo
