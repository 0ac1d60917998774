#include "search/query_parser.h"

#include <gtest/gtest.h>

namespace hb::search {
namespace {

TEST(QueryParser, ParsesIdentifierForms) {
  auto q = ParseSearch("Patient", {{"identifier", "http://a|1,|2,3,http://b|"}}, {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->tokens.size(), 1u);
  const auto& v = q->tokens[0].any_of;
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(*v[0].system, "http://a");
  EXPECT_EQ(*v[0].code, "1");
  EXPECT_EQ(*v[1].system, "");
  EXPECT_EQ(*v[1].code, "2");
  EXPECT_FALSE(v[2].system.has_value());
  EXPECT_EQ(*v[2].code, "3");
  EXPECT_EQ(*v[3].system, "http://b");
  EXPECT_FALSE(v[3].code.has_value());
}

TEST(QueryParser, EscapedCommaAndBar) {
  auto q = ParseSearch("Patient", {{"identifier", "a\\,b"}}, {});
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->tokens[0].any_of.size(), 1u);
  EXPECT_EQ(*q->tokens[0].any_of[0].code, "a,b");
}

TEST(QueryParser, IdsCountAndTotal) {
  auto q = ParseSearch("Patient", {{"_id", "a,b"}, {"_count", "5"}, {"_total", "none"}}, {});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(q->count, 5);
  EXPECT_FALSE(q->total);
}

TEST(QueryParser, StrictRejectsUnknownLenientIgnores) {
  EXPECT_TRUE(ParseSearch("Patient", {{"foo", "1"}}, {.strict = false}).ok());
  auto q = ParseSearch("Patient", {{"foo", "1"}}, {.strict = true});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), ErrorCode::kInvalidSearchParameter);
}

TEST(QueryParser, RejectsBadCount) {
  EXPECT_FALSE(ParseSearch("Patient", {{"_count", "-1"}}, {}).ok());
  EXPECT_FALSE(ParseSearch("Patient", {{"_count", "x"}}, {}).ok());
  auto q = ParseSearch("Patient", {{"_count", "100000"}}, {.max_count = 1000});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->count, 1000);
}

}  // namespace
}  // namespace hb::search
