// Comparison and math operators: http://hl7.org/fhirpath/N1/#comparison and #math
#include <string>

#include "fhirpath/operators.h"

namespace hb::fhirpath::internal {

namespace {

bool IsNumeric(const Item& v) {
  return v.kind() == ItemKind::kInteger || v.kind() == ItemKind::kDecimal;
}
bool IsTemporal(const Item& v) {
  return v.kind() == ItemKind::kDate || v.kind() == ItemKind::kDateTime ||
         v.kind() == ItemKind::kTime;
}
Decimal AsDecimal(const Item& v) {
  return v.kind() == ItemKind::kInteger ? Decimal::FromInteger(v.integer()) : v.decimal();
}
Quantity AsQuantity(const Item& v) {
  return v.kind() == ItemKind::kQuantity ? v.quantity() : Quantity{AsDecimal(v), "1", false};
}

Status TypeMismatch(const Node& at, const char* what, const Item& a, const Item& b) {
  return EvalError(at, std::string("cannot ") + what + " " + TypeName(a) + " and " + TypeName(b));
}

void PushQuantity(const OwnedQuantity& q, Collection& out) {
  out.push_back(Item::OwnedQuantity(q.value, q.unit, false));
}

// date/dateTime/time +/- a calendar duration.
Status AddDuration(const Node& at, const Item& when, const Item& amount, bool subtract,
                   Collection& out) {
  if (amount.kind() != ItemKind::kQuantity) return TypeMismatch(at, "add", when, amount);
  Quantity q = amount.quantity();
  std::string_view unit = DurationUnit(q);
  if (unit.empty()) {
    std::string what = "'";
    what += q.unit;
    what += "' is not a calendar duration for date arithmetic";
    return EvalError(at, what);
  }
  auto n = q.value.Truncate().ToInteger();
  if (!n) return EvalError(at, "duration out of range");
  auto r = fhirpath::AddDuration(when.datetime(), subtract ? -*n : *n, unit);
  if (!r) return EvalError(at, "date arithmetic out of range or not applicable");
  out.push_back(Item::FromDateTime(*r));
  return Status::Ok();
}

Status Numbers(const Node& at, const Item& a, const Item& b, Collection& out) {
  BinaryOp op = at.bin;
  if (a.kind() == ItemKind::kInteger && b.kind() == ItemKind::kInteger && op != BinaryOp::kDiv) {
    int64_t x = a.integer(), y = b.integer(), r = 0;
    bool overflow = false;
    switch (op) {
      case BinaryOp::kAdd:
        overflow = __builtin_add_overflow(x, y, &r);
        break;
      case BinaryOp::kSub:
        overflow = __builtin_sub_overflow(x, y, &r);
        break;
      case BinaryOp::kMul:
        overflow = __builtin_mul_overflow(x, y, &r);
        break;
      case BinaryOp::kIntDiv:
        if (y == 0) return Status::Ok();
        r = x / y;
        break;
      case BinaryOp::kMod:
        if (y == 0) return Status::Ok();
        r = x % y;
        break;
      default:
        return TypeMismatch(at, "combine", a, b);
    }
    if (overflow) return EvalError(at, "integer overflow");
    out.push_back(Item::Integer(r));
    return Status::Ok();
  }
  Decimal x = AsDecimal(a), y = AsDecimal(b);
  std::optional<Decimal> r;
  switch (op) {
    case BinaryOp::kAdd:
      r = Decimal::Add(x, y);
      break;
    case BinaryOp::kSub:
      r = Decimal::Sub(x, y);
      break;
    case BinaryOp::kMul:
      r = Decimal::Mul(x, y);
      break;
    case BinaryOp::kDiv:
      if (y.IsZero()) return Status::Ok();
      r = Decimal::Div(x, y);
      break;
    case BinaryOp::kIntDiv: {
      if (y.IsZero()) return Status::Ok();
      auto q = Decimal::IntDiv(x, y);
      auto i = q ? q->ToInteger() : std::nullopt;
      if (!i) return EvalError(at, "decimal overflow");
      out.push_back(Item::Integer(*i));
      return Status::Ok();
    }
    case BinaryOp::kMod:
      if (y.IsZero()) return Status::Ok();
      r = Decimal::Mod(x, y);
      break;
    default:
      return TypeMismatch(at, "combine", a, b);
  }
  if (!r) return EvalError(at, "decimal overflow");
  out.push_back(Item::FromDecimal(*r));
  return Status::Ok();
}

Status Quantities(const Node& at, const Item& a, const Item& b, Collection& out) {
  Quantity x = AsQuantity(a), y = AsQuantity(b);
  switch (at.bin) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub: {
      if (!IsNumeric(a) && !IsNumeric(b)) {
        auto r = AddQuantities(x, y, at.bin == BinaryOp::kSub);
        if (!r) return EvalError(at, "the quantities' units are not compatible");
        out.push_back(Item::OwnedQuantity(r->value, std::string(r->unit), r->calendar));
        return Status::Ok();
      }
      return TypeMismatch(at, "add", a, b);
    }
    case BinaryOp::kMul: {
      auto r = MultiplyQuantities(x, y);
      if (!r) return EvalError(at, "quantity overflow");
      PushQuantity(*r, out);
      return Status::Ok();
    }
    case BinaryOp::kDiv: {
      if (y.value.IsZero()) return Status::Ok();
      auto r = DivideQuantities(x, y);
      if (!r) return EvalError(at, "quantity overflow");
      PushQuantity(*r, out);
      return Status::Ok();
    }
    default:
      return TypeMismatch(at, "combine", a, b);
  }
}

std::string Concat(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size());
  s.append(a.data(), a.size());
  s.append(b.data(), b.size());
  return s;
}

