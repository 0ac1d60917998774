// token parameters (R4 search §3.1.1.4.10): Coding, CodeableConcept, Identifier,
// ContactPoint, code/string/uri/id primitives, boolean. Texts for :text, identifier
// types for :of-type.
#include "search/index_values.h"
#include "search/text_fold.h"

namespace hb::search::internal {

namespace {

std::string_view Str(const fhir::JsonValue& obj, std::string_view name) {
  return fhir::MemberString(obj, name);
}

void AddText(std::string_view param, std::string_view text, IndexEntries* out) {
  if (text.empty()) return;
  std::string norm = FoldText(text.substr(0, 512));
  if (norm.size() > 256) norm.resize(256);
  out->token_texts.push_back({param, std::move(norm)});
}

void AddCoding(std::string_view param, const fhir::JsonValue& c, IndexEntries* out) {
  std::string_view code = Str(c, "code");
  std::string_view system = Str(c, "system");
  if (!code.empty() || !system.empty()) {
    out->tokens.push_back({param, std::string(system), std::string(code)});
  }
  AddText(param, Str(c, "display"), out);
}

void AddCodeableConcept(std::string_view param, const fhir::JsonValue& cc, IndexEntries* out) {
  if (const fhir::JsonValue* codings = fhir::Member(cc, "coding");
      codings != nullptr && codings->IsArray()) {
    for (const auto& c : codings->GetArray()) {
      if (c.IsObject()) AddCoding(param, c, out);
    }
  }
  AddText(param, Str(cc, "text"), out);
}

void AddIdentifier(std::string_view param, const fhir::JsonValue& id, IndexEntries* out) {
  std::string_view value = Str(id, "value");
  std::string_view system = Str(id, "system");
  if (!value.empty() || !system.empty()) {
    out->tokens.push_back({param, std::string(system), std::string(value)});
  }
  const fhir::JsonValue* type = fhir::Member(id, "type");
  if (type == nullptr || !type->IsObject()) return;
  AddText(param, Str(*type, "text"), out);
  if (value.empty()) return;
  if (const fhir::JsonValue* codings = fhir::Member(*type, "coding");
      codings != nullptr && codings->IsArray()) {
    for (const auto& c : codings->GetArray()) {
      if (!c.IsObject()) continue;
      out->identifier_types.push_back(
          {param, std::string(Str(c, "system")), std::string(Str(c, "code")), std::string(value)});
    }
  }
}

}  // namespace

void AddTokenValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  if (item.kind() == fhirpath::ItemKind::kBoolean) {
    out->tokens.push_back({param, "", item.boolean() ? "true" : "false"});
    return;
  }
  if (!item.is_node()) {
    std::string_view s = PrimitiveText(item);
    if (!s.empty()) out->tokens.push_back({param, "", std::string(s)});
    return;
  }
  const fhir::JsonValue& v = item.json();
  if (v.IsBool()) {
    out->tokens.push_back({param, "", v.GetBool() ? "true" : "false"});
    return;
  }
  if (fhir::IsString(v)) {
    out->tokens.push_back({param, "", std::string(fhir::StringView(v))});
    return;
  }
  if (!v.IsObject()) return;
  std::string_view t = item.node_type();
  if (t == "CodeableConcept") return AddCodeableConcept(param, v, out);
  if (t == "Coding") return AddCoding(param, v, out);
  if (t == "Identifier") return AddIdentifier(param, v, out);
  if (t == "ContactPoint") {
    std::string_view value = Str(v, "value");
    if (!value.empty()) out->tokens.push_back({param, std::string(Str(v, "system")), std::string(value)});
    return;
  }
}

}  // namespace hb::search::internal
