#include "search/date_range.h"

#include "fhirpath/datetime.h"

namespace hb::search {

namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

std::optional<TimeRange> DateRange(std::string_view text) {
  auto dt = fhirpath::DateTime::ParseDateTime(text);
  if (!dt) return std::nullopt;
  using P = fhirpath::DateTimePrecision;
  int64_t start =
      DaysFromCivil(dt->year, dt->month, dt->day) * kMicrosPerDay +
      (int64_t{dt->hour} * 3600 + int64_t{dt->minute} * 60 + dt->second) * kMicrosPerSecond +
      dt->nanos / 1000;
  int64_t end = 0;  // exclusive
  switch (dt->precision) {
    case P::kYear:
      end = DaysFromCivil(dt->year + 1, 1, 1) * kMicrosPerDay;
      break;
    case P::kMonth:
      end = (dt->month == 12 ? DaysFromCivil(dt->year + 1, 1, 1)
                             : DaysFromCivil(dt->year, dt->month + 1, 1)) *
            kMicrosPerDay;
      break;
    case P::kDay:
      end = start + kMicrosPerDay;
      break;
    case P::kHour:
      end = start + 3600 * kMicrosPerSecond;
      break;
    case P::kMinute:
      end = start + 60 * kMicrosPerSecond;
      break;
    case P::kSecond:
      end = start + kMicrosPerSecond;
      break;
    case P::kFraction: {
      int64_t unit = 1;
      for (int d = dt->fraction_digits; d < 6; ++d) unit *= 10;
      end = start + unit;
      break;
    }
  }
  if (dt->has_tz) {
    int64_t shift = int64_t{dt->tz_minutes} * 60 * kMicrosPerSecond;
    start -= shift;
    end -= shift;
  }
  return TimeRange{start, end - 1};
}

}  // namespace hb::search
