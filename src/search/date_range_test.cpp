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

TEST(DateRange, ZonelessValuesAreReadAtTheServersOffset) {
  constexpr int64_t kHour = 3600LL * 1000000;
  // The 15th in Vietnam starts at 17:00 UTC on the 14th.
  auto local = DateRange("2024-03-15", 420);
  auto utc = DateRange("2024-03-15", 0);
  ASSERT_TRUE(local && utc);
  EXPECT_EQ(local->low, utc->low - 7 * kHour);
  EXPECT_EQ(local->high - local->low + 1, kDay);
  // A lab result at 06:30 local time is on the local 15th, not on the UTC one.
  auto result = DateRange("2024-03-15T06:30:00+07:00", 420);
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->low >= local->low && result->high <= local->high);
  EXPECT_FALSE(result->low >= utc->low && result->high <= utc->high);
  // A zone in the text wins over the offset; a zone-less time is local too.
  EXPECT_EQ(DateRange("2024-03-15T08:00:00Z", 420)->low, DateRange("2024-03-15T08:00:00Z", 0)->low);
  EXPECT_EQ(DateRange("2024-03-15T08:00", 420)->low, DateRange("2024-03-15T01:00Z", 0)->low);
  // The one-argument form reads the process-wide offset.
  const int before = ZonelessOffsetMinutes();
  SetZonelessOffsetMinutes(420);
  EXPECT_EQ(DateRange("2024-03-15")->low, local->low);
  SetZonelessOffsetMinutes(before);
}

}  // namespace
}  // namespace hb::search
