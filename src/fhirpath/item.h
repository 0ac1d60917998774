// Item: one value of a FHIRPath collection, either a FHIR node or a System value.
//
// A FHIR node points into the caller's JSON DOM, never copying it: the JSON value (a JSON
// null when a primitive has only extensions), the `_name` companion object of a primitive
// (its id and extensions), and its type: the ElementDef it was reached through, or the
// TypeDef of a resource or of the evaluation root. A System value (http://hl7.org/fhirpath/
// N1/#literals) is a Boolean, Integer, Decimal, String, Date, DateTime, Time or Quantity,
// or the TypeInfo that type() returns. Strings and units either borrow their text (from the
// JSON DOM) or share an owned copy, so copying an Item never copies text.
//
// Thread-safety: a value type; copies may be used from any thread.
// Ownership: a node Item borrows the JSON DOM, which must outlive it.
// Failure modes: an accessor for another kind is a bug (the value is unspecified).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fhir/json.h"
#include "fhir/model.h"
#include "fhirpath/datetime.h"
#include "fhirpath/decimal.h"
#include "fhirpath/quantity.h"

namespace hb::fhirpath {

enum class ItemKind : uint8_t {
  kNode,
  kBoolean,
  kInteger,
  kDecimal,
  kString,
  kDate,
  kDateTime,
  kTime,
  kQuantity,
  kTypeInfo,
};

class Item {
 public:
  Item() = default;  // the Boolean false

  // A FHIR node. `element` is the definition it was reached through; `type` the TypeDef of a
  // resource or root (either may be null: an untyped node navigates by JSON names only).
  static Item Node(const fhir::JsonValue* value, const fhir::JsonValue* companion,
                   const fhir::ElementDef* element, const fhir::TypeDef* type);
  static Item Boolean(bool v);
  static Item Integer(int64_t v);
  static Item FromDecimal(const Decimal& v);
  static Item String(std::string_view borrowed);
  static Item OwnedString(std::string text);
  // A string viewing text that `owner` keeps alive (owner's own text or borrowed text).
  static Item StringSharing(const Item& owner, std::string_view text);
  static Item FromDateTime(const DateTime& v);  // kDate, kDateTime or kTime by v.kind
  static Item FromQuantity(const Quantity& q);  // the unit text is borrowed
  static Item OwnedQuantity(const Decimal& value, std::string unit, bool calendar);
  static Item TypeInfo(std::string_view ns, std::string_view name);  // static text only

  ItemKind kind() const { return kind_; }
  bool is_node() const { return kind_ == ItemKind::kNode; }

  // kNode
  const fhir::JsonValue& json() const { return *v_.node.value; }
  const fhir::JsonValue* companion() const { return v_.node.companion; }
  const fhir::ElementDef* element() const { return v_.node.element; }
  const fhir::TypeDef* type_def() const { return v_.node.type; }
  // The FHIR type name ("HumanName", "code", "Patient"); empty for an untyped node.
  std::string_view node_type() const;
  // The model context of the node's children ("Patient.contact", "HumanName").
  std::string_view context() const;
  // A FHIR primitive (element or root of a primitive type).
  bool is_primitive() const;

  // System values
  bool boolean() const { return v_.b; }
  int64_t integer() const { return v_.i; }
  const Decimal& decimal() const { return v_.d; }
  std::string_view string() const { return text_; }
  const DateTime& datetime() const { return v_.dt; }
  Quantity quantity() const { return Quantity{v_.d, text_, calendar_}; }
  std::string_view type_namespace() const { return v_.ns; }
  std::string_view type_name() const { return text_; }

 private:
  struct NodeRef {
    const fhir::JsonValue* value;
    const fhir::JsonValue* companion;
    const fhir::ElementDef* element;
    const fhir::TypeDef* type;
  };
  union Payload {
    Payload() : i(0) {}
    NodeRef node;
    bool b;
    int64_t i;
    Decimal d;
    DateTime dt;
    std::string_view ns;
  };

  ItemKind kind_ = ItemKind::kBoolean;
  bool calendar_ = false;
  Payload v_;
  std::string_view text_;
  std::shared_ptr<const std::string> owned_;  // backs text_ when the text is not borrowed
};

// The FHIRPath type name: "boolean", "integer", "decimal", "string", "date", "dateTime",
// "time", "Quantity" for System values ("TypeInfo" for type()), the FHIR type for nodes.
std::string TypeName(const Item& item);

}  // namespace hb::fhirpath
