// Charset: the character sets an HL7 v2 message may declare in MSH-18, and conversion of its
// bytes to and from UTF-8 (healthbook's one internal text encoding).
//
// Contract: pure functions, thread-safe. Supported: UTF-8 ("UNICODE UTF-8"; v2.3's "UNICODE"
// and the common misspellings "UTF-8"/"UTF8" are read as UTF-8 too), ISO 8859-1 ("8859/1")
// and ASCII (MSH-18 empty or "ASCII"). Because Vietnamese senders routinely send UTF-8 without
// declaring it, ASCII accepts well-formed UTF-8; bytes that are neither are refused, never
// guessed. Every other table 0211 value (ISO IR87, GB 18030, 8859/2, ...) is refused by name.
// Spec: HL7 v2.5.1 section 2.15.9.18 (MSH-18) and table 0211.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/utf8.h"  // FindInvalidUtf8, used with these

namespace hb::lis {

enum class Charset { kAscii, kUtf8, kLatin1 };

// Reads MSH-18 (its first repetition, already unescaped); an error names the unsupported set.
Result<Charset> ParseCharset(std::string_view msh18);
// The MSH-18 value healthbook writes for `c` ("" for ASCII).
std::string_view CharsetName(Charset c);

// `bytes` as UTF-8; fails with the byte offset of the first byte that `c` cannot hold.
Result<std::string> ToUtf8(std::string_view bytes, Charset c);
// `text` (UTF-8) in `c`; fails when a character has no code in `c` (e.g. "ệ" in 8859/1).
// ASCII passes UTF-8 through unchanged, the mirror of ToUtf8.
Result<std::string> FromUtf8(std::string_view text, Charset c);

}  // namespace hb::lis
