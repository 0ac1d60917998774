// Calendar arithmetic on DateTime components (internal to hb_fhirpath): proleptic Gregorian
// days (Howard Hinnant's civil-from-days algorithms), local seconds since the epoch, and
// clearing the components below a value's precision.
#pragma once

#include <cstdint>

#include "common/civil_date.h"
#include "fhirpath/datetime.h"

namespace hb::fhirpath::internal {

inline constexpr int64_t kNanosPerSecond = 1000000000;

inline int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

using ::hb::DaysFromCivil;
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d);
int DaysInMonth(int y, int m);
// Seconds since the epoch of the zone-less components (filled past the precision).
int64_t LocalSeconds(const DateTime& v);
// Sets year ... second from local seconds since the epoch.
void SetFromLocalSeconds(DateTime& v, int64_t secs);
// Resets the components below v.precision (and the zone of a value without a time).
void ClearBelow(DateTime& v);

}  // namespace hb::fhirpath::internal
