// A small UCUM (https://ucum.org/ucum) unit-expression reader for Quantity conversion.
//
// Reads products and quotients of atoms with metric prefixes, exponents, parentheses,
// annotations ({...}) and the factors 10*n / 10^n: "mg", "kg/m2", "mm[Hg]", "10*3/uL",
// "[lb_av]", "cm.m", "/min". The atom table covers the common clinical units: the SI base
// and derived units, litres, time (s ... a), customary length and mass ([in_i], [lb_av],
// ...), %, mol and eq. Special units (Cel, [degF], pH) and arbitrary units ([iU]) are not
// read, so quantities in them are compared by their unit text only.
//
// Thread-safety: pure functions over a static table; reentrant.
// Failure modes: ParseUcum returns nullopt for text it cannot read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fhirpath/decimal.h"

namespace hb::fhirpath {

// Exponents of the base dimensions: length, mass, time, angle, temperature, charge,
// luminous intensity, and (not UCUM) the calendar month used by `1 month` / `1 year`.
using UnitDimension = std::array<int8_t, 8>;
inline constexpr size_t kCalendarMonthDimension = 7;

struct UcumUnit {
  Decimal factor = Decimal::FromInteger(1);  // value of one unit in base units
  UnitDimension dimension{};
};

std::optional<UcumUnit> ParseUcum(std::string_view code);

}  // namespace hb::fhirpath
