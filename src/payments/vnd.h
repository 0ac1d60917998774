// Whole-đồng money arithmetic for billing: amounts are int64 counts of đồng (VND has no
// minor unit in practice), FHIR decimals are parsed exactly from their text, and every
// share is computed as an exact integer ratio and rounded once, half away from zero
// ("làm tròn"), so no binary floating point ever touches an amount.
//
// Contract: pure functions, thread-safe. Parse functions return nullopt for anything but
// "[-]digits[.digits]" (no exponent, no grouping).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hb::payments {

// A FHIR decimal as whole đồng: "150000", "150000.00" and "150000.4" (rounded to
// 150000) are accepted; an amount with more than 13 integer digits is refused.
std::optional<int64_t> ParseVnd(std::string_view decimal);
// A quantity in thousandths ("2" -> 2000, "0.5" -> 500); more than 3 decimals refused.
std::optional<int64_t> ParseMilli(std::string_view decimal);
// a * num / den, exact, rounded half away from zero; den > 0.
int64_t MulDivRound(int64_t a, int64_t num, int64_t den);
// "1.234.567" (Vietnamese thousands separator), with a leading '-' when negative.
std::string FormatVnd(int64_t amount);

}  // namespace hb::payments
