#include "identity/card_date.h"

#include <gtest/gtest.h>

namespace hb::identity {
namespace {

std::string Error(const Result<CardDate>& r) { return r.ok() ? "" : r.status().message(); }

TEST(ParseCompactDate, ReadsDdMmYyyy) {
  auto d = ParseCompactDate("15031990", "birth date", false);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ToIso(), "1990-03-15");
  EXPECT_TRUE(d->complete());
  EXPECT_EQ(ParseCompactDate("29022000", "x", false)->ToIso(), "2000-02-29");  // leap year
  EXPECT_EQ(ParseCompactDate("31122099", "x", false)->ToIso(), "2099-12-31");
}

TEST(ParseCompactDate, RejectsImpossibleDates) {
  EXPECT_EQ(Error(ParseCompactDate("31022000", "birth date (field 4)", false)),
            "birth date (field 4) '31022000' is not a real date: February 2000 has 29 days");
  EXPECT_EQ(Error(ParseCompactDate("29021900", "d", false)),
            "d '29021900' is not a real date: February 1900 has 28 days");
  EXPECT_EQ(Error(ParseCompactDate("31042021", "d", false)),
            "d '31042021' is not a real date: April 2021 has 30 days");
  EXPECT_EQ(Error(ParseCompactDate("15131990", "d", false)),
            "d '15131990' is not a real date: there is no month 13");
  EXPECT_EQ(Error(ParseCompactDate("00031990", "d", false)),
            "d '00031990' is not a real date: the day is 00");
  EXPECT_EQ(Error(ParseCompactDate("15031850", "d", false)),
            "d '15031850': the year 1850 is outside 1900-2199");
}

TEST(ParseCompactDate, RejectsWrongShape) {
  EXPECT_EQ(Error(ParseCompactDate("1503199", "birth date (field 4)", false)),
            "birth date (field 4) must be 8 digits ddMMyyyy, got 7 digits '1503199'");
  EXPECT_EQ(Error(ParseCompactDate("15/03/1990", "d", false)),
            "d must be 8 digits ddMMyyyy, got '15/03/1990'");
  EXPECT_EQ(Error(ParseCompactDate("", "d", false)), "d must be 8 digits ddMMyyyy, it is empty");
}

TEST(ParseCompactDate, PartialDatesWhenAllowed) {
  EXPECT_EQ(ParseCompactDate("00001950", "d", true)->ToIso(), "1950");
  EXPECT_EQ(ParseCompactDate("00031950", "d", true)->ToIso(), "1950-03");
  EXPECT_EQ(Error(ParseCompactDate("15001950", "d", true)),
            "d '15001950' is not a real date: a day without a month");
  EXPECT_EQ(Error(ParseCompactDate("00001950", "d", false)),
            "d '00001950' is not a real date: the month is 00");
}

TEST(ParseSlashedDate, ReadsDdMmYyyyAndYear) {
  EXPECT_EQ(ParseSlashedDate("01/01/2025", "d", false)->ToIso(), "2025-01-01");
  EXPECT_EQ(ParseSlashedDate("1985", "d", true)->ToIso(), "1985");
  EXPECT_EQ(ParseSlashedDate("00/00/1985", "d", true)->ToIso(), "1985");
  EXPECT_EQ(Error(ParseSlashedDate("1985", "valid from (field 7)", false)),
            "valid from (field 7) must be dd/MM/yyyy, got 4 digits '1985'");
  EXPECT_EQ(Error(ParseSlashedDate("1/1/2025", "d", true)),
            "d must be dd/MM/yyyy or yyyy, got '1/1/2025'");
  EXPECT_EQ(Error(ParseSlashedDate("30/02/2024", "d", false)),
            "d '30/02/2024' is not a real date: February 2024 has 29 days");
}

TEST(CardDate, OrdersByYearMonthDay) {
  EXPECT_LT((CardDate{1990, 3, 15}), (CardDate{1990, 4, 1}));
  EXPECT_LT((CardDate{1989, 12, 31}), (CardDate{1990, 1, 1}));
  EXPECT_EQ((CardDate{2000, 0, 0}).ToIso(), "2000");
}

}  // namespace
}  // namespace hb::identity
