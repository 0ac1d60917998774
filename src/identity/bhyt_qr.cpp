#include "identity/bhyt_qr.h"

#include <fmt/format.h>

#include "identity/qr_payload.h"
#include "identity/vietnamese_name.h"

namespace hb::identity {

namespace {

Status Fail(std::string_view message) {
  return Status(ErrorCode::kMalformedCardQr, "BHYT QR: " + std::string(message));
}
Status Prefixed(const Status& s) { return Fail(s.message()); }

std::string Label(std::string_view what, size_t index) {
  return fmt::format("{} (field {})", what, index + 1);
}

bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Result<std::string> HexText(std::string_view hex, std::string_view what) {
  auto bytes = DecodeHexUtf8(hex, what);
  if (!bytes.ok()) return Prefixed(bytes.status());
  return NormalizeText(*bytes);
}

// MA_DKBD with or without the facility's name; see the header for the shapes.
Status ParseFacility(std::string_view text, BhytCard& card) {
  std::string what = Label("registered facility", 5);
  if (text.empty()) return Fail(what + " is empty");
  size_t digits = 0;
  while (digits < text.size() && IsDigit(text[digits])) ++digits;
  if (digits == 0)
    return Fail(
        fmt::format("{} must start with the facility code (MA_DKBD), got '{}'", what, text));
  std::string_view rest = text.substr(digits);
  // "11 - 001": province and facility printed apart.
  if (digits == 2) {
    size_t i = rest.find_first_not_of(' ');
    if (i != std::string_view::npos && rest[i] == '-') {
      std::string_view after = rest.substr(i + 1);
      after.remove_prefix(std::min(after.find_first_not_of(' '), after.size()));
      if (after.size() == 3 && IsAllDigits(after)) {
        card.facility_code = std::string(text.substr(0, 2)) + std::string(after);
        return Status::Ok();
      }
    }
  }
  card.facility_code = std::string(text.substr(0, digits));
  // Separators between code and name: spaces, '-', '–' (en dash), ':'.
  while (!rest.empty()) {
    if (rest[0] == ' ' || rest[0] == '-' || rest[0] == ':') {
      rest.remove_prefix(1);
    } else if (rest.substr(0, 3) == "\xE2\x80\x93") {
      rest.remove_prefix(3);
    } else {
      break;
    }
  }
  if (!rest.empty()) card.facility_name = NormalizeText(rest);
  if (card.facility_code.size() != 5)
    card.warnings.push_back(fmt::format("facility code '{}' is not 5 digits", card.facility_code));
  return Status::Ok();
}

}  // namespace

Result<BhytCardNumber> ParseBhytCardNumber(std::string_view text, std::string_view what) {
  auto fail = [&](std::string why) {
    return Status(ErrorCode::kMalformedCardQr, fmt::format("{} {}", what, why));
  };
  if (text.size() != 15)
    return fail(fmt::format("must be 15 characters, got {} ('{}')", text.size(), text));
  if (!IsAsciiLetter(text[0]) || !IsAsciiLetter(text[1]))
    return fail(fmt::format("characters 1-2 must be letters (beneficiary group), got '{}'",
                            text.substr(0, 2)));
  if (text[2] < '1' || text[2] > '5')
    return fail(fmt::format("character 3 must be a benefit level 1-5, got '{}'", text[2]));
  if (!IsAllDigits(text.substr(3, 2)))
    return fail(
        fmt::format("characters 4-5 must be a 2-digit province code, got '{}'", text.substr(3, 2)));
  if (!IsAllDigits(text.substr(5)))
    return fail(fmt::format(
        "characters 6-15 must be the 10-digit social-insurance number, got '{}'", text.substr(5)));
  BhytCardNumber n;
  for (char c : text.substr(0, 2)) n.group += static_cast<char>(c & ~0x20);  // upper case
  n.benefit_level = text[2] - '0';
  n.province = std::string(text.substr(3, 2));
  n.social_insurance_number = std::string(text.substr(5));
  return n;
}

Result<BhytCard> ParseBhytQr(std::string_view payload) {
  auto clean = CleanScan(payload);
  if (!clean.ok()) return Prefixed(clean.status());
  // Readers end the payload with '|', '$' or "|$"; an empty valid-to goes with them.
  std::string_view text = *clean;
  while (!text.empty() && (text.back() == '|' || text.back() == '$' || text.back() == ' '))
    text.remove_suffix(1);
  std::vector<std::string> f = SplitFields(text);
  for (std::string& field : f) field = NormalizeText(field);
  if (f.size() < 7)
    return Fail(fmt::format(
        "too few fields: got {}, need card number|name|birth date|gender|address|facility|"
        "valid from|valid to (the last may be empty)",
        f.size()));

  BhytCard card;
  auto number = ParseBhytCardNumber(f[0], Label("card number", 0));
  if (!number.ok()) return Prefixed(number.status());
  card.parts = std::move(number).value();
  card.card_number = card.parts.group + f[0].substr(2);
  if (card.card_number != f[0])
    card.warnings.push_back("card number letters were lower case; read as " + card.card_number);

  auto name = HexText(f[1], Label("name", 1));
  if (!name.ok()) return name.status();
  card.name = std::move(name).value();
  if (card.name.empty()) return Fail(Label("name", 1) + " is empty");

  auto birth = ParseSlashedDate(f[2], Label("birth date", 2), /*allow_partial=*/true);
  if (!birth.ok()) return Prefixed(birth.status());
  card.birth_date = *birth;

  if (f[3] == "1") {
    card.gender = Gender::kMale;
  } else if (f[3] == "2") {
    card.gender = Gender::kFemale;
  } else if (f[3] == "3") {
    card.gender = Gender::kUnknown;
  } else {
    return Fail(
        fmt::format("{} must be 1 (male) or 2 (female), got '{}'", Label("gender", 3), f[3]));
  }

  auto address = HexText(f[4], Label("address", 4));
  if (!address.ok()) return address.status();
  card.address = std::move(address).value();
  if (card.address.empty()) card.warnings.push_back(Label("address", 4) + " is empty");

  HB_RETURN_IF_ERROR(ParseFacility(f[5], card));

  auto from = ParseSlashedDate(f[6], Label("valid-from date", 6), /*allow_partial=*/false);
  if (!from.ok()) return Prefixed(from.status());
  card.valid_from = *from;
  if (f.size() < 8 || f[7].empty()) {
    card.warnings.push_back(Label("valid-to date", 7) + " is missing");
  } else {
    auto to = ParseSlashedDate(f[7], Label("valid-to date", 7), /*allow_partial=*/false);
    if (!to.ok()) return Prefixed(to.status());
    card.valid_to = *to;
    if (*to < card.valid_from)
      card.warnings.push_back(fmt::format("the valid-to date {} is before the valid-from date {}",
                                          to->ToIso(), card.valid_from.ToIso()));
  }
  for (size_t i = 8; i < f.size(); ++i) card.extra_fields.push_back(f[i]);
  return card;
}

int BenefitPercent(int benefit_level) {
  switch (benefit_level) {
    case 1:
    case 2:
    case 5:
      return 100;
    case 3:
      return 95;
    case 4:
      return 80;
    default:
      return 0;
  }
}

}  // namespace hb::identity
