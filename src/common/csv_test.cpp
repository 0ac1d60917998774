#include "common/csv.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

TEST(Csv, QuotingBlankLinesAndLineEnds) {
  auto rows = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\nlast,row,\"multi\nline\"\rcr,only");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"last", "row", "multi\nline"}));
  EXPECT_EQ((*rows)[3], (std::vector<std::string>{"cr", "only"}));
  auto bad = ParseCsv("a,\"open", "x.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("x.csv"), std::string::npos);
}

TEST(Csv, TableReadsByColumnName) {
  auto t = CsvTable::Parse("MA,TEN\n01,Kinh\n02\n", "dantoc.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows(), 2u);
  EXPECT_EQ(t->Get(0, "TEN"), "Kinh");
  EXPECT_EQ(t->Get(1, "TEN"), "");      // a short row
  EXPECT_EQ(t->Get(0, "NOPE"), "");     // a missing column
  EXPECT_TRUE(t->Require({"MA", "TEN"}).ok());
  Status missing = t->Require({"MA", "DON_GIA"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("DON_GIA"), std::string::npos);
  EXPECT_FALSE(CsvTable::Parse("\n\n", "empty.csv").ok());
}

}  // namespace
}  // namespace hb
