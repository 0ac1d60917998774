// The QR code on the chip citizen-ID card (CCCD): parsing, layout detection and
// the cross-check of the ID number against the birth date and gender.
// Format: shared/reference/README.md §2; ID structure: Circular 59/2021/TT-BCA.
//
//   <ID, 12 digits>|<old ID, 9 digits, or empty>|<name>|<birth ddMMyyyy>|<Nam/Nữ>|<address>|
//   <issue ddMMyyyy>
//
// Layouts accepted (docs/implementation/identity.md has the rules in full):
//  - 7 fields, the old-ID field holding 9 digits (or 12, the 2012-2016 CMND) or empty;
//  - 6 fields, readers that leave the old-ID field out altogether;
//  - either one followed by trailing '|' separators; extra non-empty fields after
//    the issue date are ignored with a warning.
// The layout is chosen by where a ddMMyyyy date followed by a gender word sits
// (fields 4-5 or 3-4); when neither or both fit, by field 2: empty or digits means
// the 7-field layout. Text is cleaned (CleanScan) and NFC-normalised
// (NormalizeText), so NFD input and scanner junk parse the same as clean input.
//
// Rejections (ErrorCode::kMalformedCardQr, message prefixed "CCCD QR: "): too
// few fields; an ID or old ID with the wrong digit count (field and count named);
// an empty name or one with digits; a malformed or impossible date; a gender
// other than Nam/Nữ. Inconsistencies between otherwise well-formed fields (ID
// digits vs birth year or gender, an unknown province code, an issue date before
// birth, an empty address) are warnings, never rejections: the card is what the
// person holds, and reception must still be able to register them.
//
// Contract: pure function, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "identity/card_date.h"
#include "identity/gender.h"

namespace hb::identity {

struct CccdCard {
  enum class Layout { kSevenFields, kSixFields };

  std::string id;                     // 12 digits
  std::optional<std::string> old_id;  // absent when empty or when the field is missing
  std::string name;                   // NFC, white space collapsed, case as printed
  CardDate birth_date;                // may lack day or month ("00" on the card)
  Gender gender = Gender::kUnknown;   // kMale or kFemale
  std::string address;                // NFC; as of the issue date, never decoded
  CardDate issue_date;                // always complete
  Layout layout = Layout::kSevenFields;
  std::vector<std::string> warnings;
};

// What the 12 digits of a CCCD number say about its holder.
struct CccdNumberFacts {
  std::string province_code;  // "011": where the birth was registered
  Gender gender;
  int century_start;  // 1900 for digit 0/1, 2000 for 2/3, ... 2300 for 8/9
  int year_of_century;
};
// nullopt unless `id` is 12 ASCII digits.
std::optional<CccdNumberFacts> DecodeCccdNumber(std::string_view id);

Result<CccdCard> ParseCccdQr(std::string_view payload);

}  // namespace hb::identity
