// JsonNode: a small writer for FHIR JSON on a RapidJSON DOM, used by the HL7 v2 mappings.
//
// HL7 v2 leaves most fields empty, and FHIR forbids empty strings, objects and arrays. So the
// mappings write freely: Str() skips empty values, and PruneEmpty() removes the objects and
// arrays that ended up empty, once, before the resource is validated.
// Numbers are written with fhir::SetNumber, so a decimal keeps its text ("7.80" stays 7.80).
//
// Contract: a JsonNode points into a document it does not own; it is valid while that
// document lives and the pointed-to value is not moved: adding a member to an object or an
// item to an array may move its earlier members and items, so finish writing a child before
// adding its next sibling. Thread-compatible.
#pragma once

#include <string_view>

#include "fhir/json.h"

namespace hb::lis {

class JsonNode {
 public:
  JsonNode(fhir::JsonValue* value, fhir::JsonAlloc* alloc) : v_(value), a_(alloc) {}

  // Object members (replacing a member of the same name). Empty strings are not written.
  JsonNode& Str(std::string_view key, std::string_view value);
  JsonNode& Num(std::string_view key, std::string_view json_number);  // text is valid JSON
  JsonNode& Bool(std::string_view key, bool value);
  JsonNode Obj(std::string_view key);  // a new object member
  JsonNode Arr(std::string_view key);  // the array member, created when absent

  // Array items.
  JsonNode Add();                       // appends an object
  void AddStr(std::string_view value);  // appends a string (skipped when empty)

  // Common FHIR shapes, written as members of this object.
  JsonNode& Coding(std::string_view system, std::string_view code, std::string_view display);
  // {"reference": ref, "display": display}
  JsonNode& Ref(std::string_view key, std::string_view reference, std::string_view display = {});

  fhir::JsonValue& value() { return *v_; }
  fhir::JsonAlloc& alloc() { return *a_; }

 private:
  fhir::JsonValue& Member(std::string_view key);
  fhir::JsonValue* v_;
  fhir::JsonAlloc* a_;
};

// Removes empty strings, objects and arrays, recursively (an object emptied by the removal
// goes too). Returns true when `v` itself is left empty.
bool PruneEmpty(fhir::JsonValue& v);

}  // namespace hb::lis
