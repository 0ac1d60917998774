#include "search/decimal_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace hb::search {
namespace {

TEST(DecimalKey, OrdersLikeTheNumbers) {
  std::vector<std::string> in = {"-1000", "-12.5", "-12",  "-1.15", "-1.1", "-0.001",
                                 "0",     "0.001", "0.15", "1",     "1.1",  "1.15",
                                 "9.99",  "10",    "12",   "100",   "1e3",  "1001.5"};
  std::vector<std::string> keys;
  for (const auto& s : in) keys.push_back(*DecimalKey(s));
  for (size_t i = 1; i < keys.size(); ++i) {
    EXPECT_LT(keys[i - 1], keys[i]) << in[i - 1] << " vs " << in[i];
  }
}

TEST(DecimalKey, EqualValuesShareAKey) {
  EXPECT_EQ(*DecimalKey("1.50"), *DecimalKey("1.5"));
  EXPECT_EQ(*DecimalKey("100"), *DecimalKey("1e2"));
  EXPECT_EQ(*DecimalKey("-0.0"), *DecimalKey("0"));
  EXPECT_FALSE(DecimalKey("abc").has_value());
  EXPECT_FALSE(DecimalKey("1.2.3").has_value());
}

TEST(DecimalRange, ImplicitPrecision) {
  auto r = DecimalRange("100");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low.ToString(), "99.5");
  EXPECT_EQ(r->high.ToString(), "100.5");
  r = DecimalRange("5.40");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low.ToString(), "5.395");
  EXPECT_EQ(r->high.ToString(), "5.405");
  r = DecimalRange("1e2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low.ToString(), "50");
  EXPECT_EQ(r->high.ToString(), "150");
}

}  // namespace
}  // namespace hb::search
