#include "identity/code_points.h"

#include "common/utf8.h"

namespace hb::identity {

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      out.push_back(c);
      ++p;
      continue;
    }
    int extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    char32_t cp = extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    bool ok = extra > 0 && end - p > extra;
    for (int i = 1; ok && i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are malformed too.
    if (ok && ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
               (extra == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = false;
    if (!ok) {
      out.push_back(kReplacementChar);
      ++p;  // resynchronise on the next byte
      continue;
    }
    out.push_back(cp);
    p += extra + 1;
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size() * 2);
  for (char32_t cp : cps) AppendUtf8(out, cp);
  return out;
}

namespace {

// Upper/lower pairs that sit next to each other: upper at an even code point in
// [first, last] (or at an odd one when odd_upper), lower right after it.
struct PairRange {
  char32_t first, last;
  bool odd_upper;
};
constexpr PairRange kPairRanges[] = {
    {0x0100, 0x0137, false},  // Ā..ķ (Ă ă, Ĩ ĩ among them)
    {0x0139, 0x0148, true},   // Ĺ..ň
    {0x014A, 0x0177, false},  // Ŋ..ŷ (Ũ ũ among them)
    {0x0179, 0x017E, true},   // Ź..ž
    {0x01A0, 0x01A1, false},  // Ơ ơ
    {0x01AF, 0x01B0, true},   // Ư ư
    {0x1E00, 0x1E95, false},  // Ḁ..ẕ
    {0x1EA0, 0x1EFF, false},  // Ạ..ỿ: every Vietnamese vowel with a tone mark
};

const PairRange* FindPair(char32_t cp) {
  for (const PairRange& r : kPairRanges) {
    if (cp >= r.first && cp <= r.last) return &r;
  }
  return nullptr;
}

bool IsUpperInPair(const PairRange& r, char32_t cp) { return ((cp & 1) != 0) == r.odd_upper; }

}  // namespace

char32_t ToLowerLatin(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp == 0x178) return 0xFF;  // Ÿ
  if (cp == 0x130) return 'i';   // İ: lower case is plain i outside Turkish
  const PairRange* r = FindPair(cp);
  if (r && cp != 0x130 && cp != 0x131 && IsUpperInPair(*r, cp)) return cp + 1;
  return cp;
}

char32_t ToUpperLatin(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return cp - 32;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 32;
  if (cp == 0xFF) return 0x178;
  if (cp == 0x131) return 'I';  // dotless ı
  const PairRange* r = FindPair(cp);
  if (r && cp != 0x130 && !IsUpperInPair(*r, cp)) return cp - 1;
  return cp;
}

bool IsCasedLatin(char32_t cp) { return ToLowerLatin(cp) != cp || ToUpperLatin(cp) != cp; }

bool IsSpace(char32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

bool IsJunk(char32_t cp) {
  if (IsSpace(cp)) return false;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
         cp == kReplacementChar;
}

}  // namespace hb::identity
