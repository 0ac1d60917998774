// EMVCo merchant-presented QR payloads: TLV data objects read into a tree, written canonically.
//
// Spec: EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode (EMV QRCPS
// MPM) v1.1, sections "Data Objects" and "CRC". A data object is a
// 2-digit ID, a 2-digit decimal length (01..99, counting characters) and the value. Templates,
// whose value is itself a sequence of data objects, are the IDs 26-51 (merchant account
// information), 62 (additional data), 64 (language template) and 80-99 (unreserved); callers
// name further nested paths (VietQR nests 38.01). Field 63 is the CRC-16 (crc16.h) of
// everything before its value, "6304" included, and must come last.
//
// Reading is tolerant: any field order, surrounding whitespace trimmed, lowercase hex in the
// CRC. Writing is canonical: every level sorted by ID, 63 last, uppercase CRC. Errors are
// precise and carry the dotted path of the field ("38.01.00") as their location:
//   kMalformedQr         structure: not printable ASCII, truncated TLV, bad ID or length,
//                        empty value, duplicate ID, missing/misplaced/malformed CRC, field 00
//   kQrChecksumMismatch  the CRC does not match ("expected D9C6, found D9C7")
//   kInvalidArgument     EncodeEmv given fields it cannot write
//
// Contract: pure functions and plain values; thread-safe; no allocation limits beyond the
// EMVCo maximum of 512 characters per payload, enforced both ways.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::payments {

inline constexpr size_t kMaxEmvPayloadLength = 512;

// One data object. A template has children; its value is then their encoding.
struct TlvField {
  std::string id;                  // two digits, "00".."99"
  std::string value;               // the raw value as it appears in the payload
  std::vector<TlvField> children;  // the parsed or given sub-fields of a template
  size_t offset = 0;               // read side: where the ID starts in the payload

  // The direct child with this ID, or nullptr.
  const TlvField* Child(std::string_view child_id) const;
};

TlvField Primitive(std::string id, std::string value);
TlvField Template(std::string id, std::vector<TlvField> children);

struct EmvDecodeOptions {
  // Dotted paths nested in addition to EMVCo's templates, e.g. {"38.01"} for VietQR.
  std::vector<std::string> extra_templates;
};

struct EmvPayload {
  std::vector<TlvField> fields;  // the top level in payload order, field 63 last
  std::string crc;               // the CRC as written (its case preserved)

  // The field at a dotted path ("62.08"), or nullptr.
  const TlvField* Find(std::string_view path) const;
};

// Parses and verifies a payload: printable ASCII, TLV structure at every template level, no
// duplicate IDs on a level, field 00 = "01", field 63 present, last and matching.
Result<EmvPayload> DecodeEmv(std::string_view payload, const EmvDecodeOptions& options = {});

// Writes `fields` (without 63) canonically and appends "6304" and the CRC. Templates are
// encoded from their children. Fails on an ID that is not two digits, a duplicate ID, an
// empty or over-long (> 99) value, a character outside printable ASCII, a field 63, or a
// payload over 512 characters.
Result<std::string> EncodeEmv(std::vector<TlvField> fields);

// True when `c` may appear in a payload: printable ASCII, 0x20..0x7E.
inline bool IsEmvChar(char c) { return c >= 0x20 && c <= 0x7E; }

}  // namespace hb::payments
