// The QR code on the health-insurance card (thẻ BHYT) and its 15-character card
// number. Formats: shared/reference/README.md §2 (QR, [unconfirmed] there: one
// source) and §6 (card number, Decision 1351/QĐ-BHXH).
//
//   [0] card number  [1] hex UTF-8 name  [2] birth dd/MM/yyyy or yyyy  [3] gender 1/2
//   [4] hex UTF-8 address  [5] MA_DKBD, optionally with its name  [6] valid from dd/MM/yyyy
//   [7] valid to dd/MM/yyyy  [8...] further fields, kept as they are
//
// Card number "DN4110123456789": beneficiary group "DN", benefit level 4 (1-5),
// province "11", social-insurance number "0123456789" (10 digits). Lower-case
// group letters (a wedge with Caps Lock on) are upper-cased with a warning.
//
// Tolerances: hex in either case; trailing '|' and '$' separators; a birth date
// of year or month precision ("1990", "00/00/1990", "00/03/1990"); the facility
// field as "11001", "11001 - Bệnh viện ...", "11001: ..." or "11 - 001" (province
// and facility code printed apart: joined to "11001"); a missing or empty
// valid-to date (warning); gender 3, undetermined in the claim tables (unknown).
//
// Rejections (ErrorCode::kMalformedCardQr, message prefixed "BHYT QR: "): too
// few fields; a card number of the wrong length or shape (which characters and
// why); bad hex (odd length, a non-hex character, non-UTF-8 bytes); an empty
// name; a malformed or impossible date; an unknown gender code; a facility field
// without a leading code. A valid-to date before valid-from is a warning.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "identity/card_date.h"
#include "identity/gender.h"

namespace hb::identity {

struct BhytCardNumber {
  std::string group;                    // "DN": beneficiary group (đối tượng)
  int benefit_level = 0;                // 1..5 (mức hưởng)
  std::string province;                 // "11"
  std::string social_insurance_number;  // 10 digits (mã số BHXH)
};

struct BhytCard {
  std::string card_number;  // 15 characters, group letters upper case
  BhytCardNumber parts;
  std::string name;  // NFC, white space collapsed
  CardDate birth_date;
  Gender gender = Gender::kUnknown;
  std::string address;
  std::string facility_code;                 // MA_DKBD, "11001"
  std::optional<std::string> facility_name;  // when the field carries one
  CardDate valid_from;
  std::optional<CardDate> valid_to;
  std::vector<std::string> extra_fields;  // [8...], cleaned, as they are
  std::vector<std::string> warnings;
};

// `what` names the field in messages. Upper-cases the group letters.
Result<BhytCardNumber> ParseBhytCardNumber(std::string_view text, std::string_view what);

Result<BhytCard> ParseBhytQr(std::string_view payload);

// The share of covered costs the fund pays for a card's benefit level (the card number's
// third character): 1, 2 and 5 pay 100 %, 3 pays 95 %, 4 pays 80 %; 0 for an unknown level.
int BenefitPercent(int benefit_level);

}  // namespace hb::identity
