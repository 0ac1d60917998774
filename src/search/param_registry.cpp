#include "search/param_registry.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <optional>

#include "common/ids.h"
#include "search/implied_systems.h"

namespace hb::search {

namespace {

bool IsIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The identifier a branch starts with, after any opening parentheses.
std::string_view LeadingName(std::string_view branch) {
  size_t i = 0;
  while (i < branch.size() && (branch[i] == '(' || branch[i] == ' ')) ++i;
  size_t start = i;
  if (i >= branch.size() || !IsIdentStart(branch[i])) return {};
  while (i < branch.size() && IsIdentChar(branch[i])) ++i;
  return branch.substr(start, i - start);
}

constexpr std::string_view kResolvePrefix = ".where(resolve() is ";

// "X.where(resolve() is T)" -> X, with T in *resolve_type; other branches unchanged.
std::string_view StripResolve(std::string_view branch, std::string_view* resolve_type) {
  size_t at = branch.rfind(kResolvePrefix);
  if (at == std::string_view::npos || !branch.ends_with(")")) return branch;
  *resolve_type =
      branch.substr(at + kResolvePrefix.size(), branch.size() - 1 - at - kResolvePrefix.size());
  return branch.substr(0, at);
}

// Makes `p` an alias when its branches are exactly the union of other parameters'
// branches (after stripping one common `.where(resolve() is T)`).
void FindAlias(RegisteredParam& p, std::string_view text, const std::vector<RegisteredParam>& all,
               const std::unordered_map<std::string_view, std::vector<std::string>>& branches) {
  std::vector<std::string> mine;
  std::string_view resolve_type;
  for (std::string_view b : SplitUnion(text)) {
    std::string_view t;
    std::string_view stripped = StripResolve(b, &t);
    if (!t.empty()) {
      if (!resolve_type.empty() && resolve_type != t) return;
      resolve_type = t;
    } else if (!resolve_type.empty()) {
      return;
    }
    mine.emplace_back(stripped);
  }
  if (!resolve_type.empty() && mine.size() != SplitUnion(text).size()) return;
  std::vector<std::string_view> codes;
  std::vector<bool> covered(mine.size(), false);
  for (const RegisteredParam& q : all) {
    if (&q == &p || q.type != p.type || !q.OwnRows()) continue;
    auto it = branches.find(q.code);
    if (it == branches.end()) continue;
    bool inside = true;
    std::vector<size_t> hits;
    for (const std::string& qb : it->second) {
      size_t k = 0;
      while (k < mine.size() && mine[k] != qb) ++k;
      if (k == mine.size()) {
        inside = false;
        break;
      }
      hits.push_back(k);
    }
    if (!inside || hits.empty()) continue;
    // An exact duplicate (no resolve filter) aliases only a parameter listed before it.
    if (resolve_type.empty() && it->second.size() == mine.size() && &q > &p) continue;
    for (size_t k : hits) covered[k] = true;
    codes.push_back(q.code);
  }
  for (bool c : covered) {
    if (!c) return;
  }
  p.row_codes = std::move(codes);
  // A view into the model (the branch text is temporary).
  const fhir::TypeDef* t =
      resolve_type.empty() ? nullptr : fhir::Model::R4().FindType(resolve_type);
  if (!resolve_type.empty() && t == nullptr) {
    p.row_codes = {p.code};
    return;
  }
  p.resolve_type = t ? t->name : std::string_view();
}

bool DerivesFrom(std::string_view type, std::string_view ancestor) {
  const fhir::Model& model = fhir::Model::R4();
  for (const fhir::TypeDef* t = model.FindType(type); t != nullptr;
       t = t->base.empty() ? nullptr : model.FindType(t->base)) {
    if (t->name == ancestor) return true;
  }
  return false;
}

}  // namespace

ParamType ParamTypeFromName(std::string_view n) {
  if (n == "number") return ParamType::kNumber;
  if (n == "date") return ParamType::kDate;
  if (n == "string") return ParamType::kString;
  if (n == "token") return ParamType::kToken;
  if (n == "reference") return ParamType::kReference;
  if (n == "composite") return ParamType::kComposite;
  if (n == "quantity") return ParamType::kQuantity;
  if (n == "uri") return ParamType::kUri;
  return ParamType::kSpecial;
}

std::string_view ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kNumber:
      return "number";
    case ParamType::kDate:
      return "date";
    case ParamType::kString:
      return "string";
    case ParamType::kToken:
      return "token";
    case ParamType::kReference:
      return "reference";
    case ParamType::kComposite:
      return "composite";
    case ParamType::kQuantity:
      return "quantity";
    case ParamType::kUri:
      return "uri";
    case ParamType::kSpecial:
      return "special";
  }
  return "special";
}