const char* Verb(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "add";
    case BinaryOp::kSub:
      return "subtract";
    case BinaryOp::kMul:
      return "multiply";
    default:
      return "divide";
  }
}

}  // namespace

Result<std::optional<int>> CompareValues(const Node& at, const Item& a, const Item& b) {
  if (IsNumeric(a) && IsNumeric(b)) {
    if (a.kind() == ItemKind::kInteger && b.kind() == ItemKind::kInteger) {
      return std::optional<int>(a.integer() < b.integer() ? -1 : (a.integer() > b.integer()));
    }
    return std::optional<int>(Decimal::Compare(AsDecimal(a), AsDecimal(b)));
  }
  if (a.kind() == ItemKind::kString && b.kind() == ItemKind::kString) {
    int c = a.string().compare(b.string());
    return std::optional<int>(c < 0 ? -1 : (c > 0));
  }
  bool a_time = a.kind() == ItemKind::kTime, b_time = b.kind() == ItemKind::kTime;
  if (IsTemporal(a) && IsTemporal(b) && a_time == b_time) {
    return Compare(a.datetime(), b.datetime());
  }
  if (a.kind() == ItemKind::kQuantity && b.kind() == ItemKind::kQuantity) {
    return CompareQuantities(a.quantity(), b.quantity());
  }
  return TypeMismatch(at, "compare", a, b);
}

Status CompareOp(const Node& at, Span l, Span r, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> a, Single(at, l));
  HB_ASSIGN_OR_RETURN(std::optional<Item> b, Single(at, r));
  if (!a || !b) return Status::Ok();
  HB_ASSIGN_OR_RETURN(std::optional<int> c, CompareValues(at, *a, *b));
  if (!c) return Status::Ok();
  bool v = false;
  switch (at.bin) {
    case BinaryOp::kLess:
      v = *c < 0;
      break;
    case BinaryOp::kLessEq:
      v = *c <= 0;
      break;
    case BinaryOp::kGreater:
      v = *c > 0;
      break;
    default:
      v = *c >= 0;
      break;
  }
  out.push_back(Item::Boolean(v));
  return Status::Ok();
}

Status ArithmeticOp(const Node& at, Span l, Span r, Collection& out) {
  if (at.bin == BinaryOp::kConcat) {
    HB_ASSIGN_OR_RETURN(std::optional<Item> a, Single(at, l));
    HB_ASSIGN_OR_RETURN(std::optional<Item> b, Single(at, r));
    if ((a && a->kind() != ItemKind::kString) || (b && b->kind() != ItemKind::kString)) {
      return EvalError(at, "& joins strings only");
    }
    out.push_back(Item::OwnedString(
        Concat(a ? a->string() : std::string_view(), b ? b->string() : std::string_view())));
    return Status::Ok();
  }
  HB_ASSIGN_OR_RETURN(std::optional<Item> a, Single(at, l));
  HB_ASSIGN_OR_RETURN(std::optional<Item> b, Single(at, r));
  if (!a || !b) return Status::Ok();
  BinaryOp op = at.bin;
  if (IsNumeric(*a) && IsNumeric(*b)) return Numbers(at, *a, *b, out);
  if (op == BinaryOp::kAdd && a->kind() == ItemKind::kString && b->kind() == ItemKind::kString) {
    out.push_back(Item::OwnedString(Concat(a->string(), b->string())));
    return Status::Ok();
  }
  if (IsTemporal(*a) && (op == BinaryOp::kAdd || op == BinaryOp::kSub)) {
    return AddDuration(at, *a, *b, op == BinaryOp::kSub, out);
  }
  bool qa = a->kind() == ItemKind::kQuantity, qb = b->kind() == ItemKind::kQuantity;
  if ((qa || IsNumeric(*a)) && (qb || IsNumeric(*b)) && (qa || qb)) {
    return Quantities(at, *a, *b, out);
  }
  return TypeMismatch(at, Verb(op), *a, *b);
}

}  // namespace hb::fhirpath::internal
