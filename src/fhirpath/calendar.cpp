// Calendar helpers shared by the DateTime files (internal to hb_fhirpath).
#include "fhirpath/calendar.h"

#include "common/civil_date.h"

namespace hb::fhirpath::internal {

using P = DateTimePrecision;

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  const CivilDate c = ::hb::CivilFromDays(z);
  y = c.year;
  m = c.month;
  d = c.day;
}

int DaysInMonth(int y, int m) {
  return static_cast<int>(::hb::DaysInMonth(y, static_cast<unsigned>(m)));
}

// Seconds since the epoch of the local (zone-less) components, filled past the precision.
int64_t LocalSeconds(const DateTime& v) {
  return DaysFromCivil(v.year, v.month, v.day) * 86400 + v.hour * 3600 + v.minute * 60 + v.second;
}

void SetFromLocalSeconds(DateTime& v, int64_t secs) {
  int64_t days = FloorDiv(secs, 86400);
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  v.year = static_cast<int16_t>(y);
  v.month = static_cast<uint8_t>(m);
  v.day = static_cast<uint8_t>(d);
  v.hour = static_cast<uint8_t>(rem / 3600);
  v.minute = static_cast<uint8_t>(rem / 60 % 60);
  v.second = static_cast<uint8_t>(rem % 60);
}

void ClearBelow(DateTime& v) {
  if (v.precision < P::kMonth) v.month = 1;
  if (v.precision < P::kDay) v.day = 1;
  if (v.precision < P::kHour) v.hour = 0;
  if (v.precision < P::kMinute) v.minute = 0;
  if (v.precision < P::kSecond) v.second = 0;
  if (v.precision < P::kFraction) v.nanos = 0, v.fraction_digits = 0;
  if (v.precision < P::kHour && v.kind != DateTime::Kind::kTime) v.has_tz = false;
}

}  // namespace hb::fhirpath::internal
