// Equality, equivalence, membership and union: http://hl7.org/fhirpath/N1/#equality
#include <algorithm>
#include <charconv>

#include "fhirpath/navigation.h"
#include "fhirpath/operators.h"

namespace hb::fhirpath::internal {

namespace {

constexpr std::string_view kUcum = "http://unitsofmeasure.org";

std::optional<Item> FromJsonKind(const fhir::JsonValue& v) {
  if (v.IsBool()) return Item::Boolean(v.GetBool());
  if (fhir::IsNumber(v)) {
    std::string_view t = fhir::NumberText(v);
    if (t.find_first_of(".eE") == std::string_view::npos) {
      int64_t i = 0;
      auto r = std::from_chars(t.data(), t.data() + t.size(), i);
      if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return Item::Integer(i);
    }
    auto d = Decimal::Parse(t, true);
    return d ? std::optional<Item>(Item::FromDecimal(*d)) : std::nullopt;
  }
  if (v.IsString()) return Item::String(fhir::StringView(v));
  return std::nullopt;
}

std::optional<Item> FhirQuantity(const fhir::JsonValue& v) {
  const fhir::JsonValue* value = fhir::Member(v, "value");
  if (value == nullptr || !fhir::IsNumber(*value)) return std::nullopt;
  auto d = Decimal::Parse(fhir::NumberText(*value), true);
  if (!d) return std::nullopt;
  std::string_view code = fhir::MemberString(v, "code");
  std::string_view unit = fhir::MemberString(v, "unit");
  bool ucum = fhir::MemberString(v, "system") == kUcum;
  std::string_view u = ucum && !code.empty() ? code : (!unit.empty() ? unit : code);
  return Item::FromQuantity(Quantity{*d, u.empty() ? std::string_view("1") : u, false});
}

bool JsonEqual(const fhir::JsonValue& a, const fhir::JsonValue& b, bool equivalent);

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string_view() : s.substr(b, e - b + 1);
}

// Case-insensitive (ASCII) with runs of white space as one space.
bool StringsEquivalent(std::string_view a, std::string_view b) {
  a = Trim(a);
  b = Trim(b);
  size_t i = 0, j = 0;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (i < a.size() && j < b.size()) {
    if (space(a[i]) && space(b[j])) {
      while (i < a.size() && space(a[i])) ++i;
      while (j < b.size() && space(b[j])) ++j;
      continue;
    }
    char x = a[i], y = b[j];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
    ++i;
    ++j;
  }
  return i == a.size() && j == b.size();
}

bool JsonEqual(const fhir::JsonValue& a, const fhir::JsonValue& b, bool equivalent) {
  if (fhir::IsNumber(a) && fhir::IsNumber(b)) {
    auto x = Decimal::Parse(fhir::NumberText(a), true),
         y = Decimal::Parse(fhir::NumberText(b), true);
    return x && y && Decimal::Compare(*x, *y) == 0;
  }
  if (a.GetType() != b.GetType()) return false;
  if (a.IsString()) {
    return equivalent ? StringsEquivalent(fhir::StringView(a), fhir::StringView(b))
                      : fhir::StringView(a) == fhir::StringView(b);
  }
  if (a.IsBool()) return a.GetBool() == b.GetBool();
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!JsonEqual(a[i], b[i], equivalent)) return false;
    }
    return true;
  }
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto m = a.MemberBegin(); m != a.MemberEnd(); ++m) {
      std::string_view key(m->name.GetString(), m->name.GetStringLength());
      if (equivalent && key == "id") continue;
      const fhir::JsonValue* other = fhir::Member(b, key);
      if (other == nullptr || !JsonEqual(m->value, *other, equivalent)) return false;
    }
    return true;
  }
  return true;  // null
}

bool IsNumeric(ItemKind k) { return k == ItemKind::kInteger || k == ItemKind::kDecimal; }
bool IsDateLike(ItemKind k) { return k == ItemKind::kDate || k == ItemKind::kDateTime; }

