// reference and uri parameters (R4 search §3.1.1.4.4, §3.1.1.4.9): Reference (its
// target and its identifier, for :identifier), canonical and uri values.
#include "search/index_values.h"
#include "search/param_registry.h"

namespace hb::search::internal {

namespace {

void AddUrl(std::string_view param, std::string_view ref, IndexEntries* out,
            const fhir::JsonValue* source = nullptr) {
  if (ref.empty()) return;
  ReferenceEntry e{param, {}, {}, {}, source};
  SetTarget(ref, &e);
  out->references.push_back(std::move(e));
}

}  // namespace

void SetTarget(std::string_view ref, ReferenceEntry* e) {
  e->target_type.clear();
  e->target_id.clear();
  e->url.clear();
  std::string_view type, id;
  bool parsed = ParseReference(ref, &type, &id);
  if (parsed) {
    e->target_type = std::string(type);
    e->target_id = std::string(id);
  }
  // The URL is kept for what type and id do not say: absolute, canonical, urn and
  // contained references (relative ones are found by type and id).
  if (!parsed || ref.find("://") != std::string_view::npos) {
    if (size_t bar = ref.find('|'); bar != std::string_view::npos) ref = ref.substr(0, bar);
    e->url = std::string(ref);
  }
}

void AddReferenceValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  if (!item.is_node() || !item.json().IsObject()) return AddUrl(param, PrimitiveText(item), out);
  const fhir::JsonValue& v = item.json();
  const fhir::JsonValue* ref = fhir::Member(v, "reference");
  if (ref != nullptr && fhir::IsString(*ref)) AddUrl(param, fhir::StringView(*ref), out, ref);
  const fhir::JsonValue* ident = fhir::Member(v, "identifier");
  if (ident != nullptr && ident->IsObject()) {
    std::string_view value = fhir::MemberString(*ident, "value");
    if (!value.empty()) {
      out->tokens.push_back(
          {param, std::string(fhir::MemberString(*ident, "system")), std::string(value), {}});
    }
  }
}

void AddUriValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  std::string_view s = PrimitiveText(item);
  if (!s.empty()) out->uris.push_back({param, std::string(s)});
}

}  // namespace hb::search::internal