std::vector<std::string_view> SplitUnion(std::string_view e) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    char c = e[i];
    if (c == '\'' || c == '`') {
      for (++i; i < e.size() && e[i] != c; ++i) {
        if (e[i] == '\\') ++i;
      }
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (c == '|' && depth == 0) {
      out.push_back(Trim(e.substr(start, i - start)));
      start = i + 1;
    }
  }
  out.push_back(Trim(e.substr(start)));
  return out;
}

std::string PruneExpression(std::string_view expression, std::string_view type) {
  const fhir::Model& model = fhir::Model::R4();
  std::string out;
  for (std::string_view branch : SplitUnion(expression)) {
    if (branch.empty()) continue;
    std::string_view name = LeadingName(branch);
    bool names_type = !name.empty() && (model.IsResourceType(name) || name == "Resource" ||
                                        name == "DomainResource");
    if (names_type && name != type && !DerivesFrom(type, name)) continue;
    if (!out.empty()) out += " | ";
    out += branch;
  }
  return out;
}

bool ParseReference(std::string_view ref, std::string_view* type, std::string_view* id) {
  if (ref.empty() || ref[0] == '#' || ref.starts_with("urn:")) return false;
  if (size_t h = ref.find("/_history/"); h != std::string_view::npos) ref = ref.substr(0, h);
  size_t slash = ref.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string_view i = ref.substr(slash + 1);
  std::string_view rest = ref.substr(0, slash);
  size_t prev = rest.rfind('/');
  std::string_view t = prev == std::string_view::npos ? rest : rest.substr(prev + 1);
  if (!fhir::Model::R4().IsResourceType(t) || !IsValidFhirId(i)) return false;
  *type = t;
  *id = i;
  return true;
}

namespace {

// The type of the search parameter a composite component's definition URL names.
std::optional<ParamType> TypeOfDefinition(std::string_view url) {
  static const auto* by_url = [] {
    auto* m = new std::unordered_map<std::string_view, std::string_view>();
    const fhir::Model& model = fhir::Model::R4();
    for (std::string_view t : model.ResourceTypes()) {
      for (const fhir::SearchParamDef* d : model.SearchParameters(t)) m->emplace(d->url, d->type);
    }
    return m;
  }();
  auto it = by_url->find(url);
  if (it == by_url->end()) return std::nullopt;
  return ParamTypeFromName(it->second);
}

// R4 errata in component expressions: DocumentReference `relationship` gives relatesto
// (a reference) the expression `code` and relation (a token) `target`, which can never
// hold such values; the pairing the parameter describes ("combination of relation and
// relatesTo", and R5's definition) is relatesto = target, relation = code.
std::string_view ComponentExpression(const fhir::SearchParamDef& def, size_t i) {
  if (def.url == "http://hl7.org/fhir/SearchParameter/DocumentReference-relationship" &&
      def.components.size() == 2) {
    return i == 0 ? "target" : "code";
  }
  return def.components[i].expression;
}

// The components of a composite this engine indexes: two or three, the first a token or a
// reference and the others of a type with one comparable value; empty otherwise (the
// parameter is then unsupported).
std::vector<CompositeComponent> CompositeComponents(
    const fhir::SearchParamDef& def,
    std::unordered_map<std::string, std::shared_ptr<const fhirpath::Expression>>& compiled) {
  std::vector<CompositeComponent> out;
  if (def.components.size() != 2 && def.components.size() != 3) return {};
  for (size_t i = 0; i < def.components.size(); ++i) {
    auto type = TypeOfDefinition(def.components[i].definition);
    if (!type) return {};
    bool ok = i == 0 ? (*type == ParamType::kToken || *type == ParamType::kReference)
                     : (*type == ParamType::kToken || *type == ParamType::kQuantity ||
                        *type == ParamType::kDate || *type == ParamType::kString ||
                        *type == ParamType::kNumber || *type == ParamType::kUri ||
                        *type == ParamType::kReference);
    if (!ok) return {};
    std::string_view expression = ComponentExpression(def, i);
    auto& slot = compiled[std::string(expression)];
    if (!slot) {
      auto e = fhirpath::Expression::Compile(expression);
      if (!e.ok()) return {};
      slot = std::make_shared<const fhirpath::Expression>(std::move(e).value());
    }
    out.push_back({*type, slot, fhirpath::EntryElements(*slot)});
  }
  return out;
}

}  // namespace

