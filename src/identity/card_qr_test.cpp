#include "identity/card_qr.h"

#include <gtest/gtest.h>

namespace hb::identity {
namespace {

TEST(DetectCardKind, ByTheFirstField) {
  EXPECT_EQ(*DetectCardKind("011090123456||A|15031990|Nam|x|20042021"), CardKind::kCccd);
  EXPECT_EQ(*DetectCardKind("\r\n011090123456|"), CardKind::kCccd);
  EXPECT_EQ(*DetectCardKind("DN4110123456789|4c|1990|1|78|11001|01/01/2025|31/12/2025"),
            CardKind::kBhyt);
  EXPECT_EQ(*DetectCardKind("dn4110123456789|"), CardKind::kBhyt);
}

TEST(DetectCardKind, RejectsOtherText) {
  auto r = DetectCardKind("#hello|x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kMalformedCardQr);
  EXPECT_EQ(r.status().message(),
            "not a card QR: the first field must be a 12-digit citizen-ID number (CCCD) or a "
            "15-character insurance card number (BHYT), got '#hello'");
  EXPECT_EQ(DetectCardKind(" \t ").status().message(),
            "the payload is empty (nothing but white space or control characters)");
}

TEST(ParseCardQr, Dispatches) {
  auto cccd = ParseCardQr("011305001234||QUÀNG THỊ B|02072005|Nữ|Điện Biên|10082021");
  ASSERT_TRUE(cccd.ok()) << cccd.status().message();
  ASSERT_TRUE(std::holds_alternative<CccdCard>(*cccd));
  EXPECT_EQ(std::get<CccdCard>(*cccd).name, "QUÀNG THỊ B");

  auto bhyt = ParseCardQr("HN2110000012345|4c|1990|1|78|11001|01/01/2025|31/12/2025");
  ASSERT_TRUE(bhyt.ok()) << bhyt.status().message();
  ASSERT_TRUE(std::holds_alternative<BhytCard>(*bhyt));
  EXPECT_EQ(std::get<BhytCard>(*bhyt).name, "L");

  auto bad = ParseCardQr("0110901234|x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("CCCD QR: too few fields", 0), 0u);
}

}  // namespace
}  // namespace hb::identity
