#include "fhirpath/item.h"

#include <utility>

namespace hb::fhirpath {

Item Item::Node(const fhir::JsonValue* value, const fhir::JsonValue* companion,
                const fhir::ElementDef* element, const fhir::TypeDef* type) {
  Item it;
  it.kind_ = ItemKind::kNode;
  it.v_.node = NodeRef{value, companion, element, type};
  return it;
}

Item Item::Boolean(bool v) {
  Item it;
  it.kind_ = ItemKind::kBoolean;
  it.v_.b = v;
  return it;
}

Item Item::Integer(int64_t v) {
  Item it;
  it.kind_ = ItemKind::kInteger;
  it.v_.i = v;
  return it;
}

Item Item::FromDecimal(const Decimal& v) {
  Item it;
  it.kind_ = ItemKind::kDecimal;
  it.v_.d = v;
  return it;
}

Item Item::String(std::string_view borrowed) {
  Item it;
  it.kind_ = ItemKind::kString;
  it.text_ = borrowed;
  return it;
}

Item Item::OwnedString(std::string text) {
  Item it;
  it.kind_ = ItemKind::kString;
  it.owned_ = std::make_shared<const std::string>(std::move(text));
  it.text_ = *it.owned_;
  return it;
}

Item Item::StringSharing(const Item& owner, std::string_view text) {
  Item it;
  it.kind_ = ItemKind::kString;
  it.owned_ = owner.owned_;
  it.text_ = text;
  return it;
}

Item Item::FromDateTime(const DateTime& v) {
  Item it;
  switch (v.kind) {
    case DateTime::Kind::kDate:
      it.kind_ = ItemKind::kDate;
      break;
    case DateTime::Kind::kDateTime:
      it.kind_ = ItemKind::kDateTime;
      break;
    case DateTime::Kind::kTime:
      it.kind_ = ItemKind::kTime;
      break;
  }
  it.v_.dt = v;
  return it;
}

Item Item::FromQuantity(const Quantity& q) {
  Item it;
  it.kind_ = ItemKind::kQuantity;
  it.v_.d = q.value;
  it.text_ = q.unit;
  it.calendar_ = q.calendar;
  return it;
}

Item Item::OwnedQuantity(const Decimal& value, std::string unit, bool calendar) {
  Item it;
  it.kind_ = ItemKind::kQuantity;
  it.v_.d = value;
  it.owned_ = std::make_shared<const std::string>(std::move(unit));
  it.text_ = *it.owned_;
  it.calendar_ = calendar;
  return it;
}

Item Item::TypeInfo(std::string_view ns, std::string_view name) {
  Item it;
  it.kind_ = ItemKind::kTypeInfo;
  it.v_.ns = ns;
  it.text_ = name;
  return it;
}

std::string_view Item::node_type() const {
  if (v_.node.type != nullptr) return v_.node.type->name;
  if (v_.node.element != nullptr) return v_.node.element->type;
  return {};
}

std::string_view Item::context() const {
  if (v_.node.type != nullptr) return v_.node.type->name;
  if (v_.node.element != nullptr) return v_.node.element->context;
  return {};
}

bool Item::is_primitive() const {
  if (v_.node.type != nullptr) return v_.node.type->kind == fhir::TypeKind::kPrimitive;
  if (v_.node.element != nullptr) return v_.node.element->is_primitive;
  return !v_.node.value->IsObject() && !v_.node.value->IsArray();
}

std::string TypeName(const Item& item) {
  switch (item.kind()) {
    case ItemKind::kNode: {
      std::string_view t = item.node_type();
      if (!t.empty()) return std::string(t);
      const fhir::JsonValue& v = item.json();
      if (v.IsBool()) return "boolean";
      if (fhir::IsNumber(v)) return "decimal";
      if (v.IsString()) return "string";
      return "Element";
    }
    case ItemKind::kBoolean:
      return "boolean";
    case ItemKind::kInteger:
      return "integer";
    case ItemKind::kDecimal:
      return "decimal";
    case ItemKind::kString:
      return "string";
    case ItemKind::kDate:
      return "date";
    case ItemKind::kDateTime:
      return "dateTime";
    case ItemKind::kTime:
      return "time";
    case ItemKind::kQuantity:
      return "Quantity";
    case ItemKind::kTypeInfo:
      return "TypeInfo";
  }
  return {};
}

}  // namespace hb::fhirpath
