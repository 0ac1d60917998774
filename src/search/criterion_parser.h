// Internal to search/: parsing one `key=value` criterion (a parameter with its
// modifier, a chain or a _has) and the values of each parameter type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "search/search_query.h"

namespace hb::search::internal {

// A criterion on `type`; nullopt when the parameter (or a chained one) is unknown or
// not supported for the type, which the caller treats by its handling (strict or
// lenient). Errors: malformed values, modifiers the parameter type does not have.
Result<std::optional<Criterion>> ParseCriterion(std::string_view type, std::string_view key,
                                                std::string_view value, int64_t now_micros);

// The comparison prefix a two-letter name stands for ("ge" -> kGe; R4 search §3.1.1.4.1,
// shared by URL values and _filter operators); nullopt for any other text.
std::optional<Prefix> PrefixFromText(std::string_view text);

// Splits on unescaped commas; "\," is a literal comma (R4 search §3.1.1.6).
std::vector<std::string> SplitOr(std::string_view s);
// Splits on unescaped '|' ("\|" is a literal bar); unescapes the parts.
std::vector<std::string> SplitBars(std::string_view s);

}  // namespace hb::search::internal
