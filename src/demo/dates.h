// Calendar arithmetic for the demo generator: days since 1970-01-01 (proleptic
// Gregorian, H. Hinnant's algorithms) and FHIR date/dateTime text.
//
// Contract: pure functions, thread-safe. No clock is read: the generator
// derives every date from kReferenceDay. dateTime values carry the zone of
// Viet Nam, +07:00, with minute precision and ":00" seconds.
#pragma once

#include <cstdint>
#include <string>

namespace hb::demo {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// http://howardhinnant.github.io/date_algorithms.html#days_from_civil
constexpr int64_t DaysFromCivil(int year, int month, int day) {
  const int64_t y = year - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
CivilDate CivilFromDays(int64_t days);

// The demo's "today": 2026-01-01. Every generated date lies before it.
inline constexpr int64_t kReferenceDay = DaysFromCivil(2026, 1, 1);

std::string FormatDate(int64_t days);  // "2025-03-14"
// "2025-03-14T08:15:00+07:00"; minute_of_day in [0, 1440).
std::string FormatDateTime(int64_t days, int minute_of_day);
// Whole years between a birth day and `on` (age in completed years).
int AgeOn(int64_t birth_day, int64_t on);

}  // namespace hb::demo