namespace {

// Custom definitions and the model-shaped views of them; never freed (the registry's views
// point into them for the life of the process).
struct Extras {
  std::mutex mu;
  bool used = false;  // Default() was built
  std::deque<CustomParamDef> defs;
  std::deque<fhir::SearchParamDef> views;
  std::vector<std::string> keys;  // "type/code", sorted, to compare configurations
};

Extras& TheExtras() {
  static Extras* e = new Extras();
  return *e;
}

std::vector<std::string> KeysOf(const std::vector<CustomParamDef>& defs) {
  std::vector<std::string> keys;
  for (const CustomParamDef& d : defs) {
    for (const std::string& b : d.base) keys.push_back(b + "/" + d.code + " " + d.expression);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

Status ParamRegistry::Configure(std::vector<CustomParamDef> extra) {
  Extras& e = TheExtras();
  std::lock_guard lock(e.mu);
  std::vector<std::string> keys = KeysOf(extra);
  if (e.used || !e.defs.empty()) {
    if (keys == e.keys) return Status::Ok();
    return Status(ErrorCode::kConflict,
                  "search parameters are already in use; custom ones are read at start-up");
  }
  e.keys = std::move(keys);
  for (CustomParamDef& d : extra) {
    const CustomParamDef& kept = e.defs.emplace_back(std::move(d));
    fhir::SearchParamDef& v = e.views.emplace_back();
    v.code = kept.code;
    v.type = kept.type;
    v.url = kept.url;
    v.expression = kept.expression;
    for (const std::string& b : kept.base) v.base.push_back(b);
    for (const std::string& t : kept.target) v.target.push_back(t);
  }
  return Status::Ok();
}

bool ParamRegistry::IsCustom(std::string_view type, std::string_view code) const {
  for (const fhir::SearchParamDef& v : TheExtras().views) {
    if (v.code != code) continue;
    for (std::string_view b : v.base) {
      if (b == type) return true;
    }
  }
  return false;
}

ParamRegistry::ParamRegistry() {
  const fhir::Model& model = fhir::Model::R4();
  Extras& extras = TheExtras();
  {
    std::lock_guard lock(extras.mu);
    extras.used = true;
  }
  // One compiled expression per distinct pruned text: many types share parameters.
  std::unordered_map<std::string, std::shared_ptr<const fhirpath::Expression>> compiled;
  for (std::string_view type : model.ResourceTypes()) {
    auto stub = std::make_unique<fhir::JsonDoc>();
    stub->SetObject();
    stub->AddMember("resourceType",
                    rapidjson::Value(rapidjson::StringRef(
                        type.data(), static_cast<rapidjson::SizeType>(type.size()))),
                    stub->GetAllocator());
    stubs_.emplace(type, std::move(stub));

    PerType& pt = types_[type];
    std::unordered_map<std::string_view, std::vector<std::string>> branches;  // by code
    std::vector<std::string> texts;
    std::vector<const fhir::SearchParamDef*> defs = model.SearchParameters(type);
    for (const fhir::SearchParamDef& v : extras.views) {
      if (std::find(v.base.begin(), v.base.end(), type) != v.base.end()) defs.push_back(&v);
    }
    for (const fhir::SearchParamDef* def : defs) {
      if (pt.by_code.count(def->code)) continue;
      RegisteredParam p;
      p.code = def->code;
      p.type = ParamTypeFromName(def->type);
      p.url = def->url;
      p.targets = def->target;
      p.row_codes = {def->code};
      std::string text;
      if (def->code == "_id" || def->code == "_lastUpdated") {
        p.storage = Storage::kColumn;
      } else if (def->code == "_text" || def->code == "_content") {
        p.storage = Storage::kFullText;
      } else if (p.type == ParamType::kComposite) {
        p.components = CompositeComponents(*def, compiled);
        text = p.components.empty() ? std::string() : PruneExpression(def->expression, type);
        if (!text.empty()) {
          auto e = fhirpath::Expression::Compile(text);
          if (e.ok()) {
            p.expression = std::make_shared<const fhirpath::Expression>(std::move(e).value());
            p.storage = Storage::kIndexed;
          }
        }
        text.clear();  // composites are never aliases of other parameters
      } else if ((p.type != ParamType::kSpecial || def->code == "near") &&
                 !def->expression.empty()) {  // near: Location.position (special_params.h)
        text = PruneExpression(def->expression, type);
        if (!text.empty()) {
          auto& slot = compiled[text];
          if (!slot) {
            auto e = fhirpath::Expression::Compile(text);
            if (e.ok()) {
              slot = std::make_shared<const fhirpath::Expression>(std::move(e).value());
            } else {
              spdlog::warn("search parameter {} on {} not indexed: {}", def->url, type,
                           e.status().message());
            }
          }
          p.expression = slot;
          if (p.expression) {
            p.storage = Storage::kIndexed;
            for (std::string_view b : SplitUnion(text)) branches[p.code].emplace_back(b);
            if (p.type == ParamType::kToken) p.implied_system = ImpliedSystemOfBranches(SplitUnion(text));
          }
        }
      }
      if (p.expression) p.entry = fhirpath::EntryElements(*p.expression);
      pt.by_code.emplace(p.code, pt.all.size());
      pt.all.push_back(std::move(p));
      texts.push_back(std::move(text));
    }
    // Fewer branches first, so that a parameter's bases are settled before it.
    std::vector<size_t> order(pt.all.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return branches[pt.all[a].code].size() < branches[pt.all[b].code].size();
    });
    for (size_t i : order) {
      RegisteredParam& p = pt.all[i];
      if (p.storage != Storage::kIndexed || p.type == ParamType::kComposite) continue;
      FindAlias(p, texts[i], pt.all, branches);
      if (!p.resolve_type.empty()) p.targets = {p.resolve_type};
    }
    for (const RegisteredParam& p : pt.all) {
      if (p.storage == Storage::kIndexed && p.OwnRows()) pt.indexed.push_back(&p);
    }
  }
}

const ParamRegistry& ParamRegistry::Default() {
  static const ParamRegistry* registry = new ParamRegistry();
  return *registry;
}

const std::vector<RegisteredParam>& ParamRegistry::ForType(std::string_view type) const {
  static const std::vector<RegisteredParam> kNone;
  auto it = types_.find(type);
  return it == types_.end() ? kNone : it->second.all;
}

const std::vector<const RegisteredParam*>& ParamRegistry::IndexedFor(std::string_view type) const {
  static const std::vector<const RegisteredParam*> kNone;
  auto it = types_.find(type);
  return it == types_.end() ? kNone : it->second.indexed;
}

const RegisteredParam* ParamRegistry::Find(std::string_view type, std::string_view code) const {
  auto it = types_.find(type);
  if (it == types_.end()) return nullptr;
  auto c = it->second.by_code.find(code);
  return c == it->second.by_code.end() ? nullptr : &it->second.all[c->second];
}

std::vector<std::pair<std::string, std::string>> ParamRegistry::IndexedPairs() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [type, pt] : types_) {
    for (const RegisteredParam* p : pt.indexed) out.emplace_back(type, p->code);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const fhir::JsonValue* ParamRegistry::ResolveStub(std::string_view reference) const {
  std::string_view type, id;
  if (!ParseReference(reference, &type, &id)) return nullptr;
  auto it = stubs_.find(type);
  return it == stubs_.end() ? nullptr : it->second.get();
}

}  // namespace hb::search
