#include "search/terminology.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "fhir/json.h"

namespace hb::search {

namespace {

Status Bad(std::string why) { return Status(ErrorCode::kInvalidSearchParameter, std::move(why)); }

// "url|version" -> "url".
std::string_view WithoutVersion(std::string_view url) { return url.substr(0, url.find('|')); }

// ---- built-in code systems --------------------------------------------------------------

struct Builtin {
  std::string url;
  std::function<std::string()> make;
  bool prefix = false;
  std::once_flag once;
  std::string json;
};

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}
std::deque<Builtin>& Builtins() {
  static std::deque<Builtin> builtins;
  return builtins;
}

Builtin* FindBuiltin(std::string_view url) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  for (Builtin& b : Builtins()) {
    if (b.url == url) return &b;
  }
  return nullptr;
}

// ---- a CodeSystem, indexed for hierarchy and filters ------------------------------------

struct CodeSystemIndex {
  bool prefix = false;             // ICD-10 style: a code subsumes the codes it begins
  std::vector<std::string> codes;  // sorted
  std::unordered_set<std::string> known;
  std::unordered_map<std::string, std::vector<std::string>> children, parents;
  // code -> (property code, value as text)
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> props;
};

std::string PropertyValue(const fhir::JsonValue& p) {
  for (const char* name :
       {"valueCode", "valueString", "valueInteger", "valueDecimal", "valueDateTime"}) {
    if (const fhir::JsonValue* v = fhir::Member(p, name)) {
      if (fhir::IsNumber(*v)) return std::string(fhir::NumberText(*v));
      if (v->IsString()) return std::string(fhir::StringView(*v));
    }
  }
  if (const fhir::JsonValue* v = fhir::Member(p, "valueBoolean"); v && v->IsBool()) {
    return v->GetBool() ? "true" : "false";
  }
  if (const fhir::JsonValue* v = fhir::Member(p, "valueCoding"); v && v->IsObject()) {
    return std::string(fhir::MemberString(*v, "code"));
  }
  return "";
}

void AddConcepts(const fhir::JsonValue& list, const std::string* parent, CodeSystemIndex& cs) {
  if (!list.IsArray()) return;
  for (const fhir::JsonValue& c : list.GetArray()) {
    if (!c.IsObject()) continue;
    std::string code(fhir::MemberString(c, "code"));
    if (code.empty()) continue;
    if (cs.known.insert(code).second) cs.codes.push_back(code);
    if (parent) {
      cs.children[*parent].push_back(code);
      cs.parents[code].push_back(*parent);
    }
    if (const fhir::JsonValue* props = fhir::Member(c, "property"); props && props->IsArray()) {
      for (const fhir::JsonValue& p : props->GetArray()) {
        if (!p.IsObject()) continue;
        std::string name(fhir::MemberString(p, "code"));
        std::string value = PropertyValue(p);
        if (name == "parent" && !value.empty()) {
          cs.children[value].push_back(code);
          cs.parents[code].push_back(value);
        } else if (name == "child" && !value.empty()) {
          cs.children[code].push_back(value);
          cs.parents[value].push_back(code);
        }
        cs.props[code].emplace_back(std::move(name), std::move(value));
      }
    }
    if (const fhir::JsonValue* sub = fhir::Member(c, "concept")) AddConcepts(*sub, &code, cs);
  }
}

Result<std::shared_ptr<const CodeSystemIndex>> ParseCodeSystem(const std::string& json,
                                                               bool prefix) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(json));
  auto cs = std::make_shared<CodeSystemIndex>();
  cs->prefix = prefix;
  if (const fhir::JsonValue* concepts = fhir::Member(doc, "concept")) {
    AddConcepts(*concepts, nullptr, *cs);
  }
  std::sort(cs->codes.begin(), cs->codes.end());
  return std::shared_ptr<const CodeSystemIndex>(std::move(cs));
}

// Parsed code systems by URL, with the version key they were parsed from.
struct Cached {
  std::string version_key;
  std::shared_ptr<const CodeSystemIndex> index;
};
std::mutex& CacheMutex() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, Cached, std::less<>>& Cache() {
  static std::map<std::string, Cached, std::less<>> cache;
  return cache;
}
constexpr size_t kMaxCachedSystems = 64;

