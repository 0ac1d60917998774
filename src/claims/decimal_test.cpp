#include "claims/decimal.h"

#include <gtest/gtest.h>

namespace hb::claims {
namespace {

Decimal D(std::string_view s) { return *Decimal::Parse(s); }

TEST(Decimal, ParsesTheTablesNumbers) {
  EXPECT_EQ(D("13500").ToString(), "13500");
  EXPECT_EQ(D("1234.50").ToString(), "1234.5");
  EXPECT_EQ(D("0.125").ToString(), "0.125");
  EXPECT_EQ(D("-0.25").ToString(), "-0.25");
  EXPECT_EQ(D("0.000").ToString(), "0");
  for (const char* bad : {"", "-", "1,5", "1.", ".5", "1e3", "12a", "1.2.3", " 1"}) {
    EXPECT_FALSE(Decimal::Parse(bad).has_value()) << bad;
  }
}

TEST(Decimal, ArithmeticIsExact) {
  // 0.1 + 0.2 is not 0.3 in binary floating point; here it is.
  EXPECT_EQ((D("0.1") + D("0.2")).ToString(), "0.3");
  EXPECT_EQ((D("1.005") * D("3")).ToString(), "3.015");
  EXPECT_EQ((D("10") - D("10.01")).ToString(), "-0.01");
  EXPECT_EQ(D("33.333").Percent(95).ToString(), "31.66635");
}

TEST(Decimal, RoundsHalfAwayFromZero) {
  EXPECT_EQ(D("2.345").Round(2).ToString(), "2.35");
  EXPECT_EQ(D("2.344999").Round(2).ToString(), "2.34");
  EXPECT_EQ(D("-2.345").Round(2).ToString(), "-2.35");
  EXPECT_EQ(D("2.3").Round(2).ToString(), "2.3");
  EXPECT_EQ(D("0.5").Round(0).ToString(), "1");
}

// THANH_TIEN_BV = SO_LUONG * DON_GIA rounded to 2 places; one rounding, not two.
TEST(Decimal, LineAmountsRoundOnce) {
  const Decimal qty = D("0.333"), price = D("1234.567");
  EXPECT_EQ((qty * price).ToString(), "411.110811");
  EXPECT_EQ((qty * price).Round(2).ToString(), "411.11");
  // SO_LUONG * DON_GIA * TYLE_TT_BH/100: 3 * 0.835 * 50% = 1.2525 -> 1.25; rounding the
  // product first (2.51) would give 1.26.
  EXPECT_EQ((D("3") * D("0.835")).Percent(50).Round(2).ToString(), "1.25");
}

TEST(Decimal, ComparesByValue) {
  EXPECT_EQ(D("1.50"), D("1.5"));
  EXPECT_LT(D("1.499"), D("1.5"));
  EXPECT_GT(D("-1"), D("-1.01"));
  EXPECT_EQ(D("7.000").ToInteger(), 7);
  EXPECT_FALSE(D("7.5").ToInteger().has_value());
  EXPECT_EQ(D("12.3400").DecimalPlaces(), 2);
}

}  // namespace
}  // namespace hb::claims
