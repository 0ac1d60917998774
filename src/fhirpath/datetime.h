// DateTime: the partial-precision Date, DateTime and Time values of FHIRPath.
//
// http://hl7.org/fhirpath/N1/#datetime: a value knows the precision it was written with
// (`@2015-02`, `@T14:34`). Comparison works component by component down to the coarser of
// the two precisions; when all of those are equal and the precisions differ the answer is
// unknown (nullopt, the empty result). Seconds and their fraction are one component, so
// 10:30:00 = 10:30:00.0. When only one side has a time zone, the other is taken as any zone
// from -12:00 to +14:00 and the answer is unknown when the two ranges overlap.
// Arithmetic adds calendar durations (years, months, weeks, days, hours, ... milliseconds).
//
// Thread-safety: a value type; functions are pure and reentrant, no allocation.
// Failure modes: Parse* return nullopt on malformed or impossible dates (2023-02-30).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb::fhirpath {

enum class DateTimePrecision : uint8_t {
  kYear = 1,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kFraction,  // seconds with a fraction (milliseconds or finer)
};

struct DateTime {
  enum class Kind : uint8_t { kDate, kDateTime, kTime };

  Kind kind = Kind::kDateTime;
  DateTimePrecision precision = DateTimePrecision::kYear;
  int16_t year = 1;
  uint8_t month = 1, day = 1, hour = 0, minute = 0, second = 0;
  uint8_t fraction_digits = 0;  // as written, 1..9, when precision is kFraction
  int32_t nanos = 0;
  bool has_tz = false;
  bool tz_z = false;       // written as "Z"
  int16_t tz_minutes = 0;  // offset east of UTC

  // "2015", "2015-02-04" (no time).
  static std::optional<DateTime> ParseDate(std::string_view text);
  // "2015", "2015-02-04T14", "2015-02-04T14:34:28.123+10:00"; `allow_bare_t` accepts the
  // literal forms "2015T" and "2015-02-04T".
  static std::optional<DateTime> ParseDateTime(std::string_view text, bool allow_bare_t = false);
  // "14", "14:34", "14:34:28.123" (no zone).
  static std::optional<DateTime> ParseTime(std::string_view text);

  // ISO text without '@' (and without 'T' for a Time): "2015-02-04T14:34:28.123+10:00".
  std::string ToString() const;
  // FHIRPath precision(): digits in the value (2015 -> 4, T10:30 -> 4, ...T10:30:00.000 -> 17).
  int PrecisionDigits() const;
  bool HasTime() const { return precision >= DateTimePrecision::kHour; }
};

// A Date becomes a DateTime of the same precision (for comparison with a DateTime).
DateTime AsDateTime(const DateTime& d);

// -1/0/1, or nullopt when unknown (see above). Both must be Time, or both Date/DateTime.
std::optional<int> Compare(const DateTime& a, const DateTime& b);
// Equivalence: same precision and equal values.
bool Equivalent(const DateTime& a, const DateTime& b);

// Adds `amount` of a calendar unit. `unit` is one of "year", "month", "week", "day", "hour",
// "minute", "second", "millisecond" (singular); fractions of `amount` are dropped. nullopt
// when the unit does not apply (years on a Time) or the result leaves years 1..9999.
std::optional<DateTime> AddDuration(const DateTime& v, int64_t amount, std::string_view unit);

// lowBoundary()/highBoundary(): the earliest/latest value within the given precision
// (digits, as PrecisionDigits), zones filled with +14:00 / -12:00. nullopt for a precision
// the kind does not have.
std::optional<DateTime> LowBoundary(const DateTime& v, int precision_digits);
std::optional<DateTime> HighBoundary(const DateTime& v, int precision_digits);


// The current date, time and dateTime for today()/now()/timeOfDay(); `micros` since the
// epoch, in the zone whose offset (minutes east) is given.
DateTime DateTimeFromMicros(int64_t micros, int tz_minutes);

}  // namespace hb::fhirpath
