// Time: a monotonic-safe wall clock for versioning, and FHIR instant formatting.
//
// Contract: all functions are thread-safe. Timestamps are microseconds since the
// Unix epoch, UTC. FormatInstant renders the FHIR `instant` form with millisecond
// precision and a Z zone ("2026-11-25T17:12:18.123Z").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb {

int64_t NowMicros();
std::string FormatInstant(int64_t micros);
// The calendar date "YYYY-MM-DD" of the instant `micros` at `utc_offset_minutes` from UTC
// (a facility's local day: 420 for Vietnam).
std::string LocalDate(int64_t micros, int utc_offset_minutes);
// A UTC offset as FHIR writes it: 420 -> "+07:00".
std::string UtcOffsetText(int utc_offset_minutes);
// Whether `minutes` is a UTC offset that exists (-14:00 .. +14:00).
inline bool IsValidUtcOffset(int minutes) { return minutes >= -14 * 60 && minutes <= 14 * 60; }
// RFC 7231 IMF-fixdate, for Last-Modified: "Wed, 25 Nov 2026 17:12:18 GMT".
std::string FormatHttpDate(int64_t micros);
// Parses a FHIR date, dateTime or instant ("2020", "2020-01-02T10:00:00+07:00")
// into the earliest microsecond it denotes, UTC. nullopt when malformed.
std::optional<int64_t> ParseFhirDateTime(std::string_view text);

}  // namespace hb
