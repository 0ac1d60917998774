// Date ranges for the date index and date search values.
//
// R4 search §3.1.1.4.2: a date value stands for the whole interval of its precision
// ("2020" is the year, "2020-03-04T10:00" that minute). DateRange turns FHIR date,
// dateTime and instant text into [low, high], microseconds since the epoch UTC, both
// inclusive. Periods and Timings combine such ranges (an open end is kMinTime / kMaxTime).
//
// A value without a zone (a date, or a search value such as `date=2024-03-15T08:00`) is
// read in the server's time zone, as R4 search §3.1.1.4.2 says: a lab result at
// 2024-03-15T06:30:00+07:00 was made on the 15th for a Vietnamese clinic although it is
// still the 14th in UTC. The offset is the store's (app/store_factory.cpp): fixed when
// the store's index was first built, since the index and the queries must read zone-less
// values alike; `healthbook reindex` moves a store to the configured one.
//
// Thread-safety: DateRange is a pure function of its text and the offset; the offset is
// one process-wide atomic value (one store per process).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace hb::search {

inline constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max();

struct TimeRange {
  int64_t low = kMinTime;
  int64_t high = kMaxTime;
};

// nullopt when `text` is not a FHIR date/dateTime/instant. Zone-less values are read at
// ZonelessOffsetMinutes().
std::optional<TimeRange> DateRange(std::string_view text);
// The same with zone-less values read at UTC + `zoneless_offset_minutes`.
std::optional<TimeRange> DateRange(std::string_view text, int zoneless_offset_minutes);

// The UTC offset, in minutes, at which DateRange reads values without a zone: 0 (UTC)
// until set; +420 for Vietnam.
int ZonelessOffsetMinutes();
void SetZonelessOffsetMinutes(int minutes);

}  // namespace hb::search
