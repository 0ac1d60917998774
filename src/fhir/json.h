// FHIR JSON on a RapidJSON DOM, with decimal precision kept.
//
// FHIR requires that a decimal keeps its textual precision ("1.50" stays "1.50").
// RapidJSON would turn numbers into doubles, so Parse keeps every JSON number as
// its source text, stored as a string value that begins with kNumberMark (0x01).
// No valid FHIR string can start with 0x01 (FHIR forbids control characters, and
// the validator rejects them), so the mark is unambiguous. Always go through the
// helpers below to tell numbers from strings; Serialize writes marked values back
// as bare JSON numbers.
//
// Thread-safety: functions are reentrant; a Document is thread-compatible.
// Failure modes: Parse returns kMalformedJson with the byte offset and reason,
// or kTooLarge when nesting exceeds max_depth.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::fhir {

using JsonDoc = rapidjson::Document;
using JsonValue = rapidjson::Value;
using JsonAlloc = rapidjson::Document::AllocatorType;

inline constexpr char kNumberMark = '\x01';

struct ParseOptions {
  size_t max_depth = 64;  // objects and arrays nested deeper are refused
};

Result<JsonDoc> ParseJson(std::string_view text, const ParseOptions& options = {});

inline bool IsNumber(const JsonValue& v) {
  return v.IsString() && v.GetStringLength() > 0 && v.GetString()[0] == kNumberMark;
}
inline bool IsString(const JsonValue& v) {
  return v.IsString() && !(v.GetStringLength() > 0 && v.GetString()[0] == kNumberMark);
}
// The text of a number value ("1.50"); empty when not a number.
inline std::string_view NumberText(const JsonValue& v) {
  if (!IsNumber(v)) return {};
  return std::string_view(v.GetString() + 1, v.GetStringLength() - 1);
}
inline std::string_view StringView(const JsonValue& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}
// Sets `v` to the number whose JSON text is `text` (caller guarantees the syntax).
void SetNumber(JsonValue& v, std::string_view text, JsonAlloc& alloc);
void SetString(JsonValue& v, std::string_view text, JsonAlloc& alloc);
// Finds a member by name; nullptr when absent.
const JsonValue* Member(const JsonValue& obj, std::string_view name);
JsonValue* Member(JsonValue& obj, std::string_view name);
// Member `name` as a plain string; empty view when absent or not a string.
std::string_view MemberString(const JsonValue& obj, std::string_view name);

// Compact JSON, numbers written from their kept text.
std::string Serialize(const JsonValue& v);
// Two-space indented JSON, for _pretty=true.
std::string SerializePretty(const JsonValue& v);
void SerializeTo(const JsonValue& v, rapidjson::StringBuffer& out);

// The canonical stored form of a resource: resourceType, id, then meta with the
// server's versionId and lastUpdated (other meta members kept in order), then
// every other member in the order given. Compact.
std::string SerializeResource(const JsonValue& resource, std::string_view id,
                              std::string_view version_id, std::string_view last_updated);

}  // namespace hb::fhir
