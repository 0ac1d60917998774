#include "fhirpath/decimal.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hb::fhirpath {
namespace {

Decimal D(const char* s) { return *Decimal::Parse(s, true); }

TEST(DecimalTest, ParsesAndKeepsScale) {
  EXPECT_EQ(D("1.50").ToString(), "1.50");
  EXPECT_EQ(D("-0.0034").ToString(), "-0.0034");
  EXPECT_EQ(D("1.5e-3").ToString(), "0.0015");
  EXPECT_EQ(D("12e2").ToString(), "1200");
  EXPECT_EQ(D("1234567890987654321.0").ToString(), "1234567890987654321.0");
  EXPECT_FALSE(Decimal::Parse("1."));
  EXPECT_FALSE(Decimal::Parse(".5"));
  EXPECT_FALSE(Decimal::Parse("1e3"));  // exponents only when asked for
  EXPECT_FALSE(Decimal::Parse("1.a"));
}

TEST(DecimalTest, ArithmeticIsExact) {
  EXPECT_EQ(Decimal::Add(D("0.1"), D("0.2"))->ToString(), "0.3");
  EXPECT_EQ(Decimal::Sub(D("1.8"), D("1.2"))->ToString(), "0.6");
  EXPECT_EQ(Decimal::Mul(D("1.2"), D("1.8"))->ToString(), "2.16");
  EXPECT_EQ(Decimal::Div(D("1"), D("2"))->ToString(), "0.5");
  EXPECT_EQ(Decimal::Div(D("1.2"), D("1.8"))->ToString(), "0.6666666666666666666666666667");
  EXPECT_EQ(Decimal::Div(D("4.0"), D("2.0"))->ToString(), "2.0");
  EXPECT_FALSE(Decimal::Div(D("1"), D("0")));
  EXPECT_EQ(Decimal::Mod(D("2.2"), D("1.8"))->ToString(), "0.4");
  EXPECT_EQ(Decimal::IntDiv(D("2.2"), D("1.8"))->ToString(), "1");
  EXPECT_EQ(Decimal::Mod(D("-5"), D("2"))->ToString(), "-1");
}

TEST(DecimalTest, ComparesValuesNotText) {
  EXPECT_EQ(Decimal::Compare(D("1.10"), D("1.1")), 0);
  EXPECT_EQ(Decimal::Compare(D("-0.5"), D("0.1")), -1);
  EXPECT_EQ(Decimal::Compare(D("10"), D("9.999")), 1);
  EXPECT_EQ(Decimal::Compare(D("-2"), D("-10")), 1);
}

TEST(DecimalTest, Rounding) {
  EXPECT_EQ(D("3.14159").Round(3).ToString(), "3.142");
  EXPECT_EQ(D("-2.5").Round(0).ToString(), "-3");
  EXPECT_EQ(D("-1.56").Truncate().ToString(), "-1");
  EXPECT_EQ(D("-2.1").Floor().ToString(), "-3");
  EXPECT_EQ(D("-1.1").Ceiling().ToString(), "-1");
  EXPECT_EQ(D("1.1").Ceiling().ToString(), "2");
  EXPECT_EQ(D("1.5").WithScale(4).ToString(), "1.5000");
  EXPECT_EQ(D("0.0").WithSign(true).ToString(), "-0.0");
  EXPECT_EQ(D("0.0").WithSign(true).Negate().ToString(), "0.0");
}

TEST(DecimalTest, Doubles) {
  EXPECT_EQ(Decimal::FromDouble(9.0)->ToString(), "9");
  EXPECT_EQ(Decimal::FromDouble(0.1 + 0.2)->ToString(), "0.3");
  EXPECT_FALSE(Decimal::FromDouble(std::nan("")));
  EXPECT_EQ(D("2.5").ToDouble(), 2.5);
  EXPECT_EQ(*D("-42.000").ToInteger(), -42);
  EXPECT_FALSE(D("1.5").ToInteger());
}

}  // namespace
}  // namespace hb::fhirpath
