#include "search/date_range.h"

#include <atomic>

#include "common/civil_date.h"
#include "fhirpath/datetime.h"

namespace hb::search {

namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

std::atomic<int> zoneless_offset{0};

}  // namespace

int ZonelessOffsetMinutes() { return zoneless_offset.load(std::memory_order_relaxed); }

void SetZonelessOffsetMinutes(int minutes) {
  zoneless_offset.store(minutes, std::memory_order_relaxed);
}

std::optional<TimeRange> DateRange(std::string_view text) {
  return DateRange(text, ZonelessOffsetMinutes());
}

std::optional<TimeRange> DateRange(std::string_view text, int zoneless_offset_minutes) {
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
  // Local time t at UTC + offset is t - offset in UTC.
  const int offset = dt->has_tz ? dt->tz_minutes : zoneless_offset_minutes;
  const int64_t shift = int64_t{offset} * 60 * kMicrosPerSecond;
  start -= shift;
  end -= shift;
  return TimeRange{start, end - 1};
}

}  // namespace hb::search