// `code` and what it subsumes (`down`) or what subsumes it (up).
std::vector<std::string> Closure(const CodeSystemIndex& cs, const std::string& code, bool down,
                                 bool include_self) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen{code};
  std::vector<std::string> work{code};
  if (cs.prefix) {
    if (down) {
      for (auto it = std::lower_bound(cs.codes.begin(), cs.codes.end(), code);
           it != cs.codes.end() && it->starts_with(code); ++it) {
        if (seen.insert(*it).second) work.push_back(*it);
      }
    } else {
      for (size_t n = 1; n < code.size(); ++n) {
        std::string p = code.substr(0, n);
        if (cs.known.count(p) && seen.insert(p).second) work.push_back(p);
      }
    }
  }
  const auto& links = down ? cs.children : cs.parents;
  for (size_t i = 0; i < work.size(); ++i) {
    if (i > 0 || include_self) out.push_back(work[i]);
    auto it = links.find(work[i]);
    if (it == links.end()) continue;
    for (const std::string& next : it->second) {
      if (seen.insert(next).second) work.push_back(next);
    }
  }
  return out;
}

std::vector<std::string> SplitComma(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view item = s.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// The codes of `cs` that pass one ValueSet compose filter.
Result<std::vector<std::string>> ApplyFilter(const CodeSystemIndex& cs, std::string_view system,
                                             std::string_view property, std::string_view op,
                                             const std::string& value) {
  auto all_but = [&](const std::vector<std::string>& drop) {
    std::unordered_set<std::string> d(drop.begin(), drop.end());
    std::vector<std::string> out;
    for (const std::string& c : cs.codes) {
      if (!d.count(c)) out.push_back(c);
    }
    return out;
  };
  auto known = [&](const std::vector<std::string>& codes) {
    std::vector<std::string> out;
    for (const std::string& c : codes) {
      if (cs.known.count(c)) out.push_back(c);
    }
    return out;
  };
  if (property == "concept" || property == "code") {
    if (op == "is-a") return known(Closure(cs, value, true, true));
    if (op == "descendent-of") return known(Closure(cs, value, true, false));
    if (op == "is-not-a") return all_but(Closure(cs, value, true, true));
    if (op == "generalizes") return known(Closure(cs, value, false, true));
    if (op == "=") return known({value});
    if (op == "in") return known(SplitComma(value));
    if (op == "not-in") return all_but(SplitComma(value));
  }
  std::vector<std::string> out;
  if (op == "regex") {
    std::regex re;
    try {
      re = std::regex(value, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return Bad("the ValueSet filter regex '" + value + "' is not a valid regular expression");
    }
    for (const std::string& c : cs.codes) {
      if (property == "concept" || property == "code") {
        if (std::regex_match(c, re)) out.push_back(c);
        continue;
      }
      auto it = cs.props.find(c);
      if (it == cs.props.end()) continue;
      for (const auto& [name, v] : it->second) {
        if (name == property && std::regex_match(v, re)) {
          out.push_back(c);
          break;
        }
      }
    }
    return out;
  }
  if (op == "=" || op == "exists") {
    for (const std::string& c : cs.codes) {
      bool has = false, equal = false;
      if (auto it = cs.props.find(c); it != cs.props.end()) {
        for (const auto& [name, v] : it->second) {
          if (name != property) continue;
          has = true;
          equal |= v == value;
        }
      }
      if (op == "=" ? equal : has == (value == "true")) out.push_back(c);
    }
    return out;
  }
  return Bad("the ValueSet filter '" + std::string(property) + " " + std::string(op) + " " + value +
             "' on " + std::string(system) + " is not supported here");
}

void Intersect(std::vector<SystemCode>& a, const std::vector<SystemCode>& b) {
  std::set<std::pair<std::string, std::string>> keep;
  for (const SystemCode& c : b) keep.emplace(c.system, c.code);
  std::erase_if(a, [&](const SystemCode& c) { return !keep.count({c.system, c.code}); });
}

}  // namespace

void RegisterBuiltinCodeSystem(std::string url, std::function<std::string()> json,
                               bool prefix_hierarchy) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  for (Builtin& b : Builtins()) {
    if (b.url == url) return;  // first registration wins
  }
  Builtin& b = Builtins().emplace_back();
  b.url = std::move(url);
  b.make = std::move(json);
  b.prefix = prefix_hierarchy;
}

