// URL helpers: percent-decoding (RFC 3986 section 2.1) and query strings
// (application/x-www-form-urlencoded, https://url.spec.whatwg.org/#urlencoded-parsing).
//
// Contract: pure functions, thread-safe. Lenient: a '%' not followed by two hex digits is kept
// as it is; decoded bytes are not checked for UTF-8 validity (callers that need text check it).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/percent_encoding.h"

namespace hb::http {

// "a%7Cb" -> "a|b". With plus_as_space, '+' -> ' ' (query strings); paths keep '+'.
using ::hb::PercentDecode;

// "a=1&b=x%20y&c&a=2" -> {a,1} {b,"x y"} {c,""} {a,2}: decoded name/value pairs in order,
// '+' -> space, empty pieces ("a=1&&b=2") skipped.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view raw_query);

}  // namespace hb::http
