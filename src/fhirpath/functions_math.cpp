// Math functions (http://hl7.org/fhirpath/N1/#math) and the FHIRPath 2.0 precision(),
// lowBoundary(), highBoundary() and comparable() functions.
#include <cmath>

#include "fhirpath/functions.h"

namespace hb::fhirpath::internal {

namespace {

constexpr int kMaxDecimalPrecision = 28;

Decimal AsDecimal(const Item& v) {
  return v.kind() == ItemKind::kInteger ? Decimal::FromInteger(v.integer()) : v.decimal();
}
bool IsNumeric(const Item& v) {
  return v.kind() == ItemKind::kInteger || v.kind() == ItemKind::kDecimal;
}

Result<std::optional<Item>> NumberInput(const Node& call, Span in, bool quantity_ok = false) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, InputValue(call, in));
  if (v && !IsNumeric(*v) && !(quantity_ok && v->kind() == ItemKind::kQuantity)) {
    return EvalError(call, call.name + "() applies to numbers, not to " + TypeName(*v));
  }
  return v;
}

void PushDouble(double d, Collection& out) {
  auto dec = Decimal::FromDouble(d);
  if (dec) out.push_back(Item::FromDecimal(*dec));  // NaN and infinities give empty
}

Status Abs(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, NumberInput(call, in, true));
  if (!v) return Status::Ok();
  if (v->kind() == ItemKind::kInteger)
    out.push_back(Item::Integer(std::llabs(v->integer())));
  else if (v->kind() == ItemKind::kDecimal)
    out.push_back(Item::FromDecimal(v->decimal().Abs()));
  else
    out.push_back(
        Item::OwnedQuantity(v->decimal().Abs(), std::string(v->string()), v->quantity().calendar));
  return Status::Ok();
}

// ceiling, floor, truncate: to an Integer.
Status ToWhole(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, NumberInput(call, in));
  if (!v) return Status::Ok();
  Decimal d = AsDecimal(*v);
  Decimal r = call.name == "ceiling" ? d.Ceiling()
              : call.name == "floor" ? d.Floor()
                                     : d.Truncate();
  auto i = r.ToInteger();
  if (!i) return EvalError(call, "result out of range");
  out.push_back(Item::Integer(*i));
  return Status::Ok();
}

Status Round(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, NumberInput(call, in));
  int64_t digits = 0;
  if (!call.args.empty()) {
    HB_ASSIGN_OR_RETURN(std::optional<int64_t> p, IntegerArg(ev, call, 0));
    if (!p) return Status::Ok();
    if (*p < 0) return EvalError(call, "round() needs a precision >= 0");
    digits = *p;
  }
  if (v) out.push_back(Item::FromDecimal(AsDecimal(*v).Round(static_cast<int>(digits))));
  return Status::Ok();
}

// exp, ln, sqrt: through double, 15 significant digits.
Status Transcendental(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, NumberInput(call, in));
  if (!v) return Status::Ok();
  double x = AsDecimal(*v).ToDouble();
  if (call.name == "exp")
    PushDouble(std::exp(x), out);
  else if (call.name == "ln")
    PushDouble(x > 0 ? std::log(x) : NAN, out);
  else
    PushDouble(x >= 0 ? std::sqrt(x) : NAN, out);
  return Status::Ok();
}

Status Log(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, NumberInput(call, in));
  HB_ASSIGN_OR_RETURN(std::optional<Item> base, ev.SingleArg(call, 0));
  if (!v || !base) return Status::Ok();
  if (!IsNumeric(*base)) return EvalError(call, "log() needs a numeric base");
  double x = AsDecimal(*v).ToDouble(), b = AsDecimal(*base).ToDouble();
  PushDouble(x > 0 && b > 0 && b != 1 ? std::log(x) / std::log(b) : NAN, out);
  return Status::Ok();
}

Status Power(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, NumberInput(call, in));
  HB_ASSIGN_OR_RETURN(std::optional<Item> e, ev.SingleArg(call, 0));
  if (!v || !e) return Status::Ok();
  if (!IsNumeric(*e)) return EvalError(call, "power() needs a numeric exponent");
  // Exact for whole non-negative exponents.
  if (e->kind() == ItemKind::kInteger && e->integer() >= 0 && e->integer() <= 64) {
    if (v->kind() == ItemKind::kInteger) {
      int64_t r = 1;
      for (int64_t k = 0; k < e->integer(); ++k) {
        if (__builtin_mul_overflow(r, v->integer(), &r)) return EvalError(call, "integer overflow");
      }
      out.push_back(Item::Integer(r));
      return Status::Ok();
    }
    Decimal r = Decimal::FromInteger(1);
    for (int64_t k = 0; k < e->integer(); ++k) {
      auto m = Decimal::Mul(r, v->decimal());
      if (!m) return EvalError(call, "decimal overflow");
      r = *m;
    }
    out.push_back(Item::FromDecimal(r));
    return Status::Ok();
  }
  PushDouble(std::pow(AsDecimal(*v).ToDouble(), AsDecimal(*e).ToDouble()), out);
  return Status::Ok();
}

