#include "common/latin_letters.h"

#include <string_view>

namespace hb {

namespace {

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

}  // namespace

char LatinBaseLetter(char32_t cp) {
  char base = '.';
  if (cp >= 0xC0 && cp < 0x250) base = kLatin[cp - 0xC0];
  if (cp >= 0x1E00 && cp < 0x1F00) base = kLatinAdditional[cp - 0x1E00];
  return base == '.' ? 0 : base;
}

bool IsVietnameseLetter(char32_t cp) {
  // Outside the block of the vowels with tone marks: â ê ô and the letters with one mark.
  constexpr std::u32string_view kOthers =
      U"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư";
  return (cp >= 0x1EA0 && cp <= 0x1EF9) || kOthers.find(cp) != std::u32string_view::npos;
}

}  // namespace hb
