// Validators for the FHIR R4 primitive data types.
//
// Implements the JSON representation and the regular expressions of
// https://hl7.org/fhir/R4/datatypes.html#primitive with hand-written matchers (no std::regex),
// plus the rules the regexes leave to the prose: dates are real calendar dates (no
// 2023-02-30, leap years honoured), a dateTime with a time and an instant carry a time zone,
// integers fit in 32 bits, strings are non-empty and free of control characters other
// than TAB, CR and LF, and xhtml is a single `<div>` in the XHTML namespace (no deeper XHTML
// checks).
//
// Thread-safety: pure functions, reentrant. No allocation.
#pragma once

#include <cstdint>
#include <string_view>

#include "fhir/json.h"

namespace hb::fhir {

enum class Primitive : uint8_t {
  kNone,  // not a primitive type
  kBoolean,
  kInteger,
  kPositiveInt,
  kUnsignedInt,
  kDecimal,
  kString,
  kCode,
  kId,
  kUri,
  kUrl,
  kCanonical,
  kOid,
  kUuid,
  kMarkdown,
  kBase64Binary,
  kDate,
  kDateTime,
  kInstant,
  kTime,
  kXhtml,
};

// The primitive named by a FHIR type code ("dateTime"); kNone for any other name.
Primitive PrimitiveFromName(std::string_view type);

// Checks a JSON value against primitive `p`: the JSON kind (boolean, number, string) and the
// format. Returns nullptr when valid, else a static reason such as "not a valid date".
const char* CheckPrimitive(Primitive p, const JsonValue& value);

// The format checks on text alone (for string-typed primitives and number texts).
bool IsFhirString(std::string_view s);  // non-empty, no control chars but \t \r \n
bool IsCode(std::string_view s);
bool IsId(std::string_view s);
bool IsUri(std::string_view s);
bool IsOid(std::string_view s);
bool IsUuid(std::string_view s);
bool IsBase64(std::string_view s);
bool IsDate(std::string_view s);      // YYYY, YYYY-MM, YYYY-MM-DD
bool IsDateTime(std::string_view s);  // a date, or YYYY-MM-DDThh:mm:ss[.f+]zone
bool IsInstant(std::string_view s);   // YYYY-MM-DDThh:mm:ss[.f+]zone
bool IsTime(std::string_view s);      // hh:mm:ss[.f+]
bool IsXhtmlDiv(std::string_view s);
bool IsIntegerText(std::string_view s);  // -?(0|[1-9][0-9]*) within 32 bits
bool IsDecimalText(std::string_view s);  // JSON number grammar

}  // namespace hb::fhir
