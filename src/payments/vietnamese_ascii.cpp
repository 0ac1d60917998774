#include "payments/vietnamese_ascii.h"

#include <cstdio>

#include "common/utf8.h"

namespace hb::payments {

namespace {

// U+1EA0..U+1EF9 (Latin Extended Additional, the Vietnamese block) alternate upper and lower
// case letter by letter, grouped by base vowel: A (24), E (16), I (4), O (24), U (14), Y (8).
constexpr char kExtendedAdditional[] =
    "AaAaAaAaAaAaAaAaAaAaAaAa"
    "EeEeEeEeEeEeEeEe"
    "IiIi"
    "OoOoOoOoOoOoOoOoOoOoOoOo"
    "UuUuUuUuUuUuUu"
    "YyYyYyYy";
static_assert(sizeof(kExtendedAdditional) - 1 == 0x1EF9 - 0x1EA0 + 1);

// The base letter of a Vietnamese letter, 0 for a combining mark to drop, -1 when `cp` is
// neither.
int BaseLetter(char32_t cp) {
  if (cp >= 0x1EA0 && cp <= 0x1EF9) return kExtendedAdditional[cp - 0x1EA0];
  switch (cp) {
    // Latin-1: only the letters Vietnamese uses.
    case 0xC0:
    case 0xC1:
    case 0xC2:
    case 0xC3:
      return 'A';
    case 0xC8:
    case 0xC9:
    case 0xCA:
      return 'E';
    case 0xCC:
    case 0xCD:
      return 'I';
    case 0xD2:
    case 0xD3:
    case 0xD4:
    case 0xD5:
      return 'O';
    case 0xD9:
    case 0xDA:
      return 'U';
    case 0xDD:
      return 'Y';
    case 0xE0:
    case 0xE1:
    case 0xE2:
    case 0xE3:
      return 'a';
    case 0xE8:
    case 0xE9:
    case 0xEA:
      return 'e';
    case 0xEC:
    case 0xED:
      return 'i';
    case 0xF2:
    case 0xF3:
    case 0xF4:
    case 0xF5:
      return 'o';
    case 0xF9:
    case 0xFA:
      return 'u';
    case 0xFD:
      return 'y';
    case 0xD0:
      return 'D';  // Ð, used for Đ by legacy Vietnamese encodings
    case 0x102:
      return 'A';  // Ă
    case 0x103:
      return 'a';
    case 0x110:
      return 'D';  // Đ
    case 0x111:
      return 'd';
    case 0x128:
      return 'I';  // Ĩ
    case 0x129:
      return 'i';
    case 0x168:
      return 'U';  // Ũ
    case 0x169:
      return 'u';
    case 0x1A0:
      return 'O';  // Ơ
    case 0x1A1:
      return 'o';
    case 0x1AF:
      return 'U';  // Ư
    case 0x1B0:
      return 'u';
    // Combining marks of decomposed Vietnamese: grave, acute, circumflex, tilde, breve,
    // hook above, horn, dot below.
    case 0x300:
    case 0x301:
    case 0x302:
    case 0x303:
    case 0x306:
    case 0x309:
    case 0x31B:
    case 0x323:
      return 0;
    default:
      return -1;
  }
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
