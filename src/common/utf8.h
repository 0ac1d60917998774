// UTF-8 helpers.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <string_view>

namespace hb {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace hb
