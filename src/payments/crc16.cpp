#include "payments/crc16.h"

#include <array>

#include "common/hex.h"

namespace hb::payments {

namespace {

// One 256-entry table, built at compile time: payloads are short, but decoding a day's bank
// notifications verifies many of them.
constexpr std::array<uint16_t, 256> MakeTable() {
  std::array<uint16_t, 256> table{};
  for (int byte = 0; byte < 256; ++byte) {
    uint16_t crc = static_cast<uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<uint16_t, 256> kTable = MakeTable();

}  // namespace

uint16_t Crc16CcittFalse(std::string_view bytes) {
  uint16_t crc = 0xFFFF;
  for (char c : bytes) {
    const auto index = static_cast<uint8_t>((crc >> 8) ^ static_cast<uint8_t>(c));
    crc = static_cast<uint16_t>((crc << 8) ^ kTable[index]);
  }
  return crc;
}

std::string Crc16Hex(std::string_view bytes) {
  const uint16_t crc = Crc16CcittFalse(bytes);
  const char big_endian[2] = {static_cast<char>(crc >> 8), static_cast<char>(crc & 0xFF)};
  return HexEncode(std::string_view(big_endian, 2), HexCase::kUpper);
}

}  // namespace hb::payments