std::optional<CanonicalResource> BuiltinCodeSystem(std::string_view url) {
  Builtin* b = FindBuiltin(url);
  if (!b) return std::nullopt;
  std::call_once(b->once, [b] { b->json = b->make(); });
  return CanonicalResource{b->json, "builtin:" + b->url};
}

Terminology::Terminology(CanonicalSource source, TerminologyOptions options)
    : source_(std::move(source)), options_(options) {}

namespace {

// The parsed code system `url`, from the cache when its version key is unchanged.
Result<std::shared_ptr<const CodeSystemIndex>> LoadSystem(const CanonicalSource& source,
                                                          std::string_view url) {
  HB_ASSIGN_OR_RETURN(std::optional<CanonicalResource> found, source("CodeSystem", url));
  if (!found) return std::shared_ptr<const CodeSystemIndex>();
  {
    std::lock_guard<std::mutex> lock(CacheMutex());
    auto it = Cache().find(url);
    if (it != Cache().end() && it->second.version_key == found->version_key) {
      return it->second.index;
    }
  }
  Builtin* b = FindBuiltin(url);
  HB_ASSIGN_OR_RETURN(auto index, ParseCodeSystem(found->json, b && b->prefix));
  std::lock_guard<std::mutex> lock(CacheMutex());
  if (Cache().size() >= kMaxCachedSystems) Cache().erase(Cache().begin());
  Cache()[std::string(url)] = Cached{found->version_key, index};
  return index;
}

}  // namespace

Result<std::vector<std::string>> Terminology::Below(std::string_view system,
                                                    std::string_view code) {
  HB_ASSIGN_OR_RETURN(auto cs, LoadSystem(source_, system));
  if (!cs) {
    return Bad("code system '" + std::string(system) +
               "' is not known to this server: :below needs its hierarchy");
  }
  return Closure(*cs, std::string(code), true, true);
}

Result<std::vector<std::string>> Terminology::Above(std::string_view system,
                                                    std::string_view code) {
  HB_ASSIGN_OR_RETURN(auto cs, LoadSystem(source_, system));
  if (!cs) {
    return Bad("code system '" + std::string(system) +
               "' is not known to this server: :above needs its hierarchy");
  }
  return Closure(*cs, std::string(code), false, true);
}

Result<std::optional<bool>> Terminology::Subsumes(std::string_view system, std::string_view a,
                                                  std::string_view b) {
  HB_ASSIGN_OR_RETURN(auto cs, LoadSystem(source_, system));
  std::string ca(a), cb(b);
  if (!cs || !cs->known.count(ca) || !cs->known.count(cb)) return std::optional<bool>();
  if (ca == cb) return std::optional<bool>(true);
  std::vector<std::string> below = Closure(*cs, ca, true, false);
  return std::optional<bool>(std::find(below.begin(), below.end(), cb) != below.end());
}

FhirPathTerminology::FhirPathTerminology(CanonicalSource source, size_t max_codes)
    : terminology_(std::move(source), TerminologyOptions{.max_codes = max_codes}) {}

Result<bool> FhirPathTerminology::MemberOf(std::span<const fhirpath::CodeRef> codes,
                                           std::string_view value_set) {
  auto it = expansions_.find(value_set);
  if (it == expansions_.end()) {
    HB_ASSIGN_OR_RETURN(std::vector<SystemCode> expansion,
                        terminology_.ExpandValueSet(value_set));
    it = expansions_.emplace(std::string(value_set), std::move(expansion)).first;
  }
  for (const fhirpath::CodeRef& c : codes) {
    for (const SystemCode& m : it->second) {
      if (m.code == c.code && (c.system.empty() || m.system == c.system)) return true;
    }
  }
  return false;
}

Result<std::optional<bool>> FhirPathTerminology::Subsumes(std::string_view system,
                                                          std::string_view a,
                                                          std::string_view b) {
  return terminology_.Subsumes(system, a, b);
}

Result<std::vector<SystemCode>> Terminology::ExpandValueSet(std::string_view url) {
  return Expand(WithoutVersion(url), 0);
}

