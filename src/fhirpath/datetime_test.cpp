#include "fhirpath/datetime.h"

#include <gtest/gtest.h>

namespace hb::fhirpath {
namespace {

DateTime DT(const char* s) { return *DateTime::ParseDateTime(s, true); }
DateTime Date(const char* s) { return *DateTime::ParseDate(s); }
DateTime Time(const char* s) { return *DateTime::ParseTime(s); }

TEST(DateTimeTest, ParsesPartialPrecision) {
  EXPECT_EQ(DT("2015").ToString(), "2015");
  EXPECT_EQ(DT("2015-02-04T14").ToString(), "2015-02-04T14");
  EXPECT_EQ(DT("2015-02-04T14:34:28.123+10:00").ToString(), "2015-02-04T14:34:28.123+10:00");
  EXPECT_EQ(DT("2015-02-04T14:34:28Z").ToString(), "2015-02-04T14:34:28Z");
  EXPECT_EQ(DT("2015-02-04T14:34:28.123").PrecisionDigits(), 17);
  EXPECT_EQ(Time("10:30").PrecisionDigits(), 4);
  EXPECT_FALSE(DateTime::ParseDate("2023-02-29"));
  EXPECT_TRUE(DateTime::ParseDate("2024-02-29"));
  EXPECT_FALSE(DateTime::ParseTime("24:00"));
  EXPECT_FALSE(DateTime::ParseDateTime("2015-02-04T14:34Zx"));
}

TEST(DateTimeTest, ComparesByPrecision) {
  EXPECT_EQ(Compare(Date("2012-04-15"), Date("2012-04-16")), -1);
  EXPECT_EQ(Compare(Date("2012-04-15"), DT("2012-04-15T10:00:00")), std::nullopt);
  EXPECT_EQ(Compare(DT("2012-04-15T15:30:31"), DT("2012-04-15T15:30:31.0")), 0);
  EXPECT_EQ(Compare(DT("2018-03"), Date("2018-04-01")), -1);
  EXPECT_EQ(Compare(DT("2012-04-15T15:00:00+02:00"), DT("2012-04-15T16:00:00+03:00")), 0);
  EXPECT_EQ(Compare(DT("2012-04-15T15:00:00Z"), DT("2012-04-15T10:00:00")), std::nullopt);
  EXPECT_EQ(Compare(DT("2012-04-15T15:00:00Z"), DT("2012-04-17T10:00:00")), -1);
  EXPECT_EQ(Compare(Time("10:30"), Time("10:30:00")), std::nullopt);
  EXPECT_FALSE(Equivalent(Date("2012-04-15"), DT("2012-04-15T10:00:00")));
}

TEST(DateTimeTest, CalendarArithmetic) {
  EXPECT_EQ(AddDuration(Date("1973-12-25"), 7, "day")->ToString(), "1974-01-01");
  EXPECT_EQ(AddDuration(Date("2024-01-31"), 1, "month")->ToString(), "2024-02-29");
  EXPECT_EQ(AddDuration(Date("1974-12-25"), -1, "month")->ToString(), "1974-11-25");
  EXPECT_EQ(AddDuration(DT("1973-12-25T00:00:00.000+10:00"), 10, "millisecond")->ToString(),
            "1973-12-25T00:00:00.010+10:00");
  EXPECT_EQ(AddDuration(DT("1973-12-31T23:30"), 1, "hour")->ToString(), "1974-01-01T00:30");
  EXPECT_EQ(AddDuration(Time("23:30"), 1, "hour")->ToString(), "00:30");
  EXPECT_FALSE(AddDuration(Time("23:30"), 1, "year"));
  EXPECT_EQ(AddDuration(DT("2014"), 25, "month")->ToString(), "2016");
}

TEST(DateTimeTest, Boundaries) {
  EXPECT_EQ(LowBoundary(Date("2014"), 6)->ToString(), "2014-01");
  EXPECT_EQ(HighBoundary(Date("2014"), 6)->ToString(), "2014-12");
  EXPECT_EQ(HighBoundary(Date("2016-02"), 8)->ToString(), "2016-02-29");
  EXPECT_EQ(LowBoundary(DT("2014-01-01T08"), 17)->ToString(), "2014-01-01T08:00:00.000+14:00");
  EXPECT_EQ(HighBoundary(DT("2014-01-01T08"), 17)->ToString(), "2014-01-01T08:00:59.999-12:00");
  EXPECT_EQ(LowBoundary(DT("2014-01-01T08"), 8)->ToString(), "2014-01-01");
  EXPECT_EQ(HighBoundary(Time("10:30"), 9)->ToString(), "10:30:59.999");
  EXPECT_FALSE(LowBoundary(Date("2014"), 10));
}

TEST(DateTimeTest, FromMicros) {
  DateTime v = DateTimeFromMicros(1700000000123456, 420);
  EXPECT_EQ(v.ToString(), "2023-11-15T05:13:20.123+07:00");
}

}  // namespace
}  // namespace hb::fhirpath
