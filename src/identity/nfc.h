// Unicode canonical composition (NFC, UAX #15) for Latin script text, written
// for Vietnamese: card readers, keyboard wedges and some operating systems hand
// us names in decomposed form (NFD: "o" + U+031B horn + U+0323 dot below), or in
// a mix ("ơ" + U+0323, marks in either order), and equal names must compare equal.
//
// ComposeNfc follows the standard algorithm: full canonical decomposition,
// canonical ordering of combining marks by combining class, then canonical
// composition with the blocking rule. Its data (latin_compositions.cpp) holds
// every canonical composition whose result lies in Latin-1 Supplement, Latin
// Extended-A/B or Latin Extended Additional (U+1E00..U+1EFF), which includes all
// 132 precomposed Vietnamese vowels (66 lower case, 66 upper case), and the
// combining classes of U+0300..U+036F.
//
// Scope and failure modes: the result is exact NFC for text made of those Latin
// letters, ASCII, other characters without decompositions, and marks from
// U+0300..U+036F. Other scripts (Greek, Cyrillic, Hangul, ...) and marks outside
// U+0300..U+036F pass through unchanged (not normalised). Malformed UTF-8 bytes
// become U+FFFD. Pure function, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hb::identity {

std::string ComposeNfc(std::string_view text);
std::u32string ComposeNfc(std::u32string_view text);

// Canonical combining class (0 for starters and for anything outside U+0300..U+036F).
int CombiningClass(char32_t cp);

namespace internal {

struct LatinComposition {
  char16_t composite;
  char16_t base;
  char16_t mark;
};
// Sorted by composite; defined in latin_compositions.cpp.
extern const LatinComposition kLatinCompositions[];
extern const size_t kLatinCompositionCount;

}  // namespace internal

}  // namespace hb::identity
