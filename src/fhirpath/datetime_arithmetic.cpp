// Date and time arithmetic with calendar durations, and lowBoundary()/highBoundary():
// http://hl7.org/fhirpath/N1/#datetime-arithmetic
#include <algorithm>

#include "fhirpath/calendar.h"
#include "fhirpath/datetime.h"

namespace hb::fhirpath {

namespace {

using P = DateTimePrecision;
using internal::ClearBelow;
using internal::DaysInMonth;
using internal::FloorDiv;
using internal::kNanosPerSecond;
using internal::LocalSeconds;
using internal::SetFromLocalSeconds;

std::optional<P> PrecisionFromDigits(DateTime::Kind kind, int digits) {
  if (kind == DateTime::Kind::kTime) {
    switch (digits) {
      case 2:
        return P::kHour;
      case 4:
        return P::kMinute;
      case 6:
        return P::kSecond;
      case 9:
        return P::kFraction;
      default:
        return std::nullopt;
    }
  }
  switch (digits) {
    case 4:
      return P::kYear;
    case 6:
      return P::kMonth;
    case 8:
      return P::kDay;
    default:
      break;
  }
  if (kind == DateTime::Kind::kDate) return std::nullopt;
  switch (digits) {
    case 10:
      return P::kHour;
    case 12:
      return P::kMinute;
    case 14:
      return P::kSecond;
    case 17:
      return P::kFraction;
    default:
      return std::nullopt;
  }
}

std::optional<DateTime> Boundary(const DateTime& v, int digits, bool high) {
  auto p = PrecisionFromDigits(v.kind, digits);
  if (!p) return std::nullopt;
  DateTime r = v;
  // An hour alone is not a FHIR time: read "T08" as "T08:00".
  if (r.kind == DateTime::Kind::kDateTime && r.precision == P::kHour) r.precision = P::kMinute;
  if (r.precision < P::kMonth) r.month = high ? 12 : 1;
  if (r.precision < P::kDay) r.day = high ? static_cast<uint8_t>(DaysInMonth(r.year, r.month)) : 1;
  if (r.precision < P::kHour) r.hour = high ? 23 : 0;
  if (r.precision < P::kMinute) r.minute = high ? 59 : 0;
  if (r.precision < P::kSecond) r.second = high ? 59 : 0;
  if (r.precision < P::kFraction) r.nanos = high ? 999000000 : 0;
  r.fraction_digits = 3;
  if (r.kind == DateTime::Kind::kDateTime && !r.has_tz) {
    r.has_tz = true;
    r.tz_z = false;
    r.tz_minutes = high ? -12 * 60 : 14 * 60;
  }
  r.precision = *p;
  ClearBelow(r);
  return r;
}

}  // namespace

std::optional<DateTime> AddDuration(const DateTime& v, int64_t amount, std::string_view unit) {
  DateTime r = v;
  bool time = v.kind == DateTime::Kind::kTime;
  if (unit == "year" || unit == "month") {
    if (time) return std::nullopt;
    int64_t months =
        static_cast<int64_t>(v.year) * 12 + (v.month - 1) + (unit == "year" ? amount * 12 : amount);
    int64_t y = months / 12;
    if (y < 1 || y > 9999) return std::nullopt;
    r.year = static_cast<int16_t>(y);
    r.month = static_cast<uint8_t>(months % 12 + 1);
    r.day = static_cast<uint8_t>(std::min<int>(r.day, DaysInMonth(r.year, r.month)));
    return r;
  }
  int64_t secs = 0, nanos = 0;
  if (unit == "week")
    secs = amount * 7 * 86400;
  else if (unit == "day")
    secs = amount * 86400;
  else if (unit == "hour")
    secs = amount * 3600;
  else if (unit == "minute")
    secs = amount * 60;
  else if (unit == "second")
    secs = amount;
  else if (unit == "millisecond")
    secs = amount / 1000, nanos = amount % 1000 * 1000000;
  else
    return std::nullopt;
  if (time && (unit == "week" || unit == "day")) return std::nullopt;
  int64_t total_nanos = v.nanos + nanos;
  int64_t carry = FloorDiv(total_nanos, kNanosPerSecond);
  total_nanos -= carry * kNanosPerSecond;
  secs += carry;
  if (time) {
    int64_t day_secs = (v.hour * 3600 + v.minute * 60 + v.second + secs) % 86400;
    if (day_secs < 0) day_secs += 86400;
    r.hour = static_cast<uint8_t>(day_secs / 3600);
    r.minute = static_cast<uint8_t>(day_secs / 60 % 60);
    r.second = static_cast<uint8_t>(day_secs % 60);
  } else {
    SetFromLocalSeconds(r, LocalSeconds(v) + secs);
    if (r.year < 1 || r.year > 9999) return std::nullopt;
  }
  r.nanos = static_cast<int32_t>(total_nanos);
  ClearBelow(r);
  return r;
}

std::optional<DateTime> LowBoundary(const DateTime& v, int digits) {
  return Boundary(v, digits, false);
}

std::optional<DateTime> HighBoundary(const DateTime& v, int digits) {
  return Boundary(v, digits, true);
}

}  // namespace hb::fhirpath
