#include "identity/cccd_qr.h"

#include <gtest/gtest.h>

namespace hb::identity {
namespace {

// The synthetic examples of shared/reference/README.md §2, exactly.
constexpr const char* kLoVanA =
    "011090123456|040123456|LÒ VĂN A|15031990|Nam|Bản Huổi Phạ, Phường Him Lam, Thành phố Điện "
    "Biên Phủ, Điện Biên|20042021";
constexpr const char* kQuangThiB =
    "011305001234||QUÀNG THỊ B|02072005|Nữ|Xã Thanh Xương, Huyện Điện Biên, Điện Biên|10082021";

CccdCard Parse(std::string_view text) {
  auto card = ParseCccdQr(text);
  EXPECT_TRUE(card.ok()) << card.status().message();
  return card.ok() ? std::move(card).value() : CccdCard{};
}

std::string Error(std::string_view text) {
  auto card = ParseCccdQr(text);
  EXPECT_FALSE(card.ok()) << text;
  if (card.ok()) return "";
  EXPECT_EQ(card.status().code(), ErrorCode::kMalformedCardQr);
  return card.status().message();
}

TEST(ParseCccdQr, ReferenceExampleWithOldId) {
  CccdCard c = Parse(kLoVanA);
  EXPECT_EQ(c.id, "011090123456");
  EXPECT_EQ(c.old_id, "040123456");
  EXPECT_EQ(c.name, "LÒ VĂN A");
  EXPECT_EQ(c.birth_date.ToIso(), "1990-03-15");
  EXPECT_EQ(c.gender, Gender::kMale);
  EXPECT_EQ(c.address, "Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Điện Biên");
  EXPECT_EQ(c.issue_date.ToIso(), "2021-04-20");
  EXPECT_EQ(c.layout, CccdCard::Layout::kSevenFields);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ParseCccdQr, ReferenceExampleWithEmptyOldId) {
  CccdCard c = Parse(kQuangThiB);
  EXPECT_EQ(c.id, "011305001234");
  EXPECT_FALSE(c.old_id.has_value());
  EXPECT_EQ(c.name, "QUÀNG THỊ B");
  EXPECT_EQ(c.birth_date.ToIso(), "2005-07-02");
  EXPECT_EQ(c.gender, Gender::kFemale);
  EXPECT_EQ(c.issue_date.ToIso(), "2021-08-10");
  EXPECT_EQ(c.layout, CccdCard::Layout::kSevenFields);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ParseCccdQr, SixFieldsWithoutOldIdField) {
  CccdCard c = Parse("011305001234|QUÀNG THỊ B|02072005|Nữ|Xã Thanh Xương, Điện Biên|10082021");
  EXPECT_EQ(c.layout, CccdCard::Layout::kSixFields);
  EXPECT_FALSE(c.old_id.has_value());
  EXPECT_EQ(c.name, "QUÀNG THỊ B");
  EXPECT_EQ(c.birth_date.ToIso(), "2005-07-02");
  EXPECT_EQ(c.address, "Xã Thanh Xương, Điện Biên");
  EXPECT_EQ(c.issue_date.ToIso(), "2021-08-10");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ParseCccdQr, TrailingSeparators) {
  CccdCard seven = Parse(std::string(kLoVanA) + "|");
  EXPECT_EQ(seven.layout, CccdCard::Layout::kSevenFields);
  EXPECT_EQ(seven.issue_date.ToIso(), "2021-04-20");
  EXPECT_TRUE(seven.warnings.empty());
  EXPECT_EQ(Parse(std::string(kQuangThiB) + "||").issue_date.ToIso(), "2021-08-10");
  CccdCard six = Parse("011305001234|QUÀNG THỊ B|02072005|Nữ|Điện Biên|10082021|");
  EXPECT_EQ(six.layout, CccdCard::Layout::kSixFields);
  EXPECT_EQ(six.issue_date.ToIso(), "2021-08-10");
}

TEST(ParseCccdQr, NfdInputGivesNfcFields) {
  CccdCard c = Parse(
      "011090123456|040123456|LO\u0300 VA\u0306N A|15031990|Nam|Ba\u0309n Huo\u0302\u0309i "
      "Pha\u0323, Đie\u0323\u0302n Bie\u0302n|20042021");
  EXPECT_EQ(c.name, "LÒ VĂN A");
  EXPECT_EQ(c.address, "Bản Huổi Phạ, Điện Biên");
  CccdCard female =
      Parse("011305001234||QUA\u0300NG THI\u0323 B|02072005|Nu\u031B\u0303|x|10082021");
  EXPECT_EQ(female.gender, Gender::kFemale);
  EXPECT_EQ(female.name, "QUÀNG THỊ B");
}

TEST(ParseCccdQr, WedgeJunkAndSpacesAreStripped) {
  std::string raw = std::string("\0\r\n", 3) + "]Q1  011090123456 |040123456\t| LÒ  VĂN A |" +
                    "15031990|Nam|Điện Biên| 20042021\r\n" + std::string("\0", 1);
  CccdCard c = Parse(raw);
  EXPECT_EQ(c.id, "011090123456");
  EXPECT_EQ(c.old_id, "040123456");
  EXPECT_EQ(c.name, "LÒ VĂN A");
  EXPECT_EQ(c.issue_date.ToIso(), "2021-04-20");
  EXPECT_EQ(Parse("\xEF\xBB\xBF" + std::string(kLoVanA) + "\n").name, "LÒ VĂN A");
}

TEST(ParseCccdQr, GenderWordsInAnyCase) {
  EXPECT_EQ(Parse("011305001234||B|02072005|NỮ|x|10082021").gender, Gender::kFemale);
  EXPECT_EQ(Parse("011305001234||B|02072005|nu|x|10082021").gender, Gender::kFemale);
  EXPECT_EQ(Parse("011090123456||A|15031990|NAM|x|20042021").gender, Gender::kMale);
}

TEST(ParseCccdQr, TwelveDigitOldIdAndPartialBirthDate) {
  EXPECT_EQ(Parse("011090123456|011090123456|A|15031990|Nam|x|20042021").old_id, "011090123456");
  CccdCard c = Parse("011050123456||A|00001950|Nam|x|20042021");
  EXPECT_EQ(c.birth_date.ToIso(), "1950");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ParseCccdQr, RejectsTooFewFields) {
  EXPECT_EQ(Error("011090123456|040123456|LÒ VĂN A|15031990|Nam"),
            "CCCD QR: too few fields: got 5, need 7 (ID|old ID|name|birth date|gender|address|"
            "issue date) or 6 without the old-ID field");
  EXPECT_EQ(Error("011090123456|040123456|LÒ VĂN A|15031990|Nam|Điện Biên"),
            "CCCD QR: too few fields: got 6, and field 2 ('040123456') is an old-ID field, so the "
            "issue date (field 7) is missing");
  EXPECT_EQ(Error("011090123456||LÒ VĂN A|15031990|Nam|Điện Biên|"),
            "CCCD QR: too few fields: got 6, and field 2 ('') is an old-ID field, so the issue "
            "date (field 7) is missing");
}

TEST(ParseCccdQr, RejectsWrongDigitCounts) {
  EXPECT_EQ(Error("01109012345|040123456|A|15031990|Nam|x|20042021"),
            "CCCD QR: ID (field 1) must be 12 digits, got 11 digits '01109012345'");
  EXPECT_EQ(Error("040123456|040123456|A|15031990|Nam|x|20042021"),
            "CCCD QR: ID (field 1) must be 12 digits, got 9 digits '040123456' (9 digits is an "
            "old CMND number, not a CCCD)");
  EXPECT_EQ(Error("01109012345X|040123456|A|15031990|Nam|x|20042021"),
            "CCCD QR: ID (field 1) must be 12 digits, got '01109012345X', which is not all digits");
  EXPECT_EQ(Error("011090123456|04012345|A|15031990|Nam|x|20042021"),
            "CCCD QR: old ID (field 2) must be 9 digits (CMND) or 12, or empty, got 8 digits "
            "'04012345'");
  // Field 2 neither digits nor the name, but fields 4-5 show the 7-field layout.
  EXPECT_EQ(Error("011090123456|04O123456|A|15031990|Nam|x|20042021"),
            "CCCD QR: old ID (field 2) must be 9 digits (CMND) or 12, or empty, got '04O123456', "
            "which is not all digits");
}

TEST(ParseCccdQr, RejectsBadDates) {
  EXPECT_EQ(Error("011300123456||B|31022000|Nữ|x|10082021"),
            "CCCD QR: birth date (field 4) '31022000' is not a real date: February 2000 has 29 "
            "days");
  EXPECT_EQ(Error("011090123456||A|1503199|Nam|x|20042021"),
            "CCCD QR: birth date (field 4) must be 8 digits ddMMyyyy, got 7 digits '1503199'");
  EXPECT_EQ(Error("011090123456||A|15031990|Nam|x|20/04/2021"),
            "CCCD QR: issue date (field 7) must be 8 digits ddMMyyyy, got '20/04/2021'");
  EXPECT_EQ(Error("011090123456||A|15031990|Nam|x|00042021"),
            "CCCD QR: issue date (field 7) '00042021' is not a real date: the day is 00");
  // In the 6-field layout the numbers shift down by one.
  EXPECT_EQ(Error("011090123456|A|15131990|Nam|x|20042021"),
            "CCCD QR: birth date (field 3) '15131990' is not a real date: there is no month 13");
}

TEST(ParseCccdQr, RejectsUnknownGenderAndBadNames) {
  EXPECT_EQ(Error("011090123456||A|15031990|Male|x|20042021"),
            "CCCD QR: gender (field 5) must be Nam or Nữ, got 'Male'");
  EXPECT_EQ(Error("011090123456||A|15031990||x|20042021"),
            "CCCD QR: gender (field 5) must be Nam or Nữ, got ''");
  EXPECT_EQ(Error("011090123456|| |15031990|Nam|x|20042021"), "CCCD QR: name (field 3) is empty");
  EXPECT_EQ(Error("011090123456||L0 VAN A|15031990|Nam|x|20042021"),
            "CCCD QR: name (field 3) 'L0 VAN A' contains digits");
}

TEST(ParseCccdQr, RejectsDamagedOrEmptyText) {
  EXPECT_EQ(Error("\r\n"),
            "CCCD QR: the payload is empty (nothing but white space or control characters)");
  EXPECT_EQ(Error("011090123456||L\xC3 VAN A|15031990|Nam|x|20042021"),
            "CCCD QR: the payload has malformed UTF-8 (or U+FFFD) at character 16: text was "
            "damaged in transit");
}

TEST(ParseCccdQr, WarnsWhenTheIdDisagreesWithBirthOrGender) {
  // Digit 4 = 2: male born 2000-2099, but the card says 1990 and Nữ.
  CccdCard c = Parse("011290123456||A|15031990|Nữ|x|20042021");
  EXPECT_EQ(c.warnings, (std::vector<std::string>{
                            "ID digit 4 (2) means born 2000-2099, but the birth date is 1990-03-15",
                            "ID digit 4 (2) means male, but the gender field says Nữ (female)"}));
  CccdCard year = Parse("011091123456||A|15031990|Nam|x|20042021");
  EXPECT_EQ(year.warnings,
            (std::vector<std::string>{"ID digits 5-6 (91) do not match the birth year 1990"}));
  CccdCard gender = Parse("011190123456||A|15031990|Nam|x|20042021");
  EXPECT_EQ(gender.warnings,
            (std::vector<std::string>{"ID digit 4 (1) means female, but the gender field says Nam "
                                      "(male)"}));
}

TEST(ParseCccdQr, OtherWarnings) {
  CccdCard c = Parse("099090123456||A|15031990|Nam||20042021|extra|more");
  EXPECT_EQ(c.warnings,
            (std::vector<std::string>{"ignored 2 extra field(s) after the issue date",
                                      "address (field 6) is empty",
                                      "ID digits 1-3 (099) are not a province code (001-096)"}));
  CccdCard early = Parse("011090123456||A|15031990|Nam|x|14031990");
  EXPECT_EQ(
      early.warnings,
      (std::vector<std::string>{"the issue date 1990-03-14 is before the birth date 1990-03-15"}));
  // A birth known to the year only is not "after" an issue in that year.
  EXPECT_TRUE(Parse("011090123456||A|00001990|Nam|x|05011990").warnings.empty());
}

TEST(DecodeCccdNumber, Structure) {
  auto f = DecodeCccdNumber("011305001234");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->province_code, "011");
  EXPECT_EQ(f->gender, Gender::kFemale);
  EXPECT_EQ(f->century_start, 2000);
  EXPECT_EQ(f->year_of_century, 5);
  EXPECT_EQ(DecodeCccdNumber("011405001234")->century_start, 2100);
  EXPECT_EQ(DecodeCccdNumber("011405001234")->gender, Gender::kMale);
  EXPECT_FALSE(DecodeCccdNumber("01130500123").has_value());
  EXPECT_FALSE(DecodeCccdNumber("01130500123a").has_value());
}

}  // namespace
}  // namespace hb::identity
