// Dates as ID-card QR payloads print them, and their ISO 8601 (FHIR `date`) form.
//
//   ParseCompactDate("15031990", ...) -> 1990-03-15      (CCCD: ddMMyyyy)
//   ParseSlashedDate("15/03/1990", ...) -> 1990-03-15    (BHYT: dd/MM/yyyy)
//   ParseSlashedDate("1990", ..., allow_partial) -> 1990 (BHYT: year only)
//
// People whose day or month of birth is unknown carry zeros there, as the claim
// tables do ("00/00/1990", "00001990"); with allow_partial those parse to a date
// of year or month precision, and ToIso() writes "1990" or "1990-03", both valid
// FHIR dates. A zero month with a non-zero day is always rejected.
//
// Failure: a non-OK Status (ErrorCode::kMalformedCardQr) whose message names
// the field (`what`, e.g. "birth date (field 4)") and the exact fault: the wrong
// shape ("must be 8 digits ddMMyyyy, got 7 digits"), a day or month that does not
// exist ("February 2000 has 29 days"), a year outside 1900-2199.
// Contract: pure functions, thread-safe.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::identity {

struct CardDate {
  int year = 0;
  int month = 0;  // 1..12, 0 when unknown
  int day = 0;    // 1..31, 0 when unknown

  bool complete() const { return month != 0 && day != 0; }
  // "1990-03-15", "1990-03" or "1990".
  std::string ToIso() const;
  friend auto operator<=>(const CardDate&, const CardDate&) = default;
};

Result<CardDate> ParseCompactDate(std::string_view text, std::string_view what, bool allow_partial);
Result<CardDate> ParseSlashedDate(std::string_view text, std::string_view what, bool allow_partial);

}  // namespace hb::identity
