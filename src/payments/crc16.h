// CRC-16/CCITT-FALSE, the checksum of EMVCo merchant-presented QR payloads (field 63).
//
// Spec: EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode (CRC):
// polynomial 0x1021, initial value 0xFFFF, no input or output reflection, no final XOR.
// Check value: Crc16CcittFalse("123456789") == 0x29B1. Some libraries use the reflected
// variant (CRC-16/KERMIT); wallets reject those payloads, so do not "fix" the bit order.
//
// Contract: pure functions over bytes, thread-safe, never fail.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hb::payments {

uint16_t Crc16CcittFalse(std::string_view bytes);

// The CRC as EMVCo writes it: 4 uppercase hex digits, zero-padded ("0A3F").
std::string Crc16Hex(std::string_view bytes);

}  // namespace hb::payments
