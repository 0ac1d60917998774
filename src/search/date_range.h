// Date ranges for the date index and date search values.
//
// R4 search §3.1.1.4.2: a date value stands for the whole interval of its precision
// ("2020" is the year, "2020-03-04T10:00" that minute). DateRange turns FHIR date,
// dateTime and instant text into [low, high], microseconds since the epoch UTC, both
// inclusive. Values without a zone are read as UTC. Periods and Timings combine
// such ranges (an open end is kMinTime / kMaxTime).
//
// Thread-safety: pure functions.
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

// nullopt when `text` is not a FHIR date/dateTime/instant.
std::optional<TimeRange> DateRange(std::string_view text);

}  // namespace hb::search
