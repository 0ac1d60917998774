#include "identity/qr_payload.h"

#include <gtest/gtest.h>

namespace hb::identity {
namespace {

TEST(CleanScan, StripsWedgeJunkAroundThePayload) {
  std::string raw = std::string("\0\r\n\t ", 5) + "\xEF\xBB\xBF" + "011|x|y" + "\r\n\x1B\x03";
  EXPECT_EQ(*CleanScan(raw), "011|x|y");
  EXPECT_EQ(*CleanScan("]Q1011|x"), "011|x");  // AIM symbology identifier
  EXPECT_EQ(*CleanScan("\xFF\xFE"
                       "011|x\xC3"),
            "011|x");  // stray bytes at the edges
}

TEST(CleanScan, DropsControlsInsideButKeepsSpaces) {
  EXPECT_EQ(*CleanScan(std::string("a\0b | c\x7F", 8)), "ab | c");
  EXPECT_EQ(*CleanScan("a\u200Bb"), "ab");
}

TEST(CleanScan, RejectsEmptyAndDamagedText) {
  auto empty = CleanScan(" \r\n\t");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kMalformedCardQr);
  EXPECT_EQ(empty.status().message(),
            "the payload is empty (nothing but white space or control characters)");
  auto damaged = CleanScan("LO\xFF VAN");
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.status().message(),
            "the payload has malformed UTF-8 (or U+FFFD) at character 3: text was damaged in "
            "transit");
}

TEST(SplitFields, KeepsEmptyFields) {
  EXPECT_EQ(SplitFields("a|b||c|"), (std::vector<std::string>{"a", "b", "", "c", ""}));
  EXPECT_EQ(SplitFields(""), (std::vector<std::string>{""}));
}

TEST(DecodeHexUtf8, EitherCase) {
  EXPECT_EQ(*DecodeHexUtf8("4cc3b2", "name"), "Lò");
  EXPECT_EQ(*DecodeHexUtf8("4CC3B2", "name"), "Lò");
  EXPECT_EQ(*DecodeHexUtf8("", "name"), "");
}

TEST(DecodeHexUtf8, PreciseReasons) {
  EXPECT_EQ(DecodeHexUtf8("4cc3b", "name (field 2)").status().message(),
            "name (field 2) is not hex-encoded: odd number of hex digits (5)");
  EXPECT_EQ(DecodeHexUtf8("4cg3", "name (field 2)").status().message(),
            "name (field 2) is not hex-encoded: character 3 is 'g'");
  EXPECT_EQ(DecodeHexUtf8("4cÒ", "name (field 2)").status().message(),
            "name (field 2) is not hex-encoded: character 3 is 'Ò'");
  EXPECT_EQ(DecodeHexUtf8("4cc3", "name (field 2)").status().message(),
            "name (field 2): the hex decodes to bytes that are not UTF-8");
}

TEST(IsAllDigits, Basics) {
  EXPECT_TRUE(IsAllDigits("0123"));
  EXPECT_FALSE(IsAllDigits(""));
  EXPECT_FALSE(IsAllDigits("12a"));
}

}  // namespace
}  // namespace hb::identity
