#include "search/indexer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <tuple>

#include "search/contained.h"
#include "search/fulltext.h"
#include "search/index_values.h"

namespace hb::search {

namespace {

template <typename T, typename Key>
void Dedupe(std::vector<T>& v, size_t from, Key key) {
  if (v.size() - from < 2) return;
  auto begin = v.begin() + static_cast<std::ptrdiff_t>(from);
  std::sort(begin, v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  v.erase(std::unique(begin, v.end(), [&](const T& a, const T& b) { return key(a) == key(b); }),
          v.end());
}

// The values of one component on one item, as index entries of its type.
void ComponentValues(const CompositeComponent& comp, std::string_view param,
                     const fhirpath::Item& item, const fhirpath::EvalOptions& options,
                     IndexEntries* out) {
  auto values = fhirpath::Evaluate(*comp.expression, std::span<const fhirpath::Item>(&item, 1),
                                   options);
  if (!values.ok()) return;
  for (const fhirpath::Item& v : *values) {
    switch (comp.type) {
      case ParamType::kToken:
        internal::AddTokenValues(param, v, out);
        break;
      case ParamType::kQuantity:
        internal::AddQuantityValues(param, v, out);
        break;
      case ParamType::kDate:
        internal::AddDateValues(param, v, out);
        break;
      case ParamType::kString:
        internal::AddStringValues(param, v, out);
        break;
      case ParamType::kNumber:
        internal::AddNumberValues(param, v, out);
        break;
      case ParamType::kUri:
        internal::AddUriValues(param, v, out);
        break;
      case ParamType::kReference: {
        // Only the reference itself: Reference.identifier (token rows) is not a component value.
        IndexEntries refs;
        internal::AddReferenceValues(param, v, &refs);
        for (ReferenceEntry& r : refs.references) out->references.push_back(std::move(r));
        break;
      }
      default:
        break;
    }
  }
}

// A reference component's value in a composite row's (system, code) columns: the target's
// type and id, or, for a reference that names none (absolute URL without Type/id, urn:,
// canonical), "" and the URL.
std::pair<std::string, std::string> ReferenceColumns(const ReferenceEntry& r) {
  if (!r.target_id.empty()) return {r.target_type, r.target_id};
  return {std::string(), r.url};
}

// The values of a component after the first, as composite rows with only the second
// component's columns filled.
std::vector<CompositeEntry> LaterValues(const RegisteredParam& p, const IndexEntries& second) {
  std::vector<CompositeEntry> seconds;
  for (const TokenEntry& t : second.tokens) seconds.push_back({p.code, "", "", t.system, t.code});
  for (const QuantityEntry& q : second.quantities) {
    seconds.push_back({p.code, "", "", q.system, q.code.empty() ? q.unit : q.code, q.key});
  }
  for (const DateEntry& d : second.dates) {
    seconds.push_back({p.code, "", "", "", "", "", d.low, d.high});
  }
  for (const StringEntry& st : second.strings) seconds.push_back({p.code, "", "", "", st.norm});
  for (const NumberEntry& n : second.numbers) seconds.push_back({p.code, "", "", "", "", n.key});
  for (const UriEntry& u : second.uris) seconds.push_back({p.code, "", "", "", u.uri});
  for (const ReferenceEntry& r : second.references) {
    auto [type, id] = ReferenceColumns(r);
    CompositeEntry& e = seconds.emplace_back(CompositeEntry{p.code, "", "", type, id});
    e.ref_source = r.source;
    e.ref_slot = 2;
  }
  return seconds;
}

// A composite's rows: for each item of its expression, every combination of the first
// component's tokens (or references) with the second (and third) component's values on
// that same item.
// `resource`: the members of the resource indexed, which is most composites' item.
void AddCompositeValues(const RegisteredParam& p, const fhirpath::Item& item,
                        const fhirpath::MemberNames& resource,
                        const fhirpath::EvalOptions& options, IndexEntries* out) {
  // Every component must have a value for a row: one that cannot (Observation
  // code-value-date on an Observation with a valueQuantity) is not evaluated at all.
  const fhirpath::MemberNames members =
      resource.object() == &item.json() ? resource : fhirpath::MemberNames(item.json());
  for (const CompositeComponent& c : p.components) {
    if (c.entry && !members.MayYield(*c.entry)) return;
  }
  IndexEntries first, second;
  ComponentValues(p.components[0], p.code, item, options, &first);
  // The first component's values in the (system, code) columns: tokens, or references as
  // their target's type and id, each with the reference it came from.
  struct First {
    std::string system, code;
    const ReferenceEntry* ref = nullptr;
  };
  std::vector<First> firsts;
  if (p.components[0].type == ParamType::kReference) {
    for (const ReferenceEntry& r : first.references) {
      auto [type, id] = ReferenceColumns(r);
      firsts.push_back({std::move(type), std::move(id), &r});
    }
  } else {
    for (const TokenEntry& t : first.tokens) firsts.push_back({t.system, t.code, nullptr});
  }
  if (firsts.empty()) return;
  ComponentValues(p.components[1], p.code, item, options, &second);
  std::vector<CompositeEntry> seconds = LaterValues(p, second);
  if (p.components.size() == 3) {
    IndexEntries third;
    ComponentValues(p.components[2], p.code, item, options, &third);
    std::vector<CompositeEntry> pairs;
    for (const CompositeEntry& t : LaterValues(p, third)) {
      for (CompositeEntry e : seconds) {
        e.s3 = t.s2, e.c3 = t.c2, e.key3 = t.key2, e.low3 = t.low2, e.high3 = t.high2;
        pairs.push_back(std::move(e));
      }
    }
    seconds = std::move(pairs);
  }
  for (const First& f : firsts) {
    if (f.code.empty()) continue;  // a text-only concept has no code to pair
    for (CompositeEntry e : seconds) {
      e.s1 = f.system;
      e.c1 = f.code;
      if (f.ref != nullptr) {
        e.ref_source = f.ref->source;
        e.ref_slot = 1;
      }
      out->composites.push_back(std::move(e));
    }
  }
}

}  // namespace

namespace {

// The rows of every indexed parameter of `type` (IndexResource without the full text and
// the contained resources).
void IndexParams(const ParamRegistry& registry, std::string_view type,
                 const fhir::JsonValue& resource, IndexEntries* out) {
  const auto& params = registry.IndexedFor(type);
  if (params.empty()) return;
  fhirpath::EvalOptions options;
  options.resource = &resource;  // %resource in composite components (MolecularSequence)
  options.resolver = [&registry](std::string_view ref) { return registry.ResolveStub(ref); };
  options.now_micros = 1;  // no parameter reads the clock; skip reading it
  size_t strings = out->strings.size(), tokens = out->tokens.size(), refs = out->references.size(),
         dates = out->dates.size(), numbers = out->numbers.size(),
         quantities = out->quantities.size(), types = out->identifier_types.size(),
         uris = out->uris.size(), composites = out->composites.size();
  // Most parameters of a type read elements a given resource does not have: those are not
  // evaluated.
  const fhirpath::MemberNames members(resource);
  for (const RegisteredParam* p : params) {
    if (p->entry && !members.MayYield(*p->entry)) continue;
    auto items = fhirpath::Evaluate(*p->expression, resource, type, options);
    if (!items.ok()) {
      static std::atomic<int> logged{0};
      if (logged.fetch_add(1) < 20) {
        spdlog::warn("search parameter {}.{} not indexed for this resource: {}", type, p->code,
                     items.status().message());
      }
      continue;
    }
    for (const fhirpath::Item& item : *items) {
      switch (p->type) {
        case ParamType::kString:
          internal::AddStringValues(p->code, item, out);
          break;
        case ParamType::kToken:
          internal::AddTokenValues(p->code, item, out, p->implied_system);
          break;
        case ParamType::kDate:
          internal::AddDateValues(p->code, item, out);
          break;
        case ParamType::kNumber:
          internal::AddNumberValues(p->code, item, out);
          break;
        case ParamType::kQuantity:
          internal::AddQuantityValues(p->code, item, out);
          break;
        case ParamType::kReference:
          internal::AddReferenceValues(p->code, item, out);
          break;
        case ParamType::kUri:
          internal::AddUriValues(p->code, item, out);
          break;
        case ParamType::kComposite:
          if (item.is_node()) AddCompositeValues(*p, item, members, options, out);
          break;
        case ParamType::kSpecial:  // near: Location.position
          internal::AddPositionValues(p->code, item, out);
          break;
        default:
          break;
      }
    }
  }
  Dedupe(out->strings, strings,
         [](const StringEntry& e) { return std::tie(e.param, e.norm, e.exact); });
  Dedupe(out->tokens, tokens,
         [](const TokenEntry& e) { return std::tie(e.param, e.system, e.code, e.text); });
  Dedupe(out->references, refs, [](const ReferenceEntry& e) {
    return std::tie(e.param, e.target_type, e.target_id, e.url);
  });
  Dedupe(out->dates, dates, [](const DateEntry& e) { return std::tie(e.param, e.low, e.high); });
  Dedupe(out->numbers, numbers, [](const NumberEntry& e) { return std::tie(e.param, e.key); });
  Dedupe(out->quantities, quantities,
         [](const QuantityEntry& e) { return std::tie(e.param, e.key, e.system, e.code, e.unit); });
  Dedupe(out->identifier_types, types, [](const IdentifierTypeEntry& e) {
    return std::tie(e.param, e.value, e.type_system, e.type_code);
  });
  Dedupe(out->uris, uris, [](const UriEntry& e) { return std::tie(e.param, e.uri); });
  Dedupe(out->composites, composites, [](const CompositeEntry& e) {
    return std::tie(e.param, e.s1, e.c1, e.s2, e.c2, e.key2, e.low2, e.high2, e.s3, e.c3, e.key3,
                    e.low3, e.high3);
  });
}

}  // namespace

void IndexResource(const ParamRegistry& registry, std::string_view type,
                   const fhir::JsonValue& resource, IndexEntries* out) {
  AddFullText(resource, out);  // _text and _content (search/fulltext.h)
  IndexParams(registry, type, resource, out);
  internal::AddContained(registry, resource, &IndexParams, out);  // search/contained.h
}

void RefreshReferences(IndexEntries* entries) {
  for (ReferenceEntry& e : entries->references) {
    if (e.source == nullptr || !fhir::IsString(*e.source)) continue;
    internal::SetTarget(fhir::StringView(*e.source), &e);
  }
  for (CompositeEntry& c : entries->composites) {
    if (c.ref_source == nullptr || !fhir::IsString(*c.ref_source)) continue;
    ReferenceEntry r;
    internal::SetTarget(fhir::StringView(*c.ref_source), &r);
    auto [type, id] = ReferenceColumns(r);
    (c.ref_slot == 1 ? c.s1 : c.s2) = std::move(type);
    (c.ref_slot == 1 ? c.c1 : c.c2) = std::move(id);
  }
}

}  // namespace hb::search
