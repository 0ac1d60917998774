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

std::string Fold(std::string_view text) {
  if (text.empty()) return {};
  std::string norm = FoldText(text.substr(0, 512));
  if (norm.size() > 256) norm.resize(256);
  return norm;
}

// One row per coding; the concept's text rides on each (or on a row of its own).
void AddCodings(std::string_view param, const fhir::JsonValue* codings, std::string_view text,
                IndexEntries* out) {
  std::string concept_text = Fold(text);
  bool any = false;
  if (codings != nullptr && codings->IsArray()) {
    for (const auto& c : codings->GetArray()) {
      if (!c.IsObject()) continue;
      std::string_view code = Str(c, "code");
      std::string_view system = Str(c, "system");
      std::string display = Fold(Str(c, "display"));
      if (code.empty() && system.empty() && display.empty()) continue;
      if (!concept_text.empty()) {
        display = display.empty() ? concept_text : display + " " + concept_text;
      }
      out->tokens.push_back({param, std::string(system), std::string(code), std::move(display)});
      any = true;
    }
  }
  if (!any && !concept_text.empty()) out->tokens.push_back({param, "", "", concept_text});
}

void AddIdentifier(std::string_view param, const fhir::JsonValue& id, IndexEntries* out) {
  std::string_view value = Str(id, "value");
  std::string_view system = Str(id, "system");
  const fhir::JsonValue* type = fhir::Member(id, "type");
  std::string type_text = type != nullptr && type->IsObject() ? Fold(Str(*type, "text")) : "";
  if (!value.empty() || !system.empty()) {
    out->tokens.push_back({param, std::string(system), std::string(value), std::move(type_text)});
  }
  if (type == nullptr || !type->IsObject() || value.empty()) return;
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

void AddTokenValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out,
                    std::string_view implied_system) {
  if (item.kind() == fhirpath::ItemKind::kBoolean) {
    out->tokens.push_back({param, "", item.boolean() ? "true" : "false", {}});
    return;
  }
  if (!item.is_node()) {
    std::string_view s = PrimitiveText(item);
    if (!s.empty()) out->tokens.push_back({param, std::string(implied_system), std::string(s), {}});
    return;
  }
  const fhir::JsonValue& v = item.json();
  if (v.IsBool()) {
    out->tokens.push_back({param, "", v.GetBool() ? "true" : "false", {}});
    return;
  }
  if (fhir::IsString(v)) {
    out->tokens.push_back(
        {param, std::string(implied_system), std::string(fhir::StringView(v)), {}});
    return;
  }
  if (!v.IsObject()) return;
  std::string_view t = item.node_type();
  if (t == "CodeableConcept") {
    return AddCodings(param, fhir::Member(v, "coding"), Str(v, "text"), out);
  }
  if (t == "Coding") {
    std::string_view code = Str(v, "code"), system = Str(v, "system");
    std::string display = Fold(Str(v, "display"));
    if (!code.empty() || !system.empty() || !display.empty()) {
      out->tokens.push_back({param, std::string(system), std::string(code), std::move(display)});
    }
    return;
  }
  if (t == "Identifier") return AddIdentifier(param, v, out);
  if (t == "ContactPoint") {
    std::string_view value = Str(v, "value");
    if (!value.empty()) {
      out->tokens.push_back({param, std::string(Str(v, "system")), std::string(value), {}});
    }
    return;
  }
}

}  // namespace hb::search::internal