Decimal AsDecimal(const Item& v) {
  return v.kind() == ItemKind::kInteger ? Decimal::FromInteger(v.integer()) : v.decimal();
}

bool IsComplexNode(const Item& item) { return item.is_node() && !item.is_primitive(); }

}  // namespace

std::optional<Item> ToSystem(const Item& item) {
  if (!item.is_node()) return item;
  const fhir::JsonValue& v = item.json();
  if (v.IsNull()) return std::nullopt;
  fhir::Primitive p = fhir::Primitive::kNone;
  if (item.type_def() != nullptr) {
    p = fhir::PrimitiveFromName(item.type_def()->name);
  } else if (item.element() != nullptr) {
    p = item.element()->primitive;
  } else {
    return FromJsonKind(v);
  }
  switch (p) {
    case fhir::Primitive::kNone:
      if (v.IsObject() && IsSubtypeOf(item.node_type(), "Quantity")) return FhirQuantity(v);
      return std::nullopt;
    case fhir::Primitive::kDate:
    case fhir::Primitive::kDateTime:
    case fhir::Primitive::kInstant:
    case fhir::Primitive::kTime: {
      if (!v.IsString()) return FromJsonKind(v);
      std::string_view s = fhir::StringView(v);
      auto d = p == fhir::Primitive::kDate   ? DateTime::ParseDate(s)
               : p == fhir::Primitive::kTime ? DateTime::ParseTime(s)
                                             : DateTime::ParseDateTime(s);
      return d ? std::optional<Item>(Item::FromDateTime(*d)) : std::nullopt;
    }
    case fhir::Primitive::kDecimal: {
      if (!fhir::IsNumber(v)) return FromJsonKind(v);
      auto d = Decimal::Parse(fhir::NumberText(v), true);
      return d ? std::optional<Item>(Item::FromDecimal(*d)) : std::nullopt;
    }
    default:
      return FromJsonKind(v);  // boolean, integers, string-like
  }
}

std::optional<bool> EqualItems(const Item& a, const Item& b) {
  if (a.is_node() && b.is_node() && &a.json() == &b.json() && a.companion() == b.companion()) {
    return true;
  }
  std::optional<Item> x = ToSystem(a), y = ToSystem(b);
  if (!x || !y) {
    if (IsComplexNode(a) && IsComplexNode(b)) return JsonEqual(a.json(), b.json(), false);
    if ((a.is_node() && a.is_primitive() && !x) || (b.is_node() && b.is_primitive() && !y)) {
      return std::nullopt;
    }
    return false;
  }
  ItemKind k = x->kind(), l = y->kind();
  if (IsNumeric(k) && IsNumeric(l)) {
    if (k == ItemKind::kInteger && l == ItemKind::kInteger) return x->integer() == y->integer();
    return Decimal::Compare(AsDecimal(*x), AsDecimal(*y)) == 0;
  }
  if (IsDateLike(k) && IsDateLike(l)) {
    auto c = Compare(x->datetime(), y->datetime());
    return c ? std::optional<bool>(*c == 0) : std::nullopt;
  }
  if (k != l) return false;
  switch (k) {
    case ItemKind::kBoolean:
      return x->boolean() == y->boolean();
    case ItemKind::kString:
      return x->string() == y->string();
    case ItemKind::kTime: {
      auto c = Compare(x->datetime(), y->datetime());
      return c ? std::optional<bool>(*c == 0) : std::nullopt;
    }
    case ItemKind::kQuantity: {
      auto c = CompareQuantities(x->quantity(), y->quantity());
      return c ? std::optional<bool>(*c == 0) : std::nullopt;
    }
    case ItemKind::kTypeInfo:
      return x->type_namespace() == y->type_namespace() && x->type_name() == y->type_name();
    default:
      return false;
  }
}

