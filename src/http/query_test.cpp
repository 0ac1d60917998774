#include "http/query.h"

#include <gtest/gtest.h>

namespace hb::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(PercentDecodeTest, DecodesEscapes) {
  EXPECT_EQ(PercentDecode("a%7Cb", false), "a|b");
  EXPECT_EQ(PercentDecode("a%7cb", false), "a|b");
  EXPECT_EQ(PercentDecode("Nguy%E1%BB%85n", false), "Nguy\xE1\xBB\x85n");
  EXPECT_EQ(PercentDecode("plain", false), "plain");
  EXPECT_EQ(PercentDecode("", true), "");
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a%2Bb", true), "a+b");
}

TEST(PercentDecodeTest, KeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("%zz", false), "%zz");
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%4", false), "%4");
  EXPECT_EQ(PercentDecode("%%41", false), "%A");
}

TEST(ParseQueryTest, PairsInOrderDecoded) {
  EXPECT_EQ(ParseQuery("a=1&b=x%20y&c&&a=2&d="),
            (Pairs{{"a", "1"}, {"b", "x y"}, {"c", ""}, {"a", "2"}, {"d", ""}}));
  EXPECT_EQ(ParseQuery("name=Nguy%E1%BB%85n+V%C4%83n"),
            (Pairs{{"name", "Nguy\xE1\xBB\x85n V\xC4\x83n"}}));
  EXPECT_EQ(ParseQuery("identifier=urn%3Aoid%3A1%7C123&_count=10"),
            (Pairs{{"identifier", "urn:oid:1|123"}, {"_count", "10"}}));
  EXPECT_EQ(ParseQuery("a=b=c"), (Pairs{{"a", "b=c"}}));
  EXPECT_EQ(ParseQuery("=x"), (Pairs{{"", "x"}}));
  EXPECT_TRUE(ParseQuery("").empty());
  EXPECT_TRUE(ParseQuery("&&").empty());
}

}  // namespace
}  // namespace hb::http
