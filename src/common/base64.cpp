#include "common/base64.h"

#include <array>
#include <cstdint>

namespace hb {

namespace {

constexpr std::string_view kStandardChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The value of each byte in `alphabet`, -1 for bytes outside it.
constexpr std::array<int8_t, 256> ValueTable(Base64Alphabet alphabet) {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  if (alphabet != Base64Alphabet::kUrl) {
    for (size_t i = 0; i < kStandardChars.size(); ++i) {
      t[static_cast<uint8_t>(kStandardChars[i])] = static_cast<int8_t>(i);
    }
  }
  if (alphabet != Base64Alphabet::kStandard) {
    for (size_t i = 0; i < kUrlChars.size(); ++i) {
      t[static_cast<uint8_t>(kUrlChars[i])] = static_cast<int8_t>(i);
    }
  }
  return t;
}

constexpr auto kStandardValues = ValueTable(Base64Alphabet::kStandard);
constexpr auto kUrlValues = ValueTable(Base64Alphabet::kUrl);
constexpr auto kEitherValues = ValueTable(Base64Alphabet::kEither);

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string Base64Encode(std::string_view in, const Base64Format& format) {
  const std::string_view chars =
      format.alphabet == Base64Alphabet::kUrl ? kUrlChars : kStandardChars;
  const bool pad = format.padding != Base64Padding::kNone;
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16) |
                       (static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8) |
                       static_cast<uint8_t>(in[i + 2]);
    out += chars[(v >> 18) & 63];
    out += chars[(v >> 12) & 63];
    out += chars[(v >> 6) & 63];
    out += chars[v & 63];
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16;
    if (rest == 2) v |= static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8;
    out += chars[(v >> 18) & 63];
    out += chars[(v >> 12) & 63];
    if (rest == 2) out += chars[(v >> 6) & 63];
    if (pad) out.append(3 - rest, '=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text, const Base64Format& format) {
  const auto& values = format.alphabet == Base64Alphabet::kStandard ? kStandardValues
                       : format.alphabet == Base64Alphabet::kUrl    ? kUrlValues
                                                                    : kEitherValues;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t acc = 0;
  int bits = 0;
  size_t chars = 0;    // alphabet characters
  size_t padding = 0;  // '=' after them
  for (char c : text) {
    if (format.skip_whitespace && IsSpace(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    const int8_t v = values[static_cast<uint8_t>(c)];
    if (v < 0 || padding > 0) return std::nullopt;  // outside the alphabet, or after '='
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++chars;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (chars % 4 == 1) return std::nullopt;
  const size_t exact_padding = (4 - chars % 4) % 4;
  switch (format.padding) {
    case Base64Padding::kRequired:
      if (padding != exact_padding) return std::nullopt;
      break;
    case Base64Padding::kOptional:
      if (padding != 0 && padding != exact_padding) return std::nullopt;
      break;
    case Base64Padding::kNone:
      if (padding != 0) return std::nullopt;
      break;
  }
  if (format.canonical && bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace hb
