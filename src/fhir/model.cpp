#include "fhir/model.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/embedded.h"

// generated/r4_model.txt, linked in by hb_embed (src/fhir/CMakeLists.txt).
HB_EMBEDDED(hb_r4_model)

namespace hb::fhir {

namespace {

constexpr size_t kMaxFields = 8;

[[noreturn]] void Corrupt(std::string_view line) {
  std::fprintf(stderr, "healthbook: corrupt embedded FHIR model near line: %.*s\n",
               static_cast<int>(line.size()), line.data());
  std::abort();
}

// Splits `line` on TAB into `out`; returns the number of fields.
size_t SplitTabs(std::string_view line, std::string_view (&out)[kMaxFields]) {
  size_t n = 0;
  while (n < kMaxFields) {
    size_t tab = line.find('\t');
    out[n++] = line.substr(0, tab);
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return n;
}

std::vector<std::string_view> SplitCommas(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t comma = s.find(',');
    out.push_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

uint32_t ParseUint(std::string_view s, std::string_view line) {
  if (s.empty()) Corrupt(line);
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') Corrupt(line);
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  return v;
}

TypeKind ParseKind(std::string_view s, std::string_view line) {
  if (s == "primitive-type") return TypeKind::kPrimitive;
  if (s == "complex-type") return TypeKind::kComplex;
  if (s == "resource") return TypeKind::kResource;
  Corrupt(line);
}

}  // namespace

const Model& Model::R4() {
  static const Model model(hb_r4_model_view());
  return model;
}

Model::Model(std::string_view table) {
  // The embedded bytes end with one NUL (see hb_embed); drop it if present.
  if (!table.empty() && table.back() == '\0') table.remove_suffix(1);
  types_.reserve(256);
  elements_.reserve(9000);
  params_.reserve(1400);
  std::vector<std::pair<std::string_view, Range>> ranges;
  ranges.reserve(700);
  std::string_view f[kMaxFields];
  while (!table.empty()) {
    size_t nl = table.find('\n');
    std::string_view line = table.substr(0, nl);
    table.remove_prefix(nl == std::string_view::npos ? table.size() : nl + 1);
    if (line.empty() || line[0] == '#') continue;
    size_t n = SplitTabs(line, f);
    char tag = f[0].size() == 1 ? f[0][0] : '?';
    switch (tag) {
      case 'T': {
        if (n != 5) Corrupt(line);
        TypeDef t{f[1], ParseKind(f[2], line), f[3] == "1", f[4]};
        type_index_.emplace(t.name, static_cast<uint32_t>(types_.size()));
        types_.push_back(t);
        if (t.kind == TypeKind::kResource && !t.is_abstract) resource_types_.push_back(t.name);
        break;
      }
      case 'C': {
        if (n != 2) Corrupt(line);
        uint32_t at = static_cast<uint32_t>(elements_.size());
        ranges.push_back({f[1], Range{at, at, 0, 0}});
        break;
      }
      case 'E': {
        if (n != 8 || ranges.empty()) Corrupt(line);
        ElementDef e;
        e.name = f[1];
        e.type = f[2];
        e.min = ParseUint(f[3], line);
        e.array = f[4] != "1";
        e.context = f[5].empty() ? f[2] : f[5];
        e.choice_group = f[6];
        e.is_primitive = f[7].find('p') != std::string_view::npos;
        e.primitive = e.is_primitive ? PrimitiveFromName(e.type) : Primitive::kNone;
        if (e.is_primitive && e.primitive == Primitive::kNone) Corrupt(line);
        e.has_companion = e.is_primitive && f[7].find('a') == std::string_view::npos;
        e.polymorphic = f[7].find('r') != std::string_view::npos;
        e.summary = f[7].find('s') != std::string_view::npos;
        elements_.push_back(e);
        ranges.back().second.end = static_cast<uint32_t>(elements_.size());
        break;
      }
      case 'K': {
        if (n != 4) Corrupt(line);
        compartments_[f[1]] = Compartment{SplitCommas(f[2]), SplitCommas(f[3])};
        break;
      }
      case 'S': {
        if (n != 7) Corrupt(line);
        SearchParamDef p;
        p.code = f[1];
        p.type = f[2];
        p.url = f[3];
        p.base = SplitCommas(f[4]);
        p.target = SplitCommas(f[5]);
        p.expression = f[6];
        params_.push_back(std::move(p));
        break;
      }
      case 'Q': {
        if (n != 3 || params_.empty()) Corrupt(line);
        params_.back().components.push_back({f[1], f[2]});
        break;
      }
      default:
        Corrupt(line);
    }
  }
  std::sort(resource_types_.begin(), resource_types_.end());

  // Index elements, and list the required ones per context (one per choice group).
  element_index_.reserve(elements_.size() * 2);
  contexts_.reserve(ranges.size() * 2);
  for (auto& [name, range] : ranges) {
    range.req_begin = static_cast<uint32_t>(required_.size());
    for (uint32_t i = range.begin; i < range.end; ++i) {
      const ElementDef& e = elements_[i];
      element_index_.emplace(std::make_pair(name, e.name), i);
      if (e.min == 0) continue;
      bool seen = false;
      for (uint32_t r = range.req_begin; r < required_.size() && !e.choice_group.empty(); ++r) {
        seen = seen || required_[r]->choice_group == e.choice_group;
      }
      if (!seen) required_.push_back(&e);
    }
    range.req_end = static_cast<uint32_t>(required_.size());
    contexts_.emplace(name, range);
  }

  // Search parameters per type: own first, then those inherited along the base chain.
  std::unordered_map<std::string_view, std::vector<const SearchParamDef*>> own;
  for (const SearchParamDef& p : params_) {
    for (std::string_view b : p.base) own[b].push_back(&p);
  }
  for (const TypeDef& t : types_) {
    if (t.kind != TypeKind::kResource) continue;
    auto& list = params_by_type_[t.name];
    for (const TypeDef* at = &t; at != nullptr; at = FindType(at->base)) {
      auto it = own.find(at->name);
      if (it != own.end()) list.insert(list.end(), it->second.begin(), it->second.end());
    }
  }
}

bool Model::IsResourceType(std::string_view name) const {
  const TypeDef* t = FindType(name);
  return t != nullptr && t->kind == TypeKind::kResource && !t->is_abstract;
}

const TypeDef* Model::FindType(std::string_view name) const {
  auto it = type_index_.find(name);
  return it == type_index_.end() ? nullptr : &types_[it->second];
}

const ElementDef* Model::FindElement(std::string_view context, std::string_view json_name) const {
  auto it = element_index_.find(std::make_pair(context, json_name));
  return it == element_index_.end() ? nullptr : &elements_[it->second];
}

std::span<const ElementDef> Model::Elements(std::string_view context) const {
  auto it = contexts_.find(context);
  if (it == contexts_.end()) return {};
  return std::span<const ElementDef>(elements_.data() + it->second.begin,
                                     it->second.end - it->second.begin);
}

std::span<const ElementDef* const> Model::RequiredElements(std::string_view context) const {
  auto it = contexts_.find(context);
  if (it == contexts_.end()) return {};
  return std::span<const ElementDef* const>(required_.data() + it->second.req_begin,
                                            it->second.req_end - it->second.req_begin);
}

const std::vector<std::string_view>& Model::PatientCompartmentPaths(std::string_view type) const {
  static const std::vector<std::string_view> kNone;
  auto it = compartments_.find(type);
  return it == compartments_.end() ? kNone : it->second.paths;
}

const std::vector<std::string_view>& Model::PatientCompartmentParams(std::string_view type) const {
  static const std::vector<std::string_view> kNone;
  auto it = compartments_.find(type);
  return it == compartments_.end() ? kNone : it->second.params;
}

const std::vector<const SearchParamDef*>& Model::SearchParameters(std::string_view type) const {
  static const std::vector<const SearchParamDef*> kNone;
  auto it = params_by_type_.find(type);
  return it == params_by_type_.end() ? kNone : it->second;
}

const SearchParamDef* Model::FindSearchParameter(std::string_view type,
                                                 std::string_view code) const {
  for (const SearchParamDef* p : SearchParameters(type)) {
    if (p->code == code) return p;
  }
  return nullptr;
}

}  // namespace hb::fhir
