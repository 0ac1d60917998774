// The demo generator's dates: days since 1970-01-01 (common/civil_date.h does the
// calendar arithmetic) and FHIR date/dateTime text.
//
// Contract: pure functions, thread-safe. No clock is read: the generator
// derives every date from kReferenceDay. dateTime values carry the zone of
// Viet Nam, +07:00, with minute precision and ":00" seconds.
#pragma once

#include <cstdint>
#include <string>

#include "common/civil_date.h"

namespace hb::demo {

// Dates are days since 1970-01-01; common/civil_date.h converts them (CivilFromDays,
// DaysFromCivil), found here unqualified from hb::demo.

// The demo's "today": 2026-01-01. Every generated date lies before it.
inline constexpr int64_t kReferenceDay = DaysFromCivil(2026, 1, 1);

std::string FormatDate(int64_t days);  // "2025-03-14"
// "2025-03-14T08:15:00+07:00"; minute_of_day in [0, 1440).
std::string FormatDateTime(int64_t days, int minute_of_day);
// Whole years between a birth day and `on` (age in completed years).
int AgeOn(int64_t birth_day, int64_t on);

}  // namespace hb::demo
