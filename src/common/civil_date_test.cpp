#include "common/civil_date.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);
static_assert(CivilFromDays(-1).year == 1969 && CivilFromDays(-1).day == 31);

TEST(CivilDate, KnownDays) {
  EXPECT_EQ(DaysFromCivil(2026, 1, 1), 20454);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(1600, 1, 1), -135140);
  const CivilDate d = CivilFromDays(20454 + 59);  // the day after 2026-02-28
  EXPECT_EQ(d.year, 2026);
  EXPECT_EQ(d.month, 3u);
  EXPECT_EQ(d.day, 1u);
}

TEST(CivilDate, RoundTripsEveryDayOfFourCenturies) {
  for (int64_t z = DaysFromCivil(1800, 1, 1); z < DaysFromCivil(2200, 1, 1); ++z) {
    const CivilDate d = CivilFromDays(z);
    ASSERT_EQ(DaysFromCivil(d.year, d.month, d.day), z);
    ASSERT_GE(d.day, 1u);
    ASSERT_LE(d.day, DaysInMonth(d.year, d.month));
  }
}

TEST(CivilDate, LeapYears) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_EQ(DaysInMonth(2024, 2), 29u);
  EXPECT_EQ(DaysInMonth(2026, 2), 28u);
  EXPECT_EQ(DaysInMonth(2026, 4), 30u);
}

}  // namespace
}  // namespace hb
