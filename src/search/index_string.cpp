// string parameters (R4 search §3.1.1.4.7): primitives as they are; HumanName and
// Address part by part and as a whole.
#include <string>

#include "search/index_values.h"
#include "search/text_fold.h"

namespace hb::search::internal {

namespace {

constexpr size_t kMaxNorm = 256;    // folded prefix kept for matching
constexpr size_t kMaxExact = 1024;  // exact text kept for :exact and :contains

// Cuts at a UTF-8 boundary at most `n` bytes in.
std::string_view Cut(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

void Add(std::string_view param, std::string_view text, IndexEntries* out) {
  if (text.empty()) return;
  std::string norm = FoldText(Cut(text, kMaxNorm * 2));
  norm.resize(Cut(norm, kMaxNorm).size());
  out->strings.push_back({param, std::move(norm), std::string(Cut(text, kMaxExact))});
}

std::string_view Str(const fhir::JsonValue& obj, std::string_view name) {
  return fhir::MemberString(obj, name);
}

// Appends each string of the array member `name` to `parts` and indexes it.
void EachString(std::string_view param, const fhir::JsonValue& obj, std::string_view name,
                std::string* joined, IndexEntries* out) {
  const fhir::JsonValue* arr = fhir::Member(obj, name);
  if (arr == nullptr || !arr->IsArray()) return;
  for (const auto& v : arr->GetArray()) {
    if (!fhir::IsString(v)) continue;
    std::string_view s = fhir::StringView(v);
    Add(param, s, out);
    if (joined) {
      if (!joined->empty()) *joined += ' ';
      *joined += s;
    }
  }
}

void AddHumanName(std::string_view param, const fhir::JsonValue& name, IndexEntries* out) {
  Add(param, Str(name, "text"), out);
  std::string_view family = Str(name, "family");
  Add(param, family, out);
  std::string given;
  EachString(param, name, "given", &given, out);
  EachString(param, name, "prefix", nullptr, out);
  EachString(param, name, "suffix", nullptr, out);
  if (!family.empty() && !given.empty()) {
    // Vietnamese order (family first) and Western order (given first).
    Add(param, std::string(family) + " " + given, out);
    Add(param, given + " " + std::string(family), out);
  }
}

void AddAddress(std::string_view param, const fhir::JsonValue& a, IndexEntries* out) {
  Add(param, Str(a, "text"), out);
  std::string whole;
  EachString(param, a, "line", &whole, out);
  for (std::string_view part : {"city", "district", "state", "postalCode", "country"}) {
    std::string_view s = Str(a, part);
    Add(param, s, out);
    if (!s.empty()) {
      if (!whole.empty()) whole += ", ";
      whole += s;
    }
  }
  if (fhir::Member(a, "line") != nullptr) Add(param, whole, out);
}

}  // namespace

std::string_view PrimitiveText(const fhirpath::Item& item) {
  if (item.kind() == fhirpath::ItemKind::kString) return item.string();
  if (!item.is_node()) return {};
  const fhir::JsonValue& v = item.json();
  return fhir::IsString(v) ? fhir::StringView(v) : std::string_view();
}

void AddStringValues(std::string_view param, const fhirpath::Item& item, IndexEntries* out) {
  if (item.is_node() && item.json().IsObject()) {
    std::string_view t = item.node_type();
    if (t == "HumanName") return AddHumanName(param, item.json(), out);
    if (t == "Address") return AddAddress(param, item.json(), out);
    // Other complex values: their direct string members.
    for (const auto& m : item.json().GetObject()) {
      if (fhir::IsString(m.value)) Add(param, fhir::StringView(m.value), out);
    }
    return;
  }
  Add(param, PrimitiveText(item), out);
}

}  // namespace hb::search::internal
