// Latin letters with diacritics and the ASCII letters they are written on: the one table
// behind folding Vietnamese text, for search (case- and accent-insensitive matching) and for
// payment fields that must be ASCII (payments/vietnamese_ascii.h).
//
// LatinBaseLetter covers the precomposed letters of Latin-1, Latin Extended-A/B and Latin
// Extended Additional (which holds every Vietnamese vowel with its tone mark): "Ặ" -> 'A',
// "đ" -> 'd', "ü" -> 'u', case kept. Letters that are not a base letter with marks (ß, æ, ð, þ) have
// none. Decomposed text is folded by dropping its
// combining marks (IsCombiningMark) after the base letter.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <string_view>

namespace hb {

namespace latin_internal {

// Base letters of U+00C0..U+024F and U+1E00..U+1EFF, case kept ('.' = none).
constexpr std::string_view kLatin =
    "AAAAAA.CEEEEIIII.NOOOOO.OUUUUY..aaaaaa.ceeeeiiii.nooooo.ouuuuy.y"
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHh..IiIiIiIiI...JjKk.LlLlLl."
    "...NnNnNn...OoOoOo..RrRrRrSsSsSsSsTtTt..UuUuUuUuUuUuWwYyYZzZzZz."
    "................................Oo.............Uu..............."
    ".............AaIiOoUuUuUuUuUu.AaAa....GgKkOoOo..j...Gg..NnAa...."
    "AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh......AaEeOoOoOoOoYy............"
    "................";
constexpr std::string_view kLatinAdditional =
    "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm"
    "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv"
    "WwWwWwWwWwXxXxYyZzZzZzhtwy......AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe"
    "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy......";
static_assert(kLatin.size() == 0x250 - 0xC0 && kLatinAdditional.size() == 0x1F00 - 0x1E00);

}  // namespace latin_internal

// The ASCII base letter of a precomposed Latin letter (U+00C0..U+024F, U+1E00..U+1EFF), case
// kept; 0 for every other code point (ASCII included). Inline: search folds every indexed
// string with it (search/text_fold.cpp), and the call cost 11 % of FoldText out of line.
constexpr char LatinBaseLetter(char32_t cp) {
  char base = '.';
  if (cp >= 0xC0 && cp < 0x250) base = latin_internal::kLatin[cp - 0xC0];
  if (cp >= 0x1E00 && cp < 0x1F00) base = latin_internal::kLatinAdditional[cp - 0x1E00];
  return base == '.' ? 0 : base;
}

// A combining diacritical mark (U+0300..U+036F).
constexpr bool IsCombiningMark(char32_t cp) { return cp >= 0x300 && cp <= 0x36F; }

// A letter of the Vietnamese alphabet that carries a mark: ă â đ ê ô ơ ư, the vowels with one
// of the five tone marks, and their capitals (U+1EA0..U+1EF9 and 44 letters of Latin-1 and
// Latin Extended-A/B). Their LatinBaseLetter is never 0.
bool IsVietnameseLetter(char32_t cp);

// A combining mark that decomposed (NFD) Vietnamese uses: grave, acute, circumflex, tilde,
// breve, hook above, horn, dot below.
constexpr bool IsVietnameseMark(char32_t cp) {
  return (cp >= 0x300 && cp <= 0x303) || cp == 0x306 || cp == 0x309 || cp == 0x31B || cp == 0x323;
}

}  // namespace hb
