// UTF-8 helpers.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hb {

// The offset of the first byte that does not start a well-formed UTF-8 sequence (a bad
// lead or continuation byte, an overlong form, a surrogate, > U+10FFFF, a truncated
// sequence); npos when the whole text is well formed.
size_t FindInvalidUtf8(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }

// Appends the UTF-8 form of code point `cp` (<= U+10FFFF, not a surrogate).
void AppendUtf8(std::string& out, char32_t cp);

}  // namespace hb
