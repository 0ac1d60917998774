#include "search/date_range.h"

#include <gtest/gtest.h>

namespace hb::search {
namespace {

constexpr int64_t kDay = 86400LL * 1000000;

TEST(DateRange, PrecisionGivesTheInterval) {
  auto y = DateRange("2020");
  ASSERT_TRUE(y);
  EXPECT_EQ(y->low, 18262 * kDay);  // 2020-01-01
  EXPECT_EQ(y->high, 18628 * kDay - 1);
  auto m = DateRange("2020-02");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->high - m->low + 1, 29 * kDay);
  auto d = DateRange("2020-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->high - d->low + 1, kDay);
  auto s = DateRange("2020-02-29T10:00:00Z");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->high - s->low + 1, 1000000);
  auto ms = DateRange("2020-02-29T10:00:00.123Z");
  ASSERT_TRUE(ms);
  EXPECT_EQ(ms->high - ms->low + 1, 1000);
  EXPECT_EQ(ms->low - s->low, 123000);
}

TEST(DateRange, ZonesShiftToUtc) {
  auto a = DateRange("2020-01-01T07:00:00+07:00");
  auto b = DateRange("2020-01-01T00:00:00Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->low, b->low);
  EXPECT_FALSE(DateRange("2020-02-30"));
  EXPECT_FALSE(DateRange("yesterday"));
}

}  // namespace
}  // namespace hb::search
