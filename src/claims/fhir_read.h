// Small readers over FHIR JSON (fhir/json.h) for the table mappings: paths, codings,
// identifiers, references, and FHIR dates to the tables' formats in Viet Nam time.
//
// Dates: FHIR dateTimes carry a zone; the tables carry local time (UTC+7, no daylight
// saving), so a dateTime in another zone is converted, and a date without a time reads as
// midnight. Contract: pure functions; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "fhir/json.h"

namespace hb::claims {

// The value at a path of object members; nullptr when any step is missing.
const fhir::JsonValue* At(const fhir::JsonValue& v, std::initializer_list<std::string_view> path);
// The string at a path ("" when absent or not a string).
std::string_view Str(const fhir::JsonValue& v, std::initializer_list<std::string_view> path);
// The number text at a path ("" when absent), e.g. "38.5".
std::string_view Num(const fhir::JsonValue& v, std::initializer_list<std::string_view> path);
// The first element of an array member, or nullptr.
const fhir::JsonValue* First(const fhir::JsonValue& v, std::string_view array);

// The code of the first coding of `concept` in `system` ("" when none; any system when
// `system` is empty).
std::string_view CodeIn(const fhir::JsonValue* cc, std::string_view system = {});
// CodeableConcept.text, else the first coding's display.
std::string_view ConceptText(const fhir::JsonValue* cc);
// The value of the first identifier in `system` of a resource ("" when none).
std::string_view IdentifierIn(const fhir::JsonValue& resource, std::string_view system);
// "Patient/123" -> "123" when the type matches ("" otherwise).
std::string_view RefId(const fhir::JsonValue* reference, std::string_view type);

// FHIR date or dateTime -> yyyyMMddHHmm (Viet Nam time); "" when malformed or empty.
std::string TableDateTime(std::string_view fhir);
// -> yyyyMMdd (Viet Nam date).
std::string TableDate(std::string_view fhir);
// Minutes since the epoch of a FHIR date/dateTime (UTC); false when malformed.
bool FhirMinutes(std::string_view fhir, int64_t* minutes);
// yyyyMMddHHmm from minutes since the epoch, in Viet Nam time.
std::string TableDateTimeFromMinutes(int64_t utc_minutes);

}  // namespace hb::claims
