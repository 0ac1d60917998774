#include "fhirpath/quantity.h"

#include <gtest/gtest.h>

#include "fhirpath/ucum.h"

namespace hb::fhirpath {
namespace {

Quantity Q(const char* value, const char* unit, bool calendar = false) {
  return Quantity{*Decimal::Parse(value), unit, calendar};
}

TEST(UcumTest, ReadsUnitExpressions) {
  EXPECT_EQ(ParseUcum("mg")->factor.ToString(), "0.001");
  EXPECT_EQ(ParseUcum("kg/m2")->dimension, (UnitDimension{-2, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(ParseUcum("mm[Hg]")->factor.ToString(), "133322.000");
  EXPECT_EQ(ParseUcum("10*3/uL")->dimension, (UnitDimension{-3, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(ParseUcum("/min")->dimension, (UnitDimension{0, 0, -1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(ParseUcum("{beats}/min")->dimension, (UnitDimension{0, 0, -1, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(ParseUcum("1"));
  EXPECT_FALSE(ParseUcum("[iU]"));
  EXPECT_FALSE(ParseUcum("lbs"));
}

TEST(QuantityTest, ComparesAcrossUnits) {
  EXPECT_EQ(CompareQuantities(Q("4.0000", "g"), Q("4000.0", "mg")), 0);
  EXPECT_EQ(CompareQuantities(Q("185", "[lb_av]"), Q("185", "kg")), -1);
  EXPECT_EQ(CompareQuantities(Q("7", "days", true), Q("1", "week", true)), 0);
  EXPECT_EQ(CompareQuantities(Q("7", "days", true), Q("1", "wk")), 0);
  EXPECT_EQ(CompareQuantities(Q("1", "month", true), Q("1", "mo")), std::nullopt);
  EXPECT_EQ(CompareQuantities(Q("1", "year", true), Q("12", "months", true)), 0);
  EXPECT_EQ(CompareQuantities(Q("1", "cm"), Q("1", "s")), std::nullopt);
  EXPECT_EQ(CompareQuantities(Q("1", "lbs"), Q("2", "lbs")), -1);
  EXPECT_TRUE(*EquivalentQuantities(Q("4", "g"), Q("4040", "mg")));
}

TEST(QuantityTest, Arithmetic) {
  auto product = MultiplyQuantities(Q("2.0", "cm"), Q("2.0", "m"));
  EXPECT_EQ(product->unit, "cm.m");
  EXPECT_EQ(CompareQuantities(Quantity{product->value, product->unit}, Q("0.040", "m2")), 0);
  EXPECT_EQ(DivideQuantities(Q("1.0", "m"), Q("1.0", "m"))->unit, "1");
  EXPECT_EQ(DivideQuantities(Q("4", "g"), Q("2", "m/s"))->unit, "g/(m/s)");
  EXPECT_EQ(AddQuantities(Q("1", "kg"), Q("500", "g"), false)->value.ToString(), "1.5");
  EXPECT_EQ(ToString(Q("1", "wk")), "1 'wk'");
  EXPECT_EQ(ToString(Q("1", "week", true)), "1 week");
  EXPECT_EQ(DurationUnit(Q("1", "mo")), "");
  EXPECT_EQ(DurationUnit(Q("1", "month")), "month");
  EXPECT_EQ(DurationUnit(Q("1", "wk")), "week");
}

}  // namespace
}  // namespace hb::fhirpath