Result<std::vector<SystemCode>> Terminology::Expand(std::string_view url, int depth) {
  if (depth > 8) return Bad("ValueSet '" + std::string(url) + "' imports itself");
  HB_ASSIGN_OR_RETURN(std::optional<CanonicalResource> found, source_("ValueSet", url));
  if (!found) return Bad("ValueSet '" + std::string(url) + "' is not known to this server");
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc vs, fhir::ParseJson(found->json));
  const size_t limit = options_.max_codes;
  auto too_many = [&] {
    return Bad("ValueSet '" + std::string(url) + "' has more than " + std::to_string(limit) +
               " codes, too many for a search: use a narrower value set or :below");
  };

  // One include or exclude: the codes it names.
  auto part = [&](const fhir::JsonValue& inc) -> Result<std::vector<SystemCode>> {
    std::vector<SystemCode> out;
    std::string system(fhir::MemberString(inc, "system"));
    const fhir::JsonValue* concepts = fhir::Member(inc, "concept");
    const fhir::JsonValue* filters = fhir::Member(inc, "filter");
    if (!system.empty()) {
      if (concepts && concepts->IsArray() && !concepts->Empty()) {
        for (const fhir::JsonValue& c : concepts->GetArray()) {
          if (c.IsObject() && !fhir::MemberString(c, "code").empty()) {
            out.push_back({system, std::string(fhir::MemberString(c, "code"))});
          }
        }
      } else {
        HB_ASSIGN_OR_RETURN(auto cs, LoadSystem(source_, system));
        if (!cs) {
          return Bad("ValueSet '" + std::string(url) + "' draws on code system '" + system +
                     "', which is not known to this server");
        }
        std::vector<std::string> codes = cs->codes;
        if (filters && filters->IsArray()) {
          for (const fhir::JsonValue& f : filters->GetArray()) {
            if (!f.IsObject()) continue;
            HB_ASSIGN_OR_RETURN(std::vector<std::string> pass,
                                ApplyFilter(*cs, system, fhir::MemberString(f, "property"),
                                            fhir::MemberString(f, "op"),
                                            std::string(fhir::MemberString(f, "value"))));
            std::unordered_set<std::string> keep(pass.begin(), pass.end());
            std::erase_if(codes, [&](const std::string& c) { return !keep.count(c); });
          }
        }
        for (std::string& c : codes) out.push_back({system, std::move(c)});
      }
    }
    if (const fhir::JsonValue* imports = fhir::Member(inc, "valueSet");
        imports && imports->IsArray()) {
      bool first = system.empty();
      for (const fhir::JsonValue& v : imports->GetArray()) {
        if (!v.IsString()) continue;
        HB_ASSIGN_OR_RETURN(std::vector<SystemCode> other,
                            Expand(WithoutVersion(fhir::StringView(v)), depth + 1));
        if (first) {
          out = std::move(other);
          first = false;
        } else {
          Intersect(out, other);
        }
      }
    }
    return out;
  };

  std::vector<SystemCode> codes;
  std::set<std::pair<std::string, std::string>> seen;
  if (const fhir::JsonValue* compose = fhir::Member(vs, "compose")) {
    if (const fhir::JsonValue* inc = fhir::Member(*compose, "include"); inc && inc->IsArray()) {
      for (const fhir::JsonValue& i : inc->GetArray()) {
        if (!i.IsObject()) continue;
        HB_ASSIGN_OR_RETURN(std::vector<SystemCode> got, part(i));
        for (SystemCode& c : got) {
          if (seen.emplace(c.system, c.code).second) codes.push_back(std::move(c));
        }
      }
    }
    if (const fhir::JsonValue* exc = fhir::Member(*compose, "exclude"); exc && exc->IsArray()) {
      for (const fhir::JsonValue& e : exc->GetArray()) {
        if (!e.IsObject()) continue;
        HB_ASSIGN_OR_RETURN(std::vector<SystemCode> drop, part(e));
        std::set<std::pair<std::string, std::string>> d;
        for (const SystemCode& c : drop) d.emplace(c.system, c.code);
        std::erase_if(codes, [&](const SystemCode& c) { return d.count({c.system, c.code}); });
      }
    }
  } else if (const fhir::JsonValue* expansion = fhir::Member(vs, "expansion")) {
    std::vector<const fhir::JsonValue*> work;
    if (const fhir::JsonValue* c = fhir::Member(*expansion, "contains")) work.push_back(c);
    while (!work.empty()) {
      const fhir::JsonValue* list = work.back();
      work.pop_back();
      if (!list->IsArray()) continue;
      for (const fhir::JsonValue& c : list->GetArray()) {
        if (!c.IsObject()) continue;
        std::string system(fhir::MemberString(c, "system"));
        std::string code(fhir::MemberString(c, "code"));
        if (!code.empty() && seen.emplace(system, code).second) codes.push_back({system, code});
        if (const fhir::JsonValue* sub = fhir::Member(c, "contains")) work.push_back(sub);
      }
    }
  } else {
    return Bad("ValueSet '" + std::string(url) + "' has neither a compose nor an expansion");
  }
  if (codes.size() > limit) return too_many();
  return codes;
}

