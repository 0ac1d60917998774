#include "common/percent_encoding.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

TEST(PercentEncoding, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("a b&c=d/e|f"), "a%20b%26c%3Dd%2Fe%7Cf");
  EXPECT_EQ(PercentEncode("Lò"), "L%C3%B2");  // UTF-8, byte by byte, upper-case hex
  EXPECT_EQ(PercentEncode(std::string("a\0b", 3)), "a%00b");
}

TEST(PercentEncoding, AlsoKeepsWhatTheCallerNames) {
  EXPECT_EQ(PercentEncode("urn:oid:1.2|x,y/z", ":/,"), "urn:oid:1.2%7Cx,y/z");
  EXPECT_EQ(PercentEncode(std::string("\0", 1), std::string("\0", 1)), "%00");
}

TEST(PercentEncoding, DecodesEitherCaseAndLeavesBrokenEscapes) {
  EXPECT_EQ(PercentDecode("L%C3%b2", false), "Lò");
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%4", false), "%4");
  EXPECT_EQ(PercentDecode("%zz%41", false), "%zzA");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b%2B", true), "a b+");
}

TEST(PercentEncoding, RoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(PercentDecode(PercentEncode(all), true), all);
  EXPECT_EQ(PercentDecode(PercentEncode(all, ":/,"), false), all);
}

}  // namespace
}  // namespace hb
