// Order-preserving keys for decimals, for the number and quantity indexes.
//
// A key is ASCII text whose byte order is the numeric order of the decimals, exact
// to the digit (no binary floating point): '1' for zero; '2', a 4-digit biased
// exponent and the significant digits for positives; '0', the inverted exponent,
// the nines' complement of the digits and '~' for negatives. Trailing zeros do not
// change a key (1.50 and 1.5 share one). Exponents beyond +-4999 are clamped.
//
// DecimalRange gives the implicit range of a search value from its precision
// (R4 search §3.1.1.4.1: "100" means [99.5, 100.5), "1e2" means [50, 150)).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fhirpath/decimal.h"

namespace hb::search {

// The key of a decimal written as FHIR/JSON number text ("-1.50", "2e3"); nullopt
// when the text is not a number.
std::optional<std::string> DecimalKey(std::string_view text);
std::string DecimalKey(const fhirpath::Decimal& d);

struct DecimalBounds {
  fhirpath::Decimal value, low, high;  // high is exclusive
};
// The value with its precision range; nullopt when malformed.
std::optional<DecimalBounds> DecimalRange(std::string_view text);

}  // namespace hb::search