namespace {

bool IsTerminologyModifier(const Criterion& c) {
  return c.type == ParamType::kToken &&
         (c.modifier == Modifier::kIn || c.modifier == Modifier::kNotIn ||
          c.modifier == Modifier::kAbove || c.modifier == Modifier::kBelow);
}

bool CriterionNeeds(const Criterion& c) {
  if (c.kind == Criterion::Kind::kIndexed && IsTerminologyModifier(c)) return true;
  for (const Criterion& inner : c.inner) {
    if (CriterionNeeds(inner)) return true;
  }
  return false;
}

// A value that no index row holds: an expansion without codes matches nothing (:in) or
// excludes nothing (:not-in).
SearchValue NoCode() {
  SearchValue v;
  v.token.system = "urn:healthbook:no-code";
  v.token.code = "";
  return v;
}

Status ResolveCriterion(Criterion& c, Terminology& t, size_t limit) {
  for (Criterion& inner : c.inner) HB_RETURN_IF_ERROR(ResolveCriterion(inner, t, limit));
  if (c.kind != Criterion::Kind::kIndexed || !IsTerminologyModifier(c)) return Status::Ok();
  std::vector<SearchValue> values;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& system, const std::string& code) {
    if (!seen.emplace(system, code).second) return;
    SearchValue v;
    v.token.system = system;
    v.token.code = code;
    values.push_back(std::move(v));
  };
  for (const SearchValue& v : c.any_of) {
    if (c.modifier == Modifier::kIn || c.modifier == Modifier::kNotIn) {
      HB_ASSIGN_OR_RETURN(std::vector<SystemCode> codes, t.ExpandValueSet(v.text));
      for (const SystemCode& sc : codes) add(sc.system, sc.code);
    } else {
      const std::string& system = v.token.system.value_or("");
      const std::string& code = v.token.code.value_or("");
      HB_ASSIGN_OR_RETURN(std::vector<std::string> codes, c.modifier == Modifier::kBelow
                                                              ? t.Below(system, code)
                                                              : t.Above(system, code));
      for (const std::string& sc : codes) add(system, sc);
    }
    if (values.size() > limit) {
      return Bad("search parameter '" + c.param +
                 "': the codes its value stands for are more than " + std::to_string(limit) +
                 ", too many for a search; narrow the value");
    }
  }
  if (values.empty()) values.push_back(NoCode());
  c.modifier = c.modifier == Modifier::kNotIn ? Modifier::kNot : Modifier::kNone;
  c.any_of = std::move(values);
  return Status::Ok();
}

}  // namespace

bool NeedsTerminology(const SearchQuery& q) {
  for (const Criterion& c : q.criteria) {
    if (CriterionNeeds(c)) return true;
  }
  for (const SearchQuery& part : q.parts) {
    if (NeedsTerminology(part)) return true;
  }
  return false;
}

Status ResolveTerminology(SearchQuery& q, Terminology& terminology) {
  for (Criterion& c : q.criteria) {
    HB_RETURN_IF_ERROR(ResolveCriterion(c, terminology, terminology.max_codes()));
  }
  for (SearchQuery& part : q.parts) HB_RETURN_IF_ERROR(ResolveTerminology(part, terminology));
  return Status::Ok();
}

}  // namespace hb::search
