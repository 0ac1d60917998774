// Calendar helpers shared by the DateTime files (internal to hb_fhirpath).
#include "fhirpath/calendar.h"

namespace hb::fhirpath {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace internal {

using P = DateTimePrecision;

// Howard Hinnant's civil_from_days.
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
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

}  // namespace internal
}  // namespace hb::fhirpath
