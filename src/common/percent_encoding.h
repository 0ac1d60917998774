// Percent-encoding (RFC 3986 §2.1) for URL query components and form bodies.
//
// Contract: pure functions, thread-safe; work on bytes (UTF-8 text is encoded byte by byte).
#pragma once

#include <string>
#include <string_view>

namespace hb {

// Keeps the unreserved characters (ALPHA DIGIT - . _ ~) and those in `also_keep` (e.g. ":/,"
// where they are safe and more readable in a query value); every other byte becomes %XX with
// upper-case hex.
std::string PercentEncode(std::string_view text, std::string_view also_keep = {});

// %XX (either case) becomes its byte; a '%' not followed by two hex digits stays as it is.
// With `plus_as_space` (application/x-www-form-urlencoded, query strings) '+' is a space.
std::string PercentDecode(std::string_view text, bool plus_as_space);

}  // namespace hb
