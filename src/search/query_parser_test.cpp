#include "search/query_parser.h"

#include <gtest/gtest.h>

#include "search/date_range.h"
#include "search/decimal_key.h"
#include "search/quantity_units.h"

namespace hb::search {
namespace {

TEST(QueryParser, ParsesIdentifierForms) {
  auto q = ParseSearch("Patient", {{"identifier", "http://a|1,|2,3,http://b|"}}, {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->criteria.size(), 1u);
  const auto& v = q->criteria[0].any_of;
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(*v[0].token.system, "http://a");
  EXPECT_EQ(*v[0].token.code, "1");
  EXPECT_EQ(*v[1].token.system, "");
  EXPECT_EQ(*v[1].token.code, "2");
  EXPECT_FALSE(v[2].token.system.has_value());
  EXPECT_EQ(*v[2].token.code, "3");
  EXPECT_EQ(*v[3].token.system, "http://b");
  EXPECT_FALSE(v[3].token.code.has_value());
}

TEST(QueryParser, EscapedCommaAndBar) {
  auto q = ParseSearch("Patient", {{"identifier", "a\\,b"}, {"identifier", "s\\|x|c"}}, {});
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->criteria[0].any_of.size(), 1u);
  EXPECT_EQ(*q->criteria[0].any_of[0].token.code, "a,b");
  EXPECT_EQ(*q->criteria[1].any_of[0].token.system, "s|x");
  EXPECT_EQ(*q->criteria[1].any_of[0].token.code, "c");
}

TEST(QueryParser, IdsCountAndTotal) {
  auto q = ParseSearch("Patient", {{"_id", "a,b"}, {"_count", "5"}, {"_total", "none"}}, {});
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->criteria.size(), 1u);
  EXPECT_EQ(q->criteria[0].kind, Criterion::Kind::kId);
  EXPECT_EQ(q->criteria[0].any_of[1].text, "b");
  EXPECT_EQ(q->count, 5);
  EXPECT_FALSE(q->total);
}

TEST(QueryParser, StrictRejectsUnknownLenientIgnores) {
  auto lenient = ParseSearch("Patient", {{"foo", "1"}, {"name", "x"}}, {.strict = false});
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->criteria.size(), 1u);
  ASSERT_EQ(lenient->canonical.size(), 1u);
  EXPECT_EQ(lenient->canonical[0].first, "name");
  auto q = ParseSearch("Patient", {{"foo", "1"}}, {.strict = true});
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), ErrorCode::kInvalidSearchParameter);
  EXPECT_NE(q.status().message().find("foo"), std::string::npos);
}

TEST(QueryParser, RejectsBadCountAndBadValues) {
  EXPECT_FALSE(ParseSearch("Patient", {{"_count", "-1"}}, {}).ok());
  EXPECT_FALSE(ParseSearch("Patient", {{"_count", "x"}}, {}).ok());
  auto q = ParseSearch("Patient", {{"_count", "100000"}}, {.max_count = 1000});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->count, 1000);
  EXPECT_FALSE(ParseSearch("Patient", {{"birthdate", "yesterday"}}, {}).ok());
  EXPECT_FALSE(ParseSearch("Patient", {{"name:below", "x"}}, {}).ok());
  EXPECT_FALSE(ParseSearch("Patient", {{"name:missing", "maybe"}}, {}).ok());
  EXPECT_FALSE(ParseSearch("RiskAssessment", {{"probability", "abc"}}, {}).ok());
}

TEST(QueryParser, StringsAreFolded) {
  auto q = ParseSearch("Patient", {{"name", "Lò Văn"}, {"family:exact", "Lò"}}, {});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->criteria[0].any_of[0].text, "lo van");
  EXPECT_EQ(q->criteria[1].modifier, Modifier::kExact);
  EXPECT_EQ(q->criteria[1].any_of[0].text, "Lò");
}

