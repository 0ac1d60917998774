// The `_filter` search parameter (https://hl7.org/fhir/R4/search_filter.html): an
// expression such as
//   name co "lò" and (birthdate ge 1980-01-01 or not (gender eq male))
//   subject[gender eq female].name sw "lo"
// parsed into one search Criterion (Kind kAnd / kOr / kNot over ordinary criteria), so
// that the stores run it through the same index tables as any other search.
//
// Grammar (whitespace separates tokens; keywords and operators are case-insensitive):
//   filter   := and ("or" and)*            -- "and" binds tighter than "or"
//   and      := unary ("and" unary)*
//   unary    := "not" "(" filter ")" | "(" filter ")" | paramExp
//   paramExp := path SP op SP value
//   path     := name ("[" filter "]")? ("." path)?   -- a "." after a reference parameter
//                                                      chains to its targets; "[filter]"
//                                                      is a condition on those targets
//   value    := "json string" | token (non-blank characters other than ")" and "]")
// Operators per parameter type:
//   string     eq ne co sw ew gt lt ge le pr
//   token      eq ne in ni ss sb pr           (in/ni: a ValueSet; ss/sb: the code system's
//                                             hierarchy, as :below/:above)
//   date       eq ne gt lt ge le sa eb ap po pr
//   number, quantity   eq ne gt lt ge le sa eb ap pr
//   reference  eq ne re pr (and chains)
//   uri        eq ne sw ss sb pr
//   composite  eq ne pr
// `pr true|false`: the parameter has (no) value. Every error is a kInvalidSearchParameter
// naming the problem and its position (also: over 100 comparisons, 32 levels of nesting,
// 4 chained levels or 8 KiB), in any handling mode (an unknown parameter inside
// a boolean expression cannot be ignored without changing its meaning). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "search/search_query.h"

namespace hb::search::internal {

// `now_micros` as for ParseCriterion (the `ap` prefix on dates).
Result<Criterion> ParseFilter(std::string_view type, std::string_view expression,
                              int64_t now_micros);

}  // namespace hb::search::internal
