// Quantity: a Decimal with a unit (System.Quantity, http://hl7.org/fhirpath/N1/#quantity).
//
// The unit is a UCUM code ('mg', '[lb_av]') or, when `calendar` is set, a calendar duration
// keyword written without quotes (`4 days`). Calendar durations from week down equal their
// UCUM units (1 week = 1 'wk'); year and month compare only with each other (1 year =
// 12 months), never with 'a' or 'mo'. Units ParseUcum cannot read are compared by text.
//
// Thread-safety: pure functions; a Quantity is a value type whose unit view must outlive it.
// Failure modes: comparisons return nullopt when the units are not comparable; arithmetic
// returns nullopt on incompatible units or decimal overflow.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fhirpath/decimal.h"

namespace hb::fhirpath {

struct Quantity {
  Decimal value;
  std::string_view unit = "1";
  bool calendar = false;
};

// A quantity that owns its unit text (results of multiplication and division).
struct OwnedQuantity {
  Decimal value;
  std::string unit;
};

// "day" for "day"/"days"/..., the singular calendar keyword; empty when `word` is not one.
std::string_view CalendarKeyword(std::string_view word);
// The calendar unit a duration adds in date arithmetic ("month", "day", ...): calendar
// keywords and the UCUM units wk, d, h, min, s, ms (quoted calendar words are accepted too);
// empty for 'a', 'mo' and anything else.
std::string_view DurationUnit(const Quantity& q);

// "4 'mg'", "1 week": the FHIRPath literal form, also toString().
std::string ToString(const Quantity& q);

// Same dimension (or same unreadable unit text).
bool Comparable(const Quantity& a, const Quantity& b);
// -1/0/1 after conversion to common units; nullopt when not comparable.
std::optional<int> CompareQuantities(const Quantity& a, const Quantity& b);
// Equivalence: as CompareQuantities == 0, with the values rounded to the least precise.
std::optional<bool> EquivalentQuantities(const Quantity& a, const Quantity& b);

// a + b and a - b in a's unit.
std::optional<Quantity> AddQuantities(const Quantity& a, const Quantity& b, bool subtract);
std::optional<OwnedQuantity> MultiplyQuantities(const Quantity& a, const Quantity& b);
std::optional<OwnedQuantity> DivideQuantities(const Quantity& a, const Quantity& b);

}  // namespace hb::fhirpath