Status Precision(Evaluator&, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, InputValue(call, in));
  if (!v) return Status::Ok();
  switch (v->kind()) {
    case ItemKind::kInteger:
      out.push_back(Item::Integer(0));
      break;
    case ItemKind::kDecimal:
      out.push_back(Item::Integer(v->decimal().scale()));
      break;
    case ItemKind::kDate:
    case ItemKind::kDateTime:
    case ItemKind::kTime:
      out.push_back(Item::Integer(v->datetime().PrecisionDigits()));
      break;
    default:
      return EvalError(call, "precision() applies to numbers, dates and times");
  }
  return Status::Ok();
}

// The decimal boundaries: the value +/- half a unit of its last digit, cut to `digits`
// (toward zero for the low boundary of a positive value, rounded for the high one; a
// negative value mirrors the other boundary of its magnitude, keeping the sign on zero).
Decimal DecimalBoundary(const Decimal& v, int digits, bool high) {
  if (v.negative()) return DecimalBoundary(v.Abs(), digits, !high).WithSign(true);
  Decimal half = *Decimal::Parse("0." + std::string(static_cast<size_t>(v.scale()), '0') + "5");
  Decimal b = high ? *Decimal::Add(v, half) : *Decimal::Sub(v, half);
  Decimal cut = high || b.negative() ? b.Round(digits) : b.Truncate(digits);
  return cut.WithScale(digits);
}

Status Boundary(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, InputValue(call, in));
  std::optional<int64_t> digits;
  if (!call.args.empty()) {
    HB_ASSIGN_OR_RETURN(digits, IntegerArg(ev, call, 0));
  }
  if (!v) return Status::Ok();
  bool high = call.name == "highBoundary";
  switch (v->kind()) {
    case ItemKind::kInteger:
    case ItemKind::kDecimal:
    case ItemKind::kQuantity: {
      int64_t p = digits.value_or(8);
      if (p < 0 || p > kMaxDecimalPrecision) return Status::Ok();
      Decimal b = DecimalBoundary(AsDecimal(*v), static_cast<int>(p), high);
      if (v->kind() == ItemKind::kQuantity) {
        out.push_back(Item::OwnedQuantity(b, std::string(v->string()), v->quantity().calendar));
      } else {
        out.push_back(Item::FromDecimal(b));
      }
      return Status::Ok();
    }
    case ItemKind::kDate:
    case ItemKind::kDateTime:
    case ItemKind::kTime: {
      const DateTime& d = v->datetime();
      int p = static_cast<int>(digits.value_or(d.kind == DateTime::Kind::kDate   ? 8
                                               : d.kind == DateTime::Kind::kTime ? 9
                                                                                 : 17));
      auto b = high ? HighBoundary(d, p) : LowBoundary(d, p);
      if (b) out.push_back(Item::FromDateTime(*b));
      return Status::Ok();
    }
    default:
      return EvalError(call, call.name + "() applies to numbers, quantities, dates and times");
  }
}

Status ComparableFn(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, InputValue(call, in));
  HB_ASSIGN_OR_RETURN(std::optional<Item> other, ev.SingleArg(call, 0));
  if (!v || !other) return Status::Ok();
  if (v->kind() != ItemKind::kQuantity || other->kind() != ItemKind::kQuantity) {
    return EvalError(call, "comparable() compares quantities");
  }
  out.push_back(Item::Boolean(Comparable(v->quantity(), other->quantity())));
  return Status::Ok();
}

constexpr FunctionDef kFunctions[] = {
    {"abs", 0, 0, Abs},
    {"ceiling", 0, 0, ToWhole},
    {"floor", 0, 0, ToWhole},
    {"truncate", 0, 0, ToWhole},
    {"round", 0, 1, Round},
    {"exp", 0, 0, Transcendental},
    {"ln", 0, 0, Transcendental},
    {"sqrt", 0, 0, Transcendental},
    {"log", 1, 1, Log},
    {"power", 1, 1, Power},
    {"precision", 0, 0, Precision},
    {"lowBoundary", 0, 1, Boundary},
    {"highBoundary", 0, 1, Boundary},
    {"comparable", 1, 1, ComparableFn},
};

}  // namespace

std::span<const FunctionDef> MathFunctions() { return kFunctions; }

}  // namespace hb::fhirpath::internal