TEST(QueryParser, DatePrefixesAndRanges) {
  auto q = ParseSearch("Patient", {{"birthdate", "ge2020-01"}, {"_lastUpdated", "lt2026"}}, {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  const SearchValue& v = q->criteria[0].any_of[0];
  EXPECT_EQ(v.prefix, Prefix::kGe);
  EXPECT_EQ(v.low, DateRange("2020-01")->low);
  EXPECT_EQ(v.high, DateRange("2020-01")->high);
  EXPECT_EQ(q->criteria[1].kind, Criterion::Kind::kLastUpdated);
  EXPECT_EQ(q->criteria[1].any_of[0].prefix, Prefix::kLt);
}

TEST(QueryParser, QuantityWithUcumIsCanonical) {
  auto q =
      ParseSearch("Observation", {{"value-quantity", "gt5.4|http://unitsofmeasure.org|kg"}}, {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  const SearchValue& v = q->criteria[0].any_of[0];
  EXPECT_EQ(v.prefix, Prefix::kGt);
  EXPECT_TRUE(v.canonical);
  EXPECT_EQ(v.canonical_unit, UcumDimension("g"));
  std::string key, low, high;
  ASSERT_TRUE(ConvertToUnit(v, "g", &key, &low, &high));
  EXPECT_EQ(key, *DecimalKey("5400"));
  EXPECT_EQ(low, *DecimalKey("5350"));
  EXPECT_EQ(high, *DecimalKey("5450"));
  EXPECT_FALSE(ConvertToUnit(v, "mL", &key, &low, &high));
  auto other = ParseSearch("Observation", {{"value-quantity", "5||mg"}}, {});
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->criteria[0].any_of[0].canonical);
}

TEST(QueryParser, ReferencesChainsAndHas) {
  auto q = ParseSearch("Observation",
                       {{"subject", "Patient/p1"},
                        {"subject:Patient", "p2"},
                        {"subject:Patient.name", "lo van"},
                        {"encounter.service-provider.identifier", "s|1"},
                        {"subject:identifier", "s|v"}},
                       {.strict = true});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->criteria[0].any_of[0].ref_type, "Patient");
  EXPECT_EQ(q->criteria[0].any_of[0].ref_id, "p1");
  EXPECT_EQ(q->criteria[1].any_of[0].ref_type, "Patient");
  EXPECT_EQ(q->criteria[1].any_of[0].ref_id, "p2");
  const Criterion& chain = q->criteria[2];
  EXPECT_EQ(chain.kind, Criterion::Kind::kChain);
  ASSERT_EQ(chain.inner.size(), 1u);
  EXPECT_EQ(chain.inner[0].resource_type, "Patient");
  EXPECT_EQ(chain.inner[0].param, "name");
  const Criterion& two = q->criteria[3];
  ASSERT_EQ(two.kind, Criterion::Kind::kChain);
  ASSERT_EQ(two.inner.size(), 1u);
  EXPECT_EQ(two.inner[0].resource_type, "Encounter");
  EXPECT_EQ(two.inner[0].kind, Criterion::Kind::kChain);
  EXPECT_EQ(two.inner[0].inner[0].resource_type, "Organization");
  EXPECT_EQ(q->criteria[4].modifier, Modifier::kIdentifier);

  auto has = ParseSearch("Patient", {{"_has:Observation:patient:code", "1234"}}, {.strict = true});
  ASSERT_TRUE(has.ok()) << has.status().ToString();
  EXPECT_EQ(has->criteria[0].kind, Criterion::Kind::kHas);
  EXPECT_EQ(has->criteria[0].param, "patient");
  EXPECT_EQ(has->criteria[0].inner[0].resource_type, "Observation");
  EXPECT_FALSE(
      ParseSearch("Patient", {{"_has:Observation:nope:code", "1"}}, {.strict = true}).ok());
  EXPECT_FALSE(ParseSearch("Observation", {{"subject.nope", "1"}}, {.strict = true}).ok());
}

TEST(QueryParser, ResultParameters) {
  auto q = ParseSearch("Observation",
                       {{"_sort", "-date,_id"},
                        {"_include", "Observation:subject"},
                        {"_include:iterate", "Patient:organization"},
                        {"_revinclude", "Provenance:target"},
                        {"_elements", "status,code"},
                        {"_summary", "data"}},
                       {.strict = true});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->sort.size(), 2u);
  EXPECT_TRUE(q->sort[0].descending);
  EXPECT_EQ(q->sort[0].type, ParamType::kDate);
  EXPECT_EQ(q->sort[1].param, "_id");
  ASSERT_EQ(q->includes.size(), 3u);
  EXPECT_TRUE(q->includes[1].iterate);
  EXPECT_TRUE(q->includes[2].reverse);
  EXPECT_EQ(q->elements, (std::vector<std::string>{"status", "code"}));
  EXPECT_EQ(q->summary, Summary::kData);
  EXPECT_FALSE(ParseSearch("Observation", {{"_sort", "nope"}}, {.strict = true}).ok());
  EXPECT_FALSE(ParseSearch("Observation", {{"_include", "Observation"}}, {}).ok());
  EXPECT_EQ(ParseSearch("Patient", {{"_summary", "true"}}, {.strict = true})->summary,
            Summary::kTrue);
  EXPECT_FALSE(ParseSearch("Patient", {{"_summary", "maybe"}}, {.strict = true}).ok());
}

}  // namespace
}  // namespace hb::search
