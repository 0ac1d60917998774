#include "payments/vietnamese_ascii.h"

#include <cstdio>

#include "common/latin_letters.h"
#include "common/utf8.h"

namespace hb::payments {

namespace {

// The base letter of a Vietnamese letter, 0 for a combining mark to drop, -1 when `cp` is
// neither (common/latin_letters.h).
int BaseLetter(char32_t cp) {
  if (cp == 0xD0) return 'D';  // Ð, used for Đ by legacy Vietnamese encodings
  if (IsVietnameseLetter(cp)) return LatinBaseLetter(cp);
  return IsVietnameseMark(cp) ? 0 : -1;
}

}  // namespace

Result<std::string> FoldVietnameseToAscii(std::string_view utf8) {
  if (!IsValidUtf8(utf8)) {
    return Status(ErrorCode::kInvalidArgument, "text is not valid UTF-8");
  }
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  size_t character = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    if (lead < 0x80) {
      out += static_cast<char>(lead);
      ++i;
      ++character;
      continue;
    }
    // Valid UTF-8 was checked above, so the sequence length follows from the lead byte.
    const int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
    char32_t cp = lead & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    const int base = BaseLetter(cp);
    if (base < 0) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
      return Status(ErrorCode::kInvalidArgument, std::string(code) + " '" +
                                                     std::string(utf8.substr(i, extra + 1)) +
                                                     "' at character " + std::to_string(character) +
                                                     " cannot be written in ASCII");
    }
    if (base > 0) out += static_cast<char>(base);
    i += static_cast<size_t>(extra) + 1;
    ++character;
  }
  return out;
}

}  // namespace hb::payments
