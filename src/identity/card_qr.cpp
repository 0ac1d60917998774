#include "identity/card_qr.h"

#include <fmt/format.h>

#include "identity/qr_payload.h"

namespace hb::identity {

Result<CardKind> DetectCardKind(std::string_view payload) {
  auto clean = CleanScan(payload);
  if (!clean.ok()) return clean.status();
  std::string_view first = *clean;
  first = first.substr(0, first.find('|'));
  char c = first.empty() ? '\0' : first[0];
  if (c >= '0' && c <= '9') return CardKind::kCccd;
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return CardKind::kBhyt;
  return Status(ErrorCode::kMalformedCardQr,
                fmt::format("not a card QR: the first field must be a 12-digit citizen-ID number "
                            "(CCCD) or a 15-character insurance card number (BHYT), got '{}'",
                            first));
}

Result<ParsedCard> ParseCardQr(std::string_view payload) {
  auto kind = DetectCardKind(payload);
  if (!kind.ok()) return kind.status();
  if (*kind == CardKind::kCccd) {
    auto card = ParseCccdQr(payload);
    if (!card.ok()) return card.status();
    return ParsedCard(std::move(card).value());
  }
  auto card = ParseBhytQr(payload);
  if (!card.ok()) return card.status();
  return ParsedCard(std::move(card).value());
}

}  // namespace hb::identity
