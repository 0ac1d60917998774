#include "search/param_registry.h"

#include <spdlog/spdlog.h>

#include "common/ids.h"

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
    case ParamType::kNumber: return "number";
    case ParamType::kDate: return "date";
    case ParamType::kString: return "string";
    case ParamType::kToken: return "token";
    case ParamType::kReference: return "reference";
    case ParamType::kComposite: return "composite";
    case ParamType::kQuantity: return "quantity";
    case ParamType::kUri: return "uri";
    case ParamType::kSpecial: return "special";
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

ParamRegistry::ParamRegistry() {
  const fhir::Model& model = fhir::Model::R4();
  // One compiled expression per distinct pruned text: many types share parameters.
  std::unordered_map<std::string, std::shared_ptr<const fhirpath::Expression>> compiled;
  for (std::string_view type : model.ResourceTypes()) {
    auto stub = std::make_unique<fhir::JsonDoc>();
    stub->SetObject();
    stub->AddMember("resourceType",
                    rapidjson::Value(rapidjson::StringRef(type.data(),
                                                          static_cast<rapidjson::SizeType>(type.size()))),
                    stub->GetAllocator());
    stubs_.emplace(type, std::move(stub));

    PerType& pt = types_[type];
    for (const fhir::SearchParamDef* def : model.SearchParameters(type)) {
      if (pt.by_code.count(def->code)) continue;
      RegisteredParam p;
      p.code = def->code;
      p.type = ParamTypeFromName(def->type);
      p.url = def->url;
      p.targets = def->target;
      if (def->code == "_id" || def->code == "_lastUpdated") {
        p.storage = Storage::kColumn;
      } else if (p.type != ParamType::kComposite && p.type != ParamType::kSpecial &&
                 !def->expression.empty()) {
        std::string text = PruneExpression(def->expression, type);
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
          if (p.expression) p.storage = Storage::kIndexed;
        }
      }
      pt.by_code.emplace(p.code, pt.all.size());
      pt.all.push_back(std::move(p));
    }
    for (const RegisteredParam& p : pt.all) {
      if (p.storage == Storage::kIndexed) pt.indexed.push_back(&p);
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
  return out;
}

const fhir::JsonValue* ParamRegistry::ResolveStub(std::string_view reference) const {
  std::string_view type, id;
  if (!ParseReference(reference, &type, &id)) return nullptr;
  auto it = stubs_.find(type);
  return it == stubs_.end() ? nullptr : it->second.get();
}

}  // namespace hb::search
