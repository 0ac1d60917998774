// Folding text for string search: case- and accent-insensitive matching, as R4
// search §3.1.1.4.7 (string) asks, with Vietnamese in mind.
//
// FoldText lower-cases and strips diacritics: precomposed Latin letters (Latin-1,
// Latin Extended-A/B, Latin Extended Additional, which holds every Vietnamese
// vowel with its tone mark) map to their base letter, combining marks
// (U+0300..U+036F, decomposed input) are dropped, so NFC and NFD input fold the
// same. "Lò Văn A" -> "lo van a", "Đặng" -> "dang". Runs of white space become one
// space; leading and trailing space is dropped. Other characters are kept as they
// are (ASCII letters lower-cased). Malformed UTF-8 bytes are dropped.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hb::search {

std::string FoldText(std::string_view text);

// The smallest string greater than every string that starts with `prefix`
// (byte order): `prefix` with its last byte incremented (trailing 0xFF bytes
// dropped first). Empty when no such string exists (prefix empty or all 0xFF).
std::string PrefixUpperBound(std::string_view prefix);

// The non-empty parts of `text` between `sep` characters ("a,,b" -> a, b).
std::vector<std::string> SplitNonEmpty(std::string_view text, char sep);

}  // namespace hb::search
