#include "fhirpath/quantity.h"

#include "fhirpath/ucum.h"

namespace hb::fhirpath {

namespace {

struct CalendarWord {
  std::string_view singular, plural, ucum;
};
constexpr CalendarWord kCalendarWords[] = {
    {"year", "years", ""},      {"month", "months", ""},
    {"week", "weeks", "wk"},    {"day", "days", "d"},
    {"hour", "hours", "h"},     {"minute", "minutes", "min"},
    {"second", "seconds", "s"}, {"millisecond", "milliseconds", "ms"},
};

// The unit in base units; nullopt when unreadable.
std::optional<UcumUnit> Canonical(const Quantity& q) {
  if (q.calendar) {
    std::string_view kw = CalendarKeyword(q.unit);
    for (const CalendarWord& w : kCalendarWords) {
      if (w.singular != kw) continue;
      if (!w.ucum.empty()) return ParseUcum(w.ucum);
      UcumUnit u;
      u.factor = Decimal::FromInteger(kw == "year" ? 12 : 1);
      u.dimension[kCalendarMonthDimension] = 1;
      return u;
    }
    return std::nullopt;
  }
  return ParseUcum(q.unit);
}

bool SameUnit(const Quantity& a, const Quantity& b) {
  return a.calendar == b.calendar &&
         (a.calendar ? CalendarKeyword(a.unit) == CalendarKeyword(b.unit) : a.unit == b.unit);
}

// Both values in base units; false when the units are not comparable.
bool BaseValues(const Quantity& a, const Quantity& b, Decimal& va, Decimal& vb) {
  if (SameUnit(a, b)) {
    va = a.value;
    vb = b.value;
    return true;
  }
  auto ua = Canonical(a), ub = Canonical(b);
  if (!ua || !ub || ua->dimension != ub->dimension) return false;
  auto x = Decimal::Mul(a.value, ua->factor), y = Decimal::Mul(b.value, ub->factor);
  if (!x || !y) return false;
  va = *x;
  vb = *y;
  return true;
}

// The unit as UCUM text for building products and quotients.
std::string UcumText(const Quantity& q) {
  if (q.calendar) {
    std::string_view kw = CalendarKeyword(q.unit);
    if (kw == "year") return "a";
    if (kw == "month") return "mo";
    for (const CalendarWord& w : kCalendarWords) {
      if (w.singular == kw) return std::string(w.ucum);
    }
  }
  return std::string(q.unit);
}

std::string Wrap(const std::string& u) {
  return u.find_first_of("./") == std::string::npos ? u : "(" + u + ")";
}

}  // namespace

std::string_view CalendarKeyword(std::string_view word) {
  for (const CalendarWord& w : kCalendarWords) {
    if (word == w.singular || word == w.plural) return w.singular;
  }
  return {};
}

std::string_view DurationUnit(const Quantity& q) {
  std::string_view kw = CalendarKeyword(q.unit);
  if (!kw.empty()) return kw;
  if (q.calendar) return {};
  for (const CalendarWord& w : kCalendarWords) {
    if (!w.ucum.empty() && w.ucum == q.unit) return w.singular;
  }
  return {};
}

std::string ToString(const Quantity& q) {
  std::string out = q.value.ToString();
  out += ' ';
  if (q.calendar) {
    out.append(q.unit);
  } else {
    out += '\'';
    out.append(q.unit);
    out += '\'';
  }
  return out;
}

bool Comparable(const Quantity& a, const Quantity& b) {
  Decimal x, y;
  return BaseValues(a, b, x, y);
}

std::optional<int> CompareQuantities(const Quantity& a, const Quantity& b) {
  Decimal x, y;
  if (!BaseValues(a, b, x, y)) return std::nullopt;
  return Decimal::Compare(x, y);
}

std::optional<bool> EquivalentQuantities(const Quantity& a, const Quantity& b) {
  Decimal x, y;
  if (!BaseValues(a, b, x, y)) return std::nullopt;
  int scale = std::min(x.scale(), y.scale());
  return Decimal::Compare(x.Round(scale), y.Round(scale)) == 0;
}

std::optional<Quantity> AddQuantities(const Quantity& a, const Quantity& b, bool subtract) {
  Decimal bv = b.value;
  if (!SameUnit(a, b)) {
    auto ua = Canonical(a), ub = Canonical(b);
    if (!ua || !ub || ua->dimension != ub->dimension) return std::nullopt;
    auto base = Decimal::Mul(b.value, ub->factor);
    if (!base) return std::nullopt;
    auto conv = Decimal::Div(*base, ua->factor);
    if (!conv) return std::nullopt;
    bv = *conv;
  }
  auto sum = subtract ? Decimal::Sub(a.value, bv) : Decimal::Add(a.value, bv);
  if (!sum) return std::nullopt;
  Quantity r = a;
  r.value = *sum;
  return r;
}

std::optional<OwnedQuantity> MultiplyQuantities(const Quantity& a, const Quantity& b) {
  auto v = Decimal::Mul(a.value, b.value);
  if (!v) return std::nullopt;
  std::string ua = UcumText(a), ub = UcumText(b);
  std::string unit = ua == "1" ? ub : (ub == "1" ? ua : Wrap(ua) + "." + Wrap(ub));
  return OwnedQuantity{*v, unit};
}

std::optional<OwnedQuantity> DivideQuantities(const Quantity& a, const Quantity& b) {
  auto v = Decimal::Div(a.value, b.value);
  if (!v) return std::nullopt;
  std::string ua = UcumText(a), ub = UcumText(b);
  std::string unit;
  if (ua == ub) {
    unit = "1";
  } else if (ub == "1") {
    unit = ua;
  } else {
    unit = (ua == "1" ? "" : Wrap(ua)) + "/" + Wrap(ub);
  }
  return OwnedQuantity{*v, unit};
}

}  // namespace hb::fhirpath
