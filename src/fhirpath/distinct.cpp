// AppendDistinct: union, distinct() and repeat() without comparing every pair. Items are
// bucketed by a hash that agrees with `=` (equal items hash alike), and only items in the
// same bucket are compared with EqualItems.
#include <unordered_map>

#include "fhirpath/operators.h"

namespace hb::fhirpath::internal {

namespace {

constexpr size_t kLinearLimit = 16;  // below this many items, compare pairwise

size_t Mix(size_t h, size_t v) { return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); }

size_t HashDecimal(const Decimal& d) {
  if (d.IsZero()) return 0;
  return std::hash<std::string>()(d.Trimmed().ToString());
}

// Order-independent for object members, as JSON equality ignores member order.
size_t HashJson(const fhir::JsonValue& v) {
  if (fhir::IsNumber(v)) {
    auto d = Decimal::Parse(fhir::NumberText(v), true);
    return d ? HashDecimal(*d) : 1;
  }
  if (v.IsString()) return std::hash<std::string_view>()(fhir::StringView(v));
  if (v.IsBool()) return v.GetBool() ? 3 : 2;
  if (v.IsArray()) {
    size_t h = 5;
    for (const fhir::JsonValue& e : v.GetArray()) h = Mix(h, HashJson(e));
    return h;
  }
  if (v.IsObject()) {
    size_t h = 7;
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      std::string_view key(m->name.GetString(), m->name.GetStringLength());
      h += Mix(std::hash<std::string_view>()(key), HashJson(m->value));
    }
    return h;
  }
  return 11;
}

size_t HashItem(const Item& item) {
  std::optional<Item> v = ToSystem(item);
  if (!v) return item.is_node() && !item.is_primitive() ? HashJson(item.json()) : 13;
  switch (v->kind()) {
    case ItemKind::kBoolean:
      return v->boolean() ? 17 : 19;
    case ItemKind::kInteger:
      return HashDecimal(Decimal::FromInteger(v->integer()));
    case ItemKind::kDecimal:
      return HashDecimal(v->decimal());
    case ItemKind::kString:
      return std::hash<std::string_view>()(v->string());
    case ItemKind::kTypeInfo:
      return std::hash<std::string_view>()(v->type_name());
    default:
      return 23;  // dates (zones, precisions) and quantities (units) compare loosely
  }
}

}  // namespace

void AppendDistinct(Span from, Collection& out, size_t start) {
  if (out.size() - start + from.size() <= kLinearLimit) {
    for (const Item& x : from) {
      if (!CollectionHas(Span(out).subspan(start), x)) out.push_back(x);
    }
    return;
  }
  std::unordered_multimap<size_t, size_t> seen;  // hash -> index in out
  seen.reserve(out.size() - start + from.size());
  for (size_t i = start; i < out.size(); ++i) seen.emplace(HashItem(out[i]), i);
  for (const Item& x : from) {
    size_t h = HashItem(x);
    bool found = false;
    for (auto [it, end] = seen.equal_range(h); it != end && !found; ++it) {
      found = EqualItems(out[it->second], x).value_or(false);
    }
    if (found) continue;
    seen.emplace(h, out.size());
    out.push_back(x);
  }
}

}  // namespace hb::fhirpath::internal
