#include "identity/bhyt_qr.h"

#include <gtest/gtest.h>

#include <cctype>

namespace hb::identity {
namespace {

std::string Hex(std::string_view text, bool upper = false) {
  static constexpr char kLower[] = "0123456789abcdef";
  static constexpr char kUpper[] = "0123456789ABCDEF";
  const char* digits = upper ? kUpper : kLower;
  std::string out;
  for (unsigned char c : text) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

const std::string kName = Hex("LÒ VĂN A");
const std::string kAddress =
    Hex("Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Điện Biên");

// A well-formed payload with field `index` replaced by `value`.
std::string Payload(size_t index = 99, const std::string& value = "") {
  std::vector<std::string> f = {"DN4110123456789", kName,
                                "15/03/1990",      "1",
                                kAddress,          "11001 - Bệnh viện Đa khoa tỉnh Điện Biên",
                                "01/01/2025",      "31/12/2025"};
  if (index < f.size()) f[index] = value;
  std::string out;
  for (size_t i = 0; i < f.size(); ++i) out += (i ? "|" : "") + f[i];
  return out;
}

BhytCard Parse(std::string_view text) {
  auto card = ParseBhytQr(text);
  EXPECT_TRUE(card.ok()) << card.status().message();
  return card.ok() ? std::move(card).value() : BhytCard{};
}

std::string Error(std::string_view text) {
  auto card = ParseBhytQr(text);
  EXPECT_FALSE(card.ok()) << text;
  if (card.ok()) return "";
  EXPECT_EQ(card.status().code(), ErrorCode::kMalformedCardQr);
  return card.status().message();
}

TEST(ParseBhytQr, DecodesEveryField) {
  BhytCard c = Parse(Payload());
  EXPECT_EQ(c.card_number, "DN4110123456789");
  EXPECT_EQ(c.parts.group, "DN");
  EXPECT_EQ(c.parts.benefit_level, 4);
  EXPECT_EQ(c.parts.province, "11");
  EXPECT_EQ(c.parts.social_insurance_number, "0123456789");
  EXPECT_EQ(c.name, "LÒ VĂN A");
  EXPECT_EQ(c.birth_date.ToIso(), "1990-03-15");
  EXPECT_EQ(c.gender, Gender::kMale);
  EXPECT_EQ(c.address, "Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Điện Biên");
  EXPECT_EQ(c.facility_code, "11001");
  EXPECT_EQ(c.facility_name, "Bệnh viện Đa khoa tỉnh Điện Biên");
  EXPECT_EQ(c.valid_from.ToIso(), "2025-01-01");
  ASSERT_TRUE(c.valid_to.has_value());
  EXPECT_EQ(c.valid_to->ToIso(), "2025-12-31");
  EXPECT_TRUE(c.extra_fields.empty());
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ParseBhytQr, Tolerances) {
  EXPECT_EQ(Parse(Payload(1, Hex("LÒ VĂN A", true))).name, "LÒ VĂN A");        // upper-case hex
  EXPECT_EQ(Parse(Payload(1, Hex("LO\u0300 VA\u0306N A"))).name, "LÒ VĂN A");  // NFD inside
  EXPECT_EQ(Parse(Payload() + "|").valid_to->ToIso(), "2025-12-31");
  EXPECT_EQ(Parse(Payload() + "$").valid_to->ToIso(), "2025-12-31");
  EXPECT_EQ(Parse(Payload() + "|$").valid_to->ToIso(), "2025-12-31");
  EXPECT_EQ(Parse("\r\n" + Payload() + "|$\r\n").card_number, "DN4110123456789");
  EXPECT_EQ(Parse(Payload(2, "1990")).birth_date.ToIso(), "1990");
  EXPECT_EQ(Parse(Payload(2, "00/00/1990")).birth_date.ToIso(), "1990");
  EXPECT_EQ(Parse(Payload(3, "2")).gender, Gender::kFemale);
  EXPECT_EQ(Parse(Payload(3, "3")).gender, Gender::kUnknown);
}

TEST(ParseBhytQr, FacilityShapes) {
  BhytCard code_only = Parse(Payload(5, "11001"));
  EXPECT_EQ(code_only.facility_code, "11001");
  EXPECT_FALSE(code_only.facility_name.has_value());
  EXPECT_EQ(Parse(Payload(5, "11001: Trạm Y tế xã Thanh Xương")).facility_name,
            "Trạm Y tế xã Thanh Xương");
  EXPECT_EQ(Parse(Payload(5, "11001 \u2013 TYT Him Lam")).facility_name, "TYT Him Lam");
  BhytCard apart = Parse(Payload(5, "11 - 001"));
  EXPECT_EQ(apart.facility_code, "11001");
  EXPECT_FALSE(apart.facility_name.has_value());
  EXPECT_EQ(Parse(Payload(5, "11000")).facility_code, "11000");  // temporary card
  EXPECT_EQ(Parse(Payload(5, "1100")).warnings,
            (std::vector<std::string>{"facility code '1100' is not 5 digits"}));
}

TEST(ParseBhytQr, KeepsFurtherFields) {
  BhytCard c = Parse(Payload() + "|01/01/2025|" + Hex("x") + "|4|$");
  EXPECT_EQ(c.extra_fields, (std::vector<std::string>{"01/01/2025", "78", "4"}));
}

TEST(ParseBhytQr, Warnings) {
  BhytCard lower = Parse(Payload(0, "dn4110123456789"));
  EXPECT_EQ(lower.card_number, "DN4110123456789");
  EXPECT_EQ(lower.parts.group, "DN");
  EXPECT_EQ(
      lower.warnings,
      (std::vector<std::string>{"card number letters were lower case; read as DN4110123456789"}));
  EXPECT_EQ(Parse(Payload(7, "31/12/2024")).warnings,
            (std::vector<std::string>{
                "the valid-to date 2024-12-31 is before the valid-from date 2025-01-01"}));
  BhytCard open = Parse(Payload(7, ""));
  EXPECT_FALSE(open.valid_to.has_value());
  EXPECT_EQ(open.warnings, (std::vector<std::string>{"valid-to date (field 8) is missing"}));
  EXPECT_EQ(Parse(Payload(4, "")).warnings,
            (std::vector<std::string>{"address (field 5) is empty"}));
}

TEST(ParseBhytQr, RejectsCardNumberShape) {
  EXPECT_EQ(Error(Payload(0, "DN411012345678")),
            "BHYT QR: card number (field 1) must be 15 characters, got 14 ('DN411012345678')");
  EXPECT_EQ(Error(Payload(0, "D14110123456789")),
            "BHYT QR: card number (field 1) characters 1-2 must be letters (beneficiary group), "
            "got 'D1'");
  EXPECT_EQ(Error(Payload(0, "DN6110123456789")),
            "BHYT QR: card number (field 1) character 3 must be a benefit level 1-5, got '6'");
  EXPECT_EQ(Error(Payload(0, "DN0110123456789")),
            "BHYT QR: card number (field 1) character 3 must be a benefit level 1-5, got '0'");
  EXPECT_EQ(Error(Payload(0, "DN4A10123456789")),
            "BHYT QR: card number (field 1) characters 4-5 must be a 2-digit province code, got "
            "'A1'");
  EXPECT_EQ(Error(Payload(0, "DN41101234567X9")),
            "BHYT QR: card number (field 1) characters 6-15 must be the 10-digit social-insurance "
            "number, got '01234567X9'");
}

TEST(ParseBhytQr, RejectsBadHex) {
  EXPECT_EQ(Error(Payload(1, "4cc3b")),
            "BHYT QR: name (field 2) is not hex-encoded: odd number of hex digits (5)");
  EXPECT_EQ(Error(Payload(1, "LÒ VĂN A")),
            "BHYT QR: name (field 2) is not hex-encoded: character 1 is 'L'");
  EXPECT_EQ(Error(Payload(1, "4cc3")),
            "BHYT QR: name (field 2): the hex decodes to bytes that are not UTF-8");
  EXPECT_EQ(Error(Payload(1, "")), "BHYT QR: name (field 2) is empty");
  EXPECT_EQ(Error(Payload(4, "zz")),
            "BHYT QR: address (field 5) is not hex-encoded: character 1 is 'z'");
}

TEST(ParseBhytQr, RejectsBadDatesAndGender) {
  EXPECT_EQ(Error(Payload(2, "31/02/1990")),
            "BHYT QR: birth date (field 3) '31/02/1990' is not a real date: February 1990 has 28 "
            "days");
  EXPECT_EQ(Error(Payload(2, "15031990")),
            "BHYT QR: birth date (field 3) must be dd/MM/yyyy or yyyy, got 8 digits '15031990'");
  EXPECT_EQ(Error(Payload(6, "2025")),
            "BHYT QR: valid-from date (field 7) must be dd/MM/yyyy, got 4 digits '2025'");
  EXPECT_EQ(Error(Payload(7, "31/13/2025")),
            "BHYT QR: valid-to date (field 8) '31/13/2025' is not a real date: there is no month "
            "13");
  EXPECT_EQ(Error(Payload(3, "0")),
            "BHYT QR: gender (field 4) must be 1 (male) or 2 (female), got '0'");
  EXPECT_EQ(Error(Payload(3, "Nam")),
            "BHYT QR: gender (field 4) must be 1 (male) or 2 (female), got 'Nam'");
}

TEST(ParseBhytQr, RejectsFieldsAndFacility) {
  EXPECT_EQ(Error("DN4110123456789|" + kName + "|15/03/1990|1|" + kAddress + "|11001"),
            "BHYT QR: too few fields: got 6, need card number|name|birth date|gender|address|"
            "facility|valid from|valid to (the last may be empty)");
  EXPECT_EQ(Error(Payload(5, "")), "BHYT QR: registered facility (field 6) is empty");
  EXPECT_EQ(Error(Payload(5, "Bệnh viện tỉnh")),
            "BHYT QR: registered facility (field 6) must start with the facility code (MA_DKBD), "
            "got 'Bệnh viện tỉnh'");
}

TEST(ParseBhytCardNumber, Parts) {
  auto n = ParseBhytCardNumber("TE1110000000001", "card");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->group, "TE");
  EXPECT_EQ(n->benefit_level, 1);
  EXPECT_EQ(n->province, "11");
  EXPECT_EQ(n->social_insurance_number, "0000000001");
}

}  // namespace
}  // namespace hb::identity
