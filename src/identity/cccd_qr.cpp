#include "identity/cccd_qr.h"

#include <fmt/format.h>

#include "identity/qr_payload.h"
#include "identity/vietnamese_name.h"

namespace hb::identity {

namespace {

Status Fail(std::string_view message) {
  return Status(ErrorCode::kMalformedCardQr, "CCCD QR: " + std::string(message));
}
Status Prefixed(const Status& s) { return Fail(s.message()); }

// "Nam" / "Nữ" in any case, NFC or NFD, with or without the diacritic that a
// keyboard wedge may have lost ("Nu").
std::optional<Gender> GenderWord(std::string_view text) {
  std::string folded = FoldName(text);
  if (folded == "nam") return Gender::kMale;
  if (folded == "nu") return Gender::kFemale;
  return std::nullopt;
}

bool LooksLikeDate(std::string_view text) { return text.size() == 8 && IsAllDigits(text); }

std::string DigitCount(std::string_view text) {
  if (text.empty()) return "it is empty";
  if (IsAllDigits(text)) return fmt::format("got {} digits '{}'", text.size(), text);
  return fmt::format("got '{}', which is not all digits", text);
}

std::string_view GenderWordOf(Gender g) { return g == Gender::kMale ? "Nam" : "Nữ"; }

// The 7-field layout is the reference one; the 6-field layout drops field 2.
CccdCard::Layout ChooseLayout(const std::vector<std::string>& f) {
  bool fits7 = f.size() >= 7 && LooksLikeDate(f[3]) && GenderWord(f[4]).has_value();
  bool fits6 = LooksLikeDate(f[2]) && GenderWord(f[3]).has_value();
  if (fits7 != fits6) return fits7 ? CccdCard::Layout::kSevenFields : CccdCard::Layout::kSixFields;
  bool old_id_like = f[1].empty() || IsAllDigits(f[1]);
  return old_id_like ? CccdCard::Layout::kSevenFields : CccdCard::Layout::kSixFields;
}

// Compares only as far as the birth date is known: a birth in "1990" (month and
// day 00) is not after an issue on 1990-01-05.
bool IssuedBeforeBirth(const CardDate& issued, const CardDate& birth) {
  if (issued.year != birth.year) return issued.year < birth.year;
  if (birth.month == 0 || issued.month != birth.month) return issued.month < birth.month;
  return birth.day != 0 && issued.day < birth.day;
}

void CrossCheck(CccdCard& card) {
  auto facts = DecodeCccdNumber(card.id);
  if (!facts) return;
  int province = std::stoi(facts->province_code);
  if (province < 1 || province > 96)
    card.warnings.push_back(
        fmt::format("ID digits 1-3 ({}) are not a province code (001-096)", facts->province_code));
  char digit4 = card.id[3];
  int year = card.birth_date.year;
  if (year < facts->century_start || year > facts->century_start + 99)
    card.warnings.push_back(
        fmt::format("ID digit 4 ({}) means born {}-{}, but the birth date is {}", digit4,
                    facts->century_start, facts->century_start + 99, card.birth_date.ToIso()));
  if (year % 100 != facts->year_of_century)
    card.warnings.push_back(fmt::format("ID digits 5-6 ({}) do not match the birth year {}",
                                        card.id.substr(4, 2), year));
  if (facts->gender != card.gender)
    card.warnings.push_back(
        fmt::format("ID digit 4 ({}) means {}, but the gender field says {} ({})", digit4,
                    GenderCode(facts->gender), GenderWordOf(card.gender), GenderCode(card.gender)));
  if (IssuedBeforeBirth(card.issue_date, card.birth_date))
    card.warnings.push_back(fmt::format("the issue date {} is before the birth date {}",
                                        card.issue_date.ToIso(), card.birth_date.ToIso()));
}

}  // namespace

std::optional<CccdNumberFacts> DecodeCccdNumber(std::string_view id) {
  if (id.size() != 12 || !IsAllDigits(id)) return std::nullopt;
  int d = id[3] - '0';
  return CccdNumberFacts{std::string(id.substr(0, 3)), d % 2 == 0 ? Gender::kMale : Gender::kFemale,
                         1900 + (d / 2) * 100, (id[4] - '0') * 10 + (id[5] - '0')};
}

Result<CccdCard> ParseCccdQr(std::string_view payload) {
  auto clean = CleanScan(payload);
  if (!clean.ok()) return Prefixed(clean.status());
  std::vector<std::string> f;
  for (const std::string& raw : SplitFields(*clean)) f.push_back(NormalizeText(raw));
  // Trailing separators ("...|20042021|") leave empty fields at the end.
  while (f.size() > 1 && f.back().empty()) f.pop_back();
  if (f.size() < 6)
    return Fail(fmt::format(
        "too few fields: got {}, need 7 (ID|old ID|name|birth date|gender|address|issue date) "
        "or 6 without the old-ID field",
        f.size()));

  CccdCard card;
  card.layout = ChooseLayout(f);
  bool seven = card.layout == CccdCard::Layout::kSevenFields;
  size_t expected = seven ? 7 : 6;
  if (f.size() < expected)
    return Fail(fmt::format(
        "too few fields: got 6, and field 2 ('{}') is an old-ID field, so the issue date "
        "(field 7) is missing",
        f[1]));
  if (f.size() > expected)
    card.warnings.push_back(
        fmt::format("ignored {} extra field(s) after the issue date", f.size() - expected));
  // Field numbers as they appear in this payload, for messages.
  const size_t k = seven ? 1 : 0;  // shift after the old-ID field
  auto label = [&](std::string_view what, size_t index) {
    return fmt::format("{} (field {})", what, index + 1);
  };

  card.id = f[0];
  if (card.id.size() != 12 || !IsAllDigits(card.id))
    return Fail(fmt::format("{} must be 12 digits, {}{}", label("ID", 0), DigitCount(card.id),
                            card.id.size() == 9 && IsAllDigits(card.id)
                                ? " (9 digits is an old CMND number, not a CCCD)"
                                : ""));
  if (seven && !f[1].empty()) {
    if (!IsAllDigits(f[1]) || (f[1].size() != 9 && f[1].size() != 12))
      return Fail(fmt::format("{} must be 9 digits (CMND) or 12, or empty, {}", label("old ID", 1),
                              DigitCount(f[1])));
    card.old_id = f[1];
  }
  card.name = f[1 + k];
  if (card.name.empty()) return Fail(label("name", 1 + k) + " is empty");
  if (card.name.find_first_of("0123456789") != std::string::npos)
    return Fail(fmt::format("{} '{}' contains digits", label("name", 1 + k), card.name));

  auto birth = ParseCompactDate(f[2 + k], label("birth date", 2 + k), /*allow_partial=*/true);
  if (!birth.ok()) return Prefixed(birth.status());
  card.birth_date = *birth;
  auto gender = GenderWord(f[3 + k]);
  if (!gender)
    return Fail(fmt::format("{} must be Nam or Nữ, got '{}'", label("gender", 3 + k), f[3 + k]));
  card.gender = *gender;
  card.address = f[4 + k];
  if (card.address.empty()) card.warnings.push_back(label("address", 4 + k) + " is empty");
  auto issued = ParseCompactDate(f[5 + k], label("issue date", 5 + k), /*allow_partial=*/false);
  if (!issued.ok()) return Prefixed(issued.status());
  card.issue_date = *issued;

  CrossCheck(card);
  return card;
}

}  // namespace hb::identity
