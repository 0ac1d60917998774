#include "fhirpath/types.h"

#include "fhirpath/evaluator.h"
#include "fhirpath/navigation.h"

namespace hb::fhirpath::internal {

namespace {

struct SystemType {
  std::string_view name;
  ItemKind kind;
};
constexpr SystemType kSystemTypes[] = {
    {"Boolean", ItemKind::kBoolean}, {"Integer", ItemKind::kInteger},
    {"Decimal", ItemKind::kDecimal}, {"String", ItemKind::kString},
    {"Date", ItemKind::kDate},       {"DateTime", ItemKind::kDateTime},
    {"Time", ItemKind::kTime},       {"Quantity", ItemKind::kQuantity},
};

const SystemType* FindSystemType(std::string_view name) {
  for (const SystemType& t : kSystemTypes) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string_view SystemName(ItemKind kind) {
  for (const SystemType& t : kSystemTypes) {
    if (t.kind == kind) return t.name;
  }
  return "TypeInfo";
}

}  // namespace

Result<ResolvedType> ResolveType(const Node& at, const TypeSpec& spec) {
  ResolvedType r;
  const fhir::Model& model = fhir::Model::R4();
  if (spec.ns == "System") {
    const SystemType* s = FindSystemType(spec.name);
    r.system = s != nullptr;  // an unknown System type matches nothing
    r.name = s != nullptr ? s->name : std::string_view();
    return r;
  }
  const fhir::TypeDef* t = model.FindType(spec.name);
  if (spec.ns == "FHIR") {
    if (t == nullptr) return EvalError(at, "unknown FHIR type '" + spec.name + "'");
    r.fhir = true;
    r.name = t->name;
    return r;
  }
  if (!spec.ns.empty()) return EvalError(at, "unknown type namespace '" + spec.ns + "'");
  const SystemType* s = FindSystemType(spec.name);
  if (t == nullptr && s == nullptr) return EvalError(at, "unknown type '" + spec.name + "'");
  r.fhir = t != nullptr;
  r.system = s != nullptr && (t == nullptr || s->name == "Quantity");
  r.name = t != nullptr ? t->name : s->name;
  return r;
}

bool MatchesType(const Item& item, const ResolvedType& type, bool exact) {
  if (!item.is_node()) {
    if (!type.system) return false;
    const SystemType* s = FindSystemType(type.name);
    return s != nullptr && s->kind == item.kind();
  }
  if (!type.fhir) return false;
  std::string_view t = item.node_type();
  if (t.empty()) return false;
  if (exact && item.is_primitive()) return t == type.name;
  return IsSubtypeOf(t, type.name);
}

Item TypeInfoOf(const Item& item) {
  if (item.is_node() && !item.node_type().empty()) return Item::TypeInfo("FHIR", item.node_type());
  if (item.is_node()) return Item::TypeInfo("System", SystemName(ItemKind::kString));
  return Item::TypeInfo("System", SystemName(item.kind()));
}

}  // namespace hb::fhirpath::internal
