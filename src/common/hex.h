// Hexadecimal (base16, RFC 4648 §8) for digests, binary fields in text formats and FHIRPath's
// encode('hex').
//
// Contract: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hb {

// 0-15 for a hex digit of either case, -1 for any other character.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

enum class HexCase { kLower, kUpper };

// Two digits per byte: "Lò" -> "4cc3b2".
std::string HexEncode(std::string_view bytes, HexCase letters = HexCase::kLower);

// The bytes of an even-length run of hex digits (either case); nullopt for an odd length or
// any other character.
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace hb
