// Conversion functions toX()/convertsToX(): http://hl7.org/fhirpath/N1/#conversion
#include <charconv>

#include "fhirpath/functions.h"
#include "fhirpath/ucum.h"

namespace hb::fhirpath::internal {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<Item> AsBoolean(const Item& v) {
  switch (v.kind()) {
    case ItemKind::kBoolean:
      return v;
    case ItemKind::kInteger:
      if (v.integer() == 0 || v.integer() == 1) return Item::Boolean(v.integer() == 1);
      return std::nullopt;
    case ItemKind::kDecimal: {
      auto i = v.decimal().ToInteger();
      if (i && (*i == 0 || *i == 1)) return Item::Boolean(*i == 1);
      return std::nullopt;
    }
    case ItemKind::kString:
      for (std::string_view t : {"true", "t", "yes", "y", "1", "1.0"}) {
        if (EqualsIgnoreCase(v.string(), t)) return Item::Boolean(true);
      }
      for (std::string_view f : {"false", "f", "no", "n", "0", "0.0"}) {
        if (EqualsIgnoreCase(v.string(), f)) return Item::Boolean(false);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<Item> AsInteger(const Item& v) {
  switch (v.kind()) {
    case ItemKind::kInteger:
      return v;
    case ItemKind::kBoolean:
      return Item::Integer(v.boolean() ? 1 : 0);
    case ItemKind::kString: {
      std::string_view s = v.string();
      if (!s.empty() && s[0] == '+') s.remove_prefix(1);
      int64_t i = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), i);
      if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
      if (i > INT32_MAX || i < INT32_MIN) return std::nullopt;
      return Item::Integer(i);
    }
    default:
      return std::nullopt;
  }
}

std::optional<Item> AsDecimal(const Item& v) {
  switch (v.kind()) {
    case ItemKind::kDecimal:
      return v;
    case ItemKind::kInteger:
      return Item::FromDecimal(Decimal::FromInteger(v.integer()));
    case ItemKind::kBoolean:
      return Item::FromDecimal(*Decimal::Parse(v.boolean() ? "1.0" : "0.0"));
    case ItemKind::kString: {
      auto d = Decimal::Parse(v.string());
      return d ? std::optional<Item>(Item::FromDecimal(*d)) : std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

// "4.5 'mg'", "1 day", "3": a number, then optionally a quoted UCUM unit or a calendar word.
std::optional<Item> ParseQuantity(std::string_view s) {
  size_t sp = s.find(' ');
  auto value = Decimal::Parse(s.substr(0, sp));
  if (!value) return std::nullopt;
  if (sp == std::string_view::npos) return Item::OwnedQuantity(*value, "1", false);
  std::string_view unit = s.substr(sp + 1);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit.size() >= 2 && unit.front() == '\'' && unit.back() == '\'') {
    return Item::OwnedQuantity(*value, std::string(unit.substr(1, unit.size() - 2)), false);
  }
  if (!CalendarKeyword(unit).empty()) return Item::OwnedQuantity(*value, std::string(unit), true);
  return std::nullopt;
}

std::optional<Item> AsQuantity(const Item& v) {
  switch (v.kind()) {
    case ItemKind::kQuantity:
      return v;
    case ItemKind::kInteger:
    case ItemKind::kDecimal:
    case ItemKind::kBoolean: {
      auto d = AsDecimal(v);
      return Item::OwnedQuantity(d->decimal(), "1", false);
    }
    case ItemKind::kString:
      return ParseQuantity(v.string());
    default:
      return std::nullopt;
  }
}

// The quantity in `unit`, when the units are comparable.
std::optional<Item> ConvertQuantity(const Item& q, std::string_view unit) {
  Quantity from = q.quantity();
  if (!from.calendar && from.unit == unit) return q;
  auto uf = ParseUcum(from.unit), ut = ParseUcum(unit);
  if (from.calendar || !uf || !ut || uf->dimension != ut->dimension) return std::nullopt;
  auto base = Decimal::Mul(from.value, uf->factor);
  auto value = base ? Decimal::Div(*base, ut->factor) : std::nullopt;
  if (!value) return std::nullopt;
  return Item::OwnedQuantity(*value, std::string(unit), false);
}

std::optional<Item> AsString(const Item& v) {
  if (v.kind() == ItemKind::kString) return v;
  if (v.kind() == ItemKind::kTypeInfo) return std::nullopt;
  std::string text = LiteralText(v);
  if (v.kind() == ItemKind::kDate || v.kind() == ItemKind::kDateTime) text.erase(0, 1);
  if (v.kind() == ItemKind::kTime) text.erase(0, 2);
  return Item::OwnedString(std::move(text));
}

std::optional<Item> AsDateTimeKind(const Item& v, DateTime::Kind kind) {
  std::optional<DateTime> d;
  if (v.kind() == ItemKind::kString) {
    std::string_view s = v.string();
    if (kind == DateTime::Kind::kDate) d = DateTime::ParseDate(s);
    if (kind == DateTime::Kind::kDateTime) d = DateTime::ParseDateTime(s);
    if (kind == DateTime::Kind::kTime) d = DateTime::ParseTime(s);
  } else if (v.kind() == ItemKind::kTime) {
    if (kind == DateTime::Kind::kTime) d = v.datetime();
  } else if (v.kind() == ItemKind::kDate || v.kind() == ItemKind::kDateTime) {
    if (kind == DateTime::Kind::kTime) return std::nullopt;
    d = v.datetime();
    if (kind == DateTime::Kind::kDate && d->precision > DateTimePrecision::kDay) {
      d->precision = DateTimePrecision::kDay;
      d->hour = d->minute = d->second = 0;
      d->nanos = 0;
      d->has_tz = false;
    }
    d->kind = kind;
  }
  return d ? std::optional<Item>(Item::FromDateTime(*d)) : std::nullopt;
}

Status Convert(Evaluator& ev, const Node& call, Span in, Collection& out) {
  std::string_view name = call.name;
  bool test = name.rfind("convertsTo", 0) == 0;
  std::string_view target = name.substr(test ? 10 : 2);
  HB_ASSIGN_OR_RETURN(std::optional<Item> v, InputValue(call, in));
  if (!v) return Status::Ok();
  std::optional<Item> r;
  if (v->is_node()) {
    r = std::nullopt;  // a complex FHIR value converts to nothing
  } else if (target == "Boolean") {
    r = AsBoolean(*v);
  } else if (target == "Integer") {
    r = AsInteger(*v);
  } else if (target == "Decimal") {
    r = AsDecimal(*v);
  } else if (target == "String") {
    r = AsString(*v);
  } else if (target == "Date") {
    r = AsDateTimeKind(*v, DateTime::Kind::kDate);
  } else if (target == "DateTime") {
    r = AsDateTimeKind(*v, DateTime::Kind::kDateTime);
  } else if (target == "Time") {
    r = AsDateTimeKind(*v, DateTime::Kind::kTime);
  } else {
    r = AsQuantity(*v);
    if (r && !call.args.empty()) {
      HB_ASSIGN_OR_RETURN(std::optional<Item> unit, StringArg(ev, call, 0));
      if (unit) r = ConvertQuantity(*r, unit->string());
    }
  }
  if (test) {
    out.push_back(Item::Boolean(r.has_value()));
  } else if (r) {
    out.push_back(std::move(*r));
  }
  return Status::Ok();
}

constexpr FunctionDef kFunctions[] = {
    {"toBoolean", 0, 0, Convert},  {"convertsToBoolean", 0, 0, Convert},
    {"toInteger", 0, 0, Convert},  {"convertsToInteger", 0, 0, Convert},
    {"toDecimal", 0, 0, Convert},  {"convertsToDecimal", 0, 0, Convert},
    {"toString", 0, 0, Convert},   {"convertsToString", 0, 0, Convert},
    {"toDate", 0, 0, Convert},     {"convertsToDate", 0, 0, Convert},
    {"toDateTime", 0, 0, Convert}, {"convertsToDateTime", 0, 0, Convert},
    {"toTime", 0, 0, Convert},     {"convertsToTime", 0, 0, Convert},
    {"toQuantity", 0, 1, Convert}, {"convertsToQuantity", 0, 1, Convert},
};

}  // namespace

std::span<const FunctionDef> ConversionFunctions() { return kFunctions; }

}  // namespace hb::fhirpath::internal
