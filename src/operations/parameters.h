// Reading and writing FHIR Parameters (https://hl7.org/fhir/R4/parameters.html), the
// body of every operation here.
//
// ParametersIn parses a POST body (a Parameters resource) or, for operations invoked by
// GET, the query string, and reads typed values: value[x] of the expected type or a 400
// naming the parameter. ParametersOut writes the answer, embedding stored resource bytes
// without parsing them again.
//
// Contract: value types, thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "fhir/json.h"
#include "reception/json_out.h"

namespace hb::operations {

class ParametersIn {
 public:
  // A Parameters resource; an empty body is an empty Parameters.
  static Result<ParametersIn> FromBody(std::string_view body);
  // name=value pairs of a GET (each value a string).
  static ParametersIn FromQuery(const std::vector<std::pair<std::string, std::string>>& query);

  bool Has(std::string_view name) const;
  // value[x] as text, for valueString, valueCode, valueId, valueUri, valueDate (or a query
  // value); nullopt when absent; an error when of another type.
  Result<std::optional<std::string>> Text(std::string_view name) const;
  Result<std::optional<bool>> Bool(std::string_view name) const;
  Result<std::optional<int64_t>> Integer(std::string_view name) const;
  // valueReference.reference (or a query value).
  Result<std::optional<std::string>> Reference(std::string_view name) const;
  // The `resource` of a parameter (inside this object's document); nullptr when absent.
  fhir::JsonValue* Resource(std::string_view name);
  fhir::JsonAlloc& allocator() { return doc_.GetAllocator(); }

 private:
  const fhir::JsonValue* Find(std::string_view name) const;
  fhir::JsonDoc doc_;
  std::vector<std::pair<std::string, std::string>> query_;
  bool from_query_ = false;
};

// A required text parameter: 400 naming it when absent or empty.
Result<std::string> RequiredText(const ParametersIn& in, std::string_view name);

class ParametersOut {
 public:
  ParametersOut();
  void String(std::string_view name, std::string_view v) { Value(name, "valueString", v); }
  void Code(std::string_view name, std::string_view v) { Value(name, "valueCode", v); }
  void Date(std::string_view name, std::string_view v) { Value(name, "valueDate", v); }
  void DateTime(std::string_view name, std::string_view v) { Value(name, "valueDateTime", v); }
  void Bool(std::string_view name, bool v);
  void Integer(std::string_view name, int64_t v);
  void Decimal(std::string_view name, std::string_view text);
  void Reference(std::string_view name, std::string_view ref, std::string_view display = {});
  void Resource(std::string_view name, std::string_view json);
  void BeginPart(std::string_view name);
  void EndPart();
  std::string Finish();

 private:
  void Value(std::string_view name, std::string_view key, std::string_view v);
  void Open(std::string_view name);
  reception::JsonOut j_;
  int depth_ = 0;
};

}  // namespace hb::operations
