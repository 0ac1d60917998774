#include "search/contained.h"

#include <mutex>
#include <string>
#include <unordered_set>

namespace hb::search {

namespace {

// The parameter texts handed out so far; never freed (entries hold views of them).
struct Interned {
  std::mutex mu;
  std::unordered_set<std::string> texts;
};

Interned& TheInterned() {
  static Interned* i = new Interned();
  return *i;
}

template <typename Entry>
void Rename(std::vector<Entry>& rows, std::string_view type, int slot) {
  for (Entry& e : rows) e.param = ContainedParam(type, e.param, slot);
}

}  // namespace

std::string_view ContainedParam(std::string_view type, std::string_view code, int slot) {
  std::string text = "#";
  text += type;
  text += '\0';
  text += code;
  text += '\0';
  text += std::to_string(slot);
  Interned& in = TheInterned();
  std::lock_guard lock(in.mu);
  return *in.texts.insert(std::move(text)).first;
}

bool ParseContainedParam(std::string_view param, std::string_view* type, std::string_view* code,
                         int* slot) {
  if (!IsContainedParam(param)) return false;
  size_t a = param.find('\0');
  size_t b = a == std::string_view::npos ? a : param.find('\0', a + 1);
  if (b == std::string_view::npos || b + 1 >= param.size()) return false;
  int n = 0;
  for (char c : param.substr(b + 1)) {
    if (c < '0' || c > '9' || n >= kContainedSlots) return false;
    n = n * 10 + (c - '0');
  }
  if (n < 1 || n >= kContainedSlots) return false;
  *type = param.substr(1, a - 1);
  *code = param.substr(a + 1, b - a - 1);
  *slot = n;
  return true;
}

std::string ContainedResourceJson(std::string_view container_json, std::string_view id,
                                  std::string* type) {
  auto doc = fhir::ParseJson(container_json);
  if (!doc.ok() || !doc->IsObject()) return {};
  const fhir::JsonValue* contained = fhir::Member(*doc, "contained");
  if (contained == nullptr || !contained->IsArray()) return {};
  for (const fhir::JsonValue& c : contained->GetArray()) {
    if (c.IsObject() && fhir::MemberString(c, "id") == id) {
      if (type != nullptr) *type = std::string(fhir::MemberString(c, "resourceType"));
      return fhir::Serialize(c);
    }
  }
  return {};
}

namespace internal {

void AddContained(const ParamRegistry& registry, const fhir::JsonValue& resource,
                  void (*index_one)(const ParamRegistry&, std::string_view,
                                    const fhir::JsonValue&, IndexEntries*),
                  IndexEntries* out) {
  const fhir::JsonValue* contained = fhir::Member(resource, "contained");
  if (contained == nullptr || !contained->IsArray()) return;
  int slot = 0;
  for (const fhir::JsonValue& c : contained->GetArray()) {
    if (++slot >= kContainedSlots) break;
    if (!c.IsObject()) continue;
    std::string_view type = fhir::MemberString(c, "resourceType");
    std::string_view id = fhir::MemberString(c, "id");
    if (type.empty() || id.empty() || registry.ForType(type).empty()) continue;
    IndexEntries rows;
    index_one(registry, type, c, &rows);
    Rename(rows.strings, type, slot);
    Rename(rows.tokens, type, slot);
    Rename(rows.identifier_types, type, slot);
    Rename(rows.dates, type, slot);
    Rename(rows.numbers, type, slot);
    Rename(rows.quantities, type, slot);
    Rename(rows.references, type, slot);
    Rename(rows.uris, type, slot);
    Rename(rows.composites, type, slot);
    Rename(rows.positions, type, slot);
    auto append = [](auto& to, auto& from) {
      for (auto& e : from) to.push_back(std::move(e));
    };
    append(out->strings, rows.strings);
    append(out->tokens, rows.tokens);
    append(out->identifier_types, rows.identifier_types);
    append(out->dates, rows.dates);
    append(out->numbers, rows.numbers);
    append(out->quantities, rows.quantities);
    append(out->references, rows.references);
    append(out->uris, rows.uris);
    append(out->composites, rows.composites);
    append(out->positions, rows.positions);
    out->tokens.push_back({ContainedParam(type, "", slot), std::string(type), std::string(id), {}});
  }
}

}  // namespace internal

}  // namespace hb::search
