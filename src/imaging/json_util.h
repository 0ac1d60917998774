// Small JSON helpers for the imaging mappings: reading Orthanc's and FHIR's JSON as plain
// RapidJSON documents (no decimals to keep here), and writing FHIR JSON with a Writer.
//
// Contract: pure functions; thread-safe. Str() skips empty values because FHIR forbids
// empty strings, so a DICOM tag that is absent or blank simply leaves the element out.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::imaging {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Parses JSON; kMalformedJson naming `what` on failure.
Result<rapidjson::Document> ParsePlainJson(std::string_view text, std::string_view what);
// obj[name] as a string (trimmed of DICOM's padding spaces); empty when absent or not text.
std::string GetString(const rapidjson::Value& obj, const char* name);
// obj[name] when it is an object/array, else nullptr.
const rapidjson::Value* GetObject(const rapidjson::Value& obj, const char* name);
const rapidjson::Value* GetArray(const rapidjson::Value& obj, const char* name);

// "key": "value", unless value is empty.
void Str(Writer& w, std::string_view key, std::string_view value);
void Key(Writer& w, std::string_view key);
void Text(Writer& w, std::string_view value);
// {"system": s, "code": c, "display": d} (empty parts left out).
void Coding(Writer& w, std::string_view system, std::string_view code, std::string_view display);

}  // namespace hb::imaging
