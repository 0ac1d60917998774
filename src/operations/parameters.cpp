#include "operations/parameters.h"

#include <charconv>

namespace hb::operations {

namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

Status Bad(std::string_view name, std::string_view want) {
  return Status(ErrorCode::kInvalidArgument,
                "parameter '" + std::string(name) + "' must be " + std::string(want),
                "Parameters.parameter");
}

// The first value[x] member of a parameter: its key and value.
std::pair<std::string_view, const JsonValue*> ValueOf(const JsonValue& p) {
  for (auto it = p.MemberBegin(); it != p.MemberEnd(); ++it) {
    std::string_view key = fhir::StringView(it->name);
    if (key.starts_with("value")) return {key, &it->value};
  }
  return {{}, nullptr};
}

}  // namespace

Result<ParametersIn> ParametersIn::FromBody(std::string_view body) {
  ParametersIn in;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    in.doc_.SetObject();
    return in;
  }
  HB_ASSIGN_OR_RETURN(in.doc_, fhir::ParseJson(body));
  if (!in.doc_.IsObject() || MemberString(in.doc_, "resourceType") != "Parameters") {
    return Status(ErrorCode::kInvalidResource, "the body must be a Parameters resource");
  }
  const JsonValue* params = Member(in.doc_, "parameter");
  if (params && !params->IsArray()) {
    return Status(ErrorCode::kInvalidResource, "Parameters.parameter must be a list");
  }
  return in;
}

ParametersIn ParametersIn::FromQuery(const std::vector<std::pair<std::string, std::string>>& q) {
  ParametersIn in;
  in.doc_.SetObject();
  in.query_ = q;
  in.from_query_ = true;
  return in;
}

const JsonValue* ParametersIn::Find(std::string_view name) const {
  const JsonValue* params = Member(doc_, "parameter");
  if (!params || !params->IsArray()) return nullptr;
  for (const auto& p : params->GetArray()) {
    if (p.IsObject() && MemberString(p, "name") == name) return &p;
  }
  return nullptr;
}

bool ParametersIn::Has(std::string_view name) const {
  if (from_query_) {
    for (const auto& [k, v] : query_) {
      if (k == name) return true;
    }
    return false;
  }
  return Find(name) != nullptr;
}

Result<std::optional<std::string>> ParametersIn::Text(std::string_view name) const {
  if (from_query_) {
    for (const auto& [k, v] : query_) {
      if (k == name) return std::optional<std::string>(v);
    }
    return std::optional<std::string>();
  }
  const JsonValue* p = Find(name);
  if (!p) return std::optional<std::string>();
  auto [key, v] = ValueOf(*p);
  static constexpr std::string_view kText[] = {"valueString", "valueCode", "valueId", "valueUri",
                                               "valueDate"};
  for (std::string_view k : kText) {
    if (key == k && fhir::IsString(*v)) return std::optional<std::string>(fhir::StringView(*v));
  }
  return Bad(name, "a valueString or valueCode");
}

Result<std::optional<bool>> ParametersIn::Bool(std::string_view name) const {
  if (from_query_) {
    HB_ASSIGN_OR_RETURN(auto t, Text(name));
    if (!t) return std::optional<bool>();
    if (*t == "true" || *t == "false") return std::optional<bool>(*t == "true");
    return Bad(name, "true or false");
  }
  const JsonValue* p = Find(name);
  if (!p) return std::optional<bool>();
  auto [key, v] = ValueOf(*p);
  if (key != "valueBoolean" || !v->IsBool()) return Bad(name, "a valueBoolean");
  return std::optional<bool>(v->GetBool());
}

Result<std::optional<int64_t>> ParametersIn::Integer(std::string_view name) const {
  std::string text;
  if (from_query_) {
    HB_ASSIGN_OR_RETURN(auto t, Text(name));
    if (!t) return std::optional<int64_t>();
    text = *t;
  } else {
    const JsonValue* p = Find(name);
    if (!p) return std::optional<int64_t>();
    auto [key, v] = ValueOf(*p);
    if ((key != "valueInteger" && key != "valuePositiveInt") || !fhir::IsNumber(*v)) {
      return Bad(name, "a valueInteger");
    }
    text = std::string(fhir::NumberText(*v));
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return Bad(name, "an integer");
  return std::optional<int64_t>(n);
}

Result<std::optional<std::string>> ParametersIn::Reference(std::string_view name) const {
  if (from_query_) return Text(name);
  const JsonValue* p = Find(name);
  if (!p) return std::optional<std::string>();
  auto [key, v] = ValueOf(*p);
  if (key != "valueReference" || !v->IsObject() || MemberString(*v, "reference").empty()) {
    return Bad(name, "a valueReference with a reference");
  }
  return std::optional<std::string>(MemberString(*v, "reference"));
}

JsonValue* ParametersIn::Resource(std::string_view name) {
  auto* p = const_cast<JsonValue*>(Find(name));
  if (!p) return nullptr;
  JsonValue* r = Member(*p, "resource");
  return r && r->IsObject() ? r : nullptr;
}

Result<std::string> RequiredText(const ParametersIn& in, std::string_view name) {
  HB_ASSIGN_OR_RETURN(auto v, in.Text(name));
  if (!v || v->empty()) {
    return Status(ErrorCode::kInvalidArgument, "parameter '" + std::string(name) + "' is required",
                  "Parameters.parameter");
  }
  return *v;
}

ParametersOut::ParametersOut() {
  j_.BeginObject();
  j_.Put("resourceType", "Parameters");
  j_.Key("parameter");
  j_.BeginArray();
}

void ParametersOut::Open(std::string_view name) {
  j_.BeginObject();
  j_.Put("name", name);
}

void ParametersOut::Value(std::string_view name, std::string_view key, std::string_view v) {
  Open(name);
  j_.Put(key, v);
  j_.EndObject();
}

void ParametersOut::Bool(std::string_view name, bool v) {
  Open(name);
  j_.PutBool("valueBoolean", v);
  j_.EndObject();
}

void ParametersOut::Integer(std::string_view name, int64_t v) {
  Open(name);
  j_.PutInt("valueInteger", v);
  j_.EndObject();
}

void ParametersOut::Decimal(std::string_view name, std::string_view text) {
  Open(name);
  j_.Key("valueDecimal");
  j_.Number(text);
  j_.EndObject();
}

void ParametersOut::Reference(std::string_view name, std::string_view ref,
                              std::string_view display) {
  Open(name);
  j_.PutReference("valueReference", ref, display);
  j_.EndObject();
}

void ParametersOut::Resource(std::string_view name, std::string_view json) {
  Open(name);
  j_.Key("resource");
  j_.Raw(json);
  j_.EndObject();
}

void ParametersOut::BeginPart(std::string_view name) {
  Open(name);
  j_.Key("part");
  j_.BeginArray();
  ++depth_;
}

void ParametersOut::EndPart() {
  j_.EndArray();
  j_.EndObject();
  --depth_;
}

std::string ParametersOut::Finish() {
  while (depth_ > 0) EndPart();
  j_.EndArray();
  j_.EndObject();
  return j_.Take();
}

}  // namespace hb::operations
