// The text layer shared by the card QR parsers: cleaning what a scanner typed,
// splitting it into fields, decoding hex-encoded UTF-8 fields.
//
// CleanScan removes what keyboard-wedge scanners and terminals add around a
// payload: leading and trailing white space and control characters (CR, LF, TAB,
// NUL, ESC, ...), a byte-order mark, zero-width characters, stray bytes that are
// not UTF-8, and an AIM symbology identifier prefix ("]Q1", ISO/IEC 15424) that
// scanners can be set to send. Inside the payload it drops control and
// invisible characters (IsJunk) but keeps white space for the field parsers to
// trim. It fails on malformed UTF-8 (or U+FFFD) inside the payload, since then
// a name or an address has already been damaged, and on an empty payload.
//
// Failure: Status with ErrorCode::kMalformedCardQr and a message naming the fault.
// Contract: pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::identity {

Result<std::string> CleanScan(std::string_view raw);

// "a|b||c|" -> {"a", "b", "", "c", ""}: every separator makes a field.
std::vector<std::string> SplitFields(std::string_view text, char separator = '|');

// "4cc3b2" -> "Lò" (either case of hex digit). `what` names the field in messages:
// odd length, a non-hex character and its position, or bytes that are not UTF-8.
Result<std::string> DecodeHexUtf8(std::string_view hex, std::string_view what);

bool IsAllDigits(std::string_view s);  // false for ""

}  // namespace hb::identity