bool EquivalentItems(const Item& a, const Item& b) {
  std::optional<Item> x = ToSystem(a), y = ToSystem(b);
  if (!x || !y) {
    return IsComplexNode(a) && IsComplexNode(b) && JsonEqual(a.json(), b.json(), true);
  }
  ItemKind k = x->kind(), l = y->kind();
  if (IsNumeric(k) && IsNumeric(l)) {
    Decimal p = AsDecimal(*x), q = AsDecimal(*y);
    int scale = std::min(p.scale(), q.scale());
    return Decimal::Compare(p.Round(scale), q.Round(scale)) == 0;
  }
  if ((IsDateLike(k) && IsDateLike(l)) || (k == ItemKind::kTime && l == ItemKind::kTime)) {
    return Equivalent(x->datetime(), y->datetime());
  }
  if (k != l) return false;
  switch (k) {
    case ItemKind::kBoolean:
      return x->boolean() == y->boolean();
    case ItemKind::kString:
      return StringsEquivalent(x->string(), y->string());
    case ItemKind::kQuantity:
      return EquivalentQuantities(x->quantity(), y->quantity()).value_or(false);
    default:
      return EqualItems(*x, *y).value_or(false);
  }
}

bool CollectionHas(Span c, const Item& item) {
  for (const Item& x : c) {
    if (EqualItems(x, item).value_or(false)) return true;
  }
  return false;
}

Result<std::optional<bool>> ToBoolean(const Node& at, Span c) {
  if (c.empty()) return std::optional<bool>();
  if (c.size() > 1) return EvalError(at, "a single Boolean was expected, not a collection");
  std::optional<Item> v = ToSystem(c[0]);
  if (v && v->kind() == ItemKind::kBoolean) return std::optional<bool>(v->boolean());
  return std::optional<bool>(true);  // a single non-Boolean item counts as true
}

Result<std::optional<Item>> Single(const Node& at, Span c) {
  if (c.empty()) return std::optional<Item>();
  if (c.size() > 1) return EvalError(at, "a single item was expected, not a collection");
  std::optional<Item> v = ToSystem(c[0]);
  if (v) return v;
  if (c[0].is_node() && c[0].is_primitive()) return std::optional<Item>();  // no value
  return std::optional<Item>(c[0]);
}

Status EqualityOp(const Node& at, Span l, Span r, Collection& out) {
  BinaryOp op = at.bin;
  if (op == BinaryOp::kEqual || op == BinaryOp::kNotEqual) {
    if (l.empty() || r.empty()) return Status::Ok();
    bool equal = l.size() == r.size(), unknown = false;
    for (size_t i = 0; equal && i < l.size(); ++i) {
      std::optional<bool> e = EqualItems(l[i], r[i]);
      if (!e)
        unknown = true;
      else if (!*e)
        equal = false;
    }
    if (equal && unknown) return Status::Ok();
    out.push_back(Item::Boolean(op == BinaryOp::kEqual ? equal : !equal));
    return Status::Ok();
  }
  bool equivalent = l.size() == r.size();
  std::vector<bool> used(r.size(), false);
  for (size_t i = 0; equivalent && i < l.size(); ++i) {
    bool found = false;
    for (size_t j = 0; j < r.size() && !found; ++j) {
      if (!used[j] && EquivalentItems(l[i], r[j])) used[j] = found = true;
    }
    equivalent = found;
  }
  out.push_back(Item::Boolean(op == BinaryOp::kEquivalent ? equivalent : !equivalent));
  return Status::Ok();
}

Status MembershipOp(const Node& at, Span l, Span r, Collection& out) {
  Span element = at.bin == BinaryOp::kIn ? l : r;
  Span collection = at.bin == BinaryOp::kIn ? r : l;
  if (element.empty()) return Status::Ok();
  if (element.size() > 1) return EvalError(at, "membership needs a single item to look for");
  out.push_back(Item::Boolean(CollectionHas(collection, element[0])));
  return Status::Ok();
}

}  // namespace hb::fhirpath::internal
