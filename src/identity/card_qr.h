// One entry point for a scanned card QR payload: tells a citizen-ID card (CCCD)
// from a health-insurance card (BHYT) and parses it with cccd_qr.h or bhyt_qr.h.
//
// The kind is decided by the first field after cleaning (CleanScan): a CCCD
// payload starts with the 12-digit ID, a BHYT payload with the two letters of
// the beneficiary group. Anything else is rejected with the first field quoted.
//
// Failure: ErrorCode::kMalformedCardQr with the reason. Contract: pure, thread-safe.
#pragma once

#include <string_view>
#include <variant>

#include "common/result.h"
#include "identity/bhyt_qr.h"
#include "identity/cccd_qr.h"

namespace hb::identity {

enum class CardKind { kCccd, kBhyt };

using ParsedCard = std::variant<CccdCard, BhytCard>;

Result<CardKind> DetectCardKind(std::string_view payload);
Result<ParsedCard> ParseCardQr(std::string_view payload);

}  // namespace hb::identity
