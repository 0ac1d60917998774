#include "fhirpath/navigation.h"

#include <string>

namespace hb::fhirpath::internal {

namespace {

const fhir::JsonValue kNullJson;

const fhir::Model& M() { return fhir::Model::R4(); }

// Member `name` and its `_name` companion, found in one pass over the object.
struct Found {
  const fhir::JsonValue* value = nullptr;
  const fhir::JsonValue* companion = nullptr;
};
Found FindWithCompanion(const fhir::JsonValue& obj, std::string_view name, bool companion) {
  Found f;
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
    std::string_view key(m->name.GetString(), m->name.GetStringLength());
    if (key.size() == name.size() && key == name) {
      f.value = &m->value;
      if (!companion || f.companion != nullptr) break;
    } else if (companion && key.size() == name.size() + 1 && key[0] == '_' &&
               key.substr(1) == name) {
      f.companion = &m->value;
      if (f.value != nullptr) break;
    }
  }
  return f;
}

const fhir::JsonValue* Companion(const fhir::JsonValue& obj, std::string_view name) {
  return FindWithCompanion(obj, name, true).companion;
}

const fhir::TypeDef* ResourceTypeOf(const fhir::JsonValue& v) {
  if (!v.IsObject()) return nullptr;
  std::string_view rt = fhir::MemberString(v, "resourceType");
  return rt.empty() ? nullptr : M().FindType(rt);
}

// One child node; a resource in a polymorphic element (contained, entry.resource) gets its
// type from resourceType.
void Push(const fhir::JsonValue* v, const fhir::JsonValue* companion, const fhir::ElementDef* e,
          Collection& out) {
  if (companion != nullptr && !companion->IsObject()) companion = nullptr;
  const fhir::TypeDef* type = nullptr;
  if ((e == nullptr || e->polymorphic) && v->IsObject()) type = ResourceTypeOf(*v);
  out.push_back(Item::Node(v, companion, e, type));
}

// The values of one JSON member (an array is flattened) with their companions.
void AddValues(const fhir::JsonValue* v, const fhir::JsonValue* companion,
               const fhir::ElementDef* e, Collection& out) {
  if (v != nullptr && v->IsArray()) {
    bool paired = companion != nullptr && companion->IsArray();
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      const fhir::JsonValue* c = paired && i < companion->Size() ? &(*companion)[i] : nullptr;
      const fhir::JsonValue& item = (*v)[i];
      if (item.IsNull() && c == nullptr) continue;
      Push(&item, c, e, out);
    }
    return;
  }
  if (v != nullptr && !v->IsNull()) {
    Push(v, companion, e, out);
    return;
  }
  if (companion == nullptr) return;  // only a primitive's extensions are left
  if (companion->IsArray()) {
    for (const fhir::JsonValue& c : companion->GetArray()) {
      if (c.IsObject()) Push(&kNullJson, &c, e, out);
    }
  } else {
    Push(&kNullJson, companion, e, out);
  }
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// `name` as a type test: Patient.name on a Patient keeps the item.
void NavigateTypeName(const Item& item, std::string_view name, Collection& out) {
  if (IsSubtypeOf(item.node_type(), name)) out.push_back(item);
}

}  // namespace

bool IsSubtypeOf(std::string_view type, std::string_view ancestor) {
  for (int guard = 0; !type.empty() && guard < 16; ++guard) {
    if (type == ancestor) return true;
    const fhir::TypeDef* t = M().FindType(type);
    if (t == nullptr) return false;
    type = t->base;
  }
  return false;
}

Item ResourceItem(const fhir::JsonValue& resource) {
  return Item::Node(&resource, nullptr, nullptr, ResourceTypeOf(resource));
}

Status Navigate(const Node& at, const Item& item, std::string_view name, bool path_start,
                Collection& out) {
  if (!item.is_node()) {
    if (item.kind() == ItemKind::kTypeInfo) {
      if (name == "name") out.push_back(Item::String(item.type_name()));
      if (name == "namespace") out.push_back(Item::String(item.type_namespace()));
    } else if (item.kind() == ItemKind::kQuantity) {
      if (name == "value") out.push_back(Item::FromDecimal(item.decimal()));
      if (name == "unit") out.push_back(Item::StringSharing(item, item.string()));
    }
    return Status::Ok();
  }
  const fhir::JsonValue& v = item.json();
  std::string_view context = item.context();
  if (item.is_primitive()) {
    const fhir::JsonValue* c = item.companion();
    if (name == "extension" || name == "id") {
      if (c != nullptr)
        AddValues(fhir::Member(*c, name), nullptr, M().FindElement(context, name), out);
      return Status::Ok();
    }
    if (path_start) NavigateTypeName(item, name, out);
    return Status::Ok();
  }
  if (!v.IsObject()) return Status::Ok();
  if (context.empty()) {  // untyped: by JSON name
    Found f = FindWithCompanion(v, name, true);
    AddValues(f.value, f.companion, nullptr, out);
    return Status::Ok();
  }
  if (const fhir::ElementDef* e = M().FindElement(context, name)) {
    if (!e->choice_group.empty() && e->choice_group != e->name) {
      std::string what = "'";
      what.append(name).append("' is not an element of ").append(context);
      what.append("; use the choice name '").append(e->choice_group).append("'");
      return EvalError(at, what);
    }
    Found f = FindWithCompanion(v, name, e->has_companion);
    AddValues(f.value, f.companion, e, out);
    return Status::Ok();
  }
  if (IsUpper(name[0])) {  // a type name: element and choice names start in lower case
    if (path_start) NavigateTypeName(item, name, out);
    return Status::Ok();
  }
  // A choice group: valueQuantity, valueString, ... for `value`.
  bool found = false;
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    std::string_view key(m->name.GetString(), m->name.GetStringLength());
    if (key.size() <= name.size() || key.compare(0, name.size(), name) != 0 ||
        !IsUpper(key[name.size()])) {
      continue;
    }
    const fhir::ElementDef* e = M().FindElement(context, key);
    if (e == nullptr || e->choice_group != name) continue;
    AddValues(&m->value, e->has_companion ? Companion(v, key) : nullptr, e, out);
    found = true;
  }
  if (!found && path_start) NavigateTypeName(item, name, out);
  return Status::Ok();
}

void Children(const Item& item, Collection& out) {
  if (!item.is_node()) return;
  std::string_view context = item.context();
  if (item.is_primitive()) {
    if (const fhir::JsonValue* c = item.companion()) {
      for (auto m = c->MemberBegin(); m != c->MemberEnd(); ++m) {
        std::string_view key(m->name.GetString(), m->name.GetStringLength());
        AddValues(&m->value, nullptr, M().FindElement(context, key), out);
      }
    }
    return;
  }
  const fhir::JsonValue& v = item.json();
  if (!v.IsObject()) return;
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    std::string_view key(m->name.GetString(), m->name.GetStringLength());
    if (key == "resourceType") continue;
    if (!key.empty() && key[0] == '_') {
      // A companion with no value beside it: a primitive that has only extensions.
      std::string_view base = key.substr(1);
      if (fhir::Member(v, base) == nullptr) {
        AddValues(nullptr, &m->value, context.empty() ? nullptr : M().FindElement(context, base),
                  out);
      }
      continue;
    }
    const fhir::ElementDef* e = context.empty() ? nullptr : M().FindElement(context, key);
    const fhir::JsonValue* c = (e == nullptr || e->has_companion) ? Companion(v, key) : nullptr;
    AddValues(&m->value, c, e, out);
  }
}

}  // namespace hb::fhirpath::internal
