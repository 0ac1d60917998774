#include "search/filter_parser.h"

#include <gtest/gtest.h>

#include "search/query_parser.h"

namespace hb::search {
namespace {

using internal::ParseFilter;
constexpr int64_t kNow = 1767225600000000;  // 2026-01-01

Criterion Ok(std::string_view type, std::string_view expr) {
  auto c = ParseFilter(type, expr, kNow);
  EXPECT_TRUE(c.ok()) << expr << ": " << c.status().message();
  return c.ok() ? *c : Criterion();
}

std::string Error(std::string_view type, std::string_view expr) {
  auto c = ParseFilter(type, expr, kNow);
  EXPECT_FALSE(c.ok()) << expr;
  if (c.ok()) return {};
  EXPECT_EQ(c.status().code(), ErrorCode::kInvalidSearchParameter);
  return std::string(c.status().message());
}

TEST(FilterParser, SimpleComparisonBecomesTheUrlCriterion) {
  Criterion c = Ok("Patient", "name sw \"lò\"");
  EXPECT_EQ(c.kind, Criterion::Kind::kIndexed);
  EXPECT_EQ(c.param, "name");
  EXPECT_EQ(c.modifier, Modifier::kNone);
  ASSERT_EQ(c.any_of.size(), 1u);
  EXPECT_EQ(c.any_of[0].text, "lo");

  Criterion co = Ok("Patient", "family co van");
  EXPECT_EQ(co.modifier, Modifier::kContains);
  Criterion ew = Ok("Patient", "family EW \"a\"");
  EXPECT_EQ(ew.modifier, Modifier::kEndsWith);
  Criterion eq = Ok("Patient", "family eq \"Lò\"");
  EXPECT_EQ(eq.modifier, Modifier::kEquals);
  EXPECT_EQ(eq.any_of[0].prefix, Prefix::kEq);
  Criterion gt = Ok("Patient", "family gt m");
  EXPECT_EQ(gt.any_of[0].prefix, Prefix::kGt);
}

TEST(FilterParser, PrefixesAndPeriodsOnDates) {
  Criterion ge = Ok("Patient", "birthdate ge 1990-01-01");
  EXPECT_EQ(ge.any_of[0].prefix, Prefix::kGe);
  Criterion po = Ok("Encounter", "date po 2025-03");
  EXPECT_EQ(po.any_of[0].prefix, Prefix::kAp);
  Criterion eq = Ok("Encounter", "date eq 2025-03");
  EXPECT_EQ(po.any_of[0].low, eq.any_of[0].low);  // po is not widened like ap
  EXPECT_EQ(po.any_of[0].high, eq.any_of[0].high);
}

TEST(FilterParser, PrecedenceAndGroupsAndNot) {
  // and binds tighter than or
  Criterion c = Ok("Patient", "gender eq male or gender eq female and birthdate lt 1980");
  ASSERT_EQ(c.kind, Criterion::Kind::kOr);
  ASSERT_EQ(c.inner.size(), 2u);
  EXPECT_EQ(c.inner[0].kind, Criterion::Kind::kIndexed);
  EXPECT_EQ(c.inner[1].kind, Criterion::Kind::kAnd);

  Criterion g = Ok("Patient", "(gender eq male or gender eq female) and birthdate lt 1980");
  ASSERT_EQ(g.kind, Criterion::Kind::kAnd);
  EXPECT_EQ(g.inner[0].kind, Criterion::Kind::kOr);

  Criterion n = Ok("Patient", "not (gender eq male)");
  ASSERT_EQ(n.kind, Criterion::Kind::kNot);
  ASSERT_EQ(n.inner.size(), 1u);
  EXPECT_EQ(n.inner[0].param, "gender");

  Criterion ne = Ok("Patient", "gender ne male");
  EXPECT_EQ(ne.kind, Criterion::Kind::kNot);
  Criterion three = Ok("Patient", "gender eq male and active eq true and family sw lo");
  EXPECT_EQ(three.kind, Criterion::Kind::kAnd);
  EXPECT_EQ(three.inner.size(), 3u);
}

TEST(FilterParser, TokensPresenceAndTerminology) {
  Criterion t = Ok("Observation", "code eq http://loinc.org|8867-4");
  ASSERT_TRUE(t.any_of[0].token.system);
  EXPECT_EQ(*t.any_of[0].token.system, "http://loinc.org");
  EXPECT_EQ(*t.any_of[0].token.code, "8867-4");
  Criterion pr = Ok("Observation", "subject pr false");
  EXPECT_EQ(pr.modifier, Modifier::kMissing);
  EXPECT_TRUE(pr.missing);
  EXPECT_EQ(Ok("Condition", "code in http://example.org/vs").modifier, Modifier::kIn);
  EXPECT_EQ(Ok("Condition", "code ni http://example.org/vs").modifier, Modifier::kNotIn);
  EXPECT_EQ(Ok("Condition", "code ss http://x|J18").modifier, Modifier::kBelow);
  EXPECT_EQ(Ok("Condition", "code sb http://x|J18.9").modifier, Modifier::kAbove);
  // a comma in a value is data, not an OR of values
  Criterion comma = Ok("Patient", "family eq \"a,b\"");
  ASSERT_EQ(comma.any_of.size(), 1u);
  EXPECT_EQ(comma.any_of[0].text, "a,b");
  Criterion quoted = Ok("Patient", "family eq \"say \\\"hi\\\"\"");
  EXPECT_EQ(quoted.any_of[0].text, "say \"hi\"");
}

TEST(FilterParser, PathsChainThroughReferences) {
  Criterion c = Ok("Observation", "subject.name co an");
  ASSERT_EQ(c.kind, Criterion::Kind::kChain);
  EXPECT_EQ(c.param, "subject");
  ASSERT_FALSE(c.inner.empty());
  bool patient = false;
  for (const Criterion& i : c.inner) patient |= i.resource_type == "Patient";
  EXPECT_TRUE(patient);

  Criterion f = Ok("Observation", "subject[gender eq female].name sw lo");
  ASSERT_EQ(f.kind, Criterion::Kind::kChain);
  // only the targets that have both gender and name (Patient, Practitioner-less list)
  for (const Criterion& i : f.inner) {
    EXPECT_EQ(i.kind, Criterion::Kind::kAnd);
    ASSERT_EQ(i.inner.size(), 2u);
    EXPECT_EQ(i.inner[0].param, "gender");
    EXPECT_EQ(i.inner[1].param, "name");
  }
}

TEST(FilterParser, MalformedInputIsRefusedWithTheReason) {
  EXPECT_NE(Error("Patient", "").find("empty"), std::string::npos);
  EXPECT_NE(Error("Patient", "   ").find("empty"), std::string::npos);
  EXPECT_NE(Error("Patient", "name").find("operator"), std::string::npos);
  EXPECT_NE(Error("Patient", "name eq").find("value"), std::string::npos);
  EXPECT_NE(Error("Patient", "name eq \"lo").find("not closed"), std::string::npos);
  EXPECT_NE(Error("Patient", "(name eq lo").find("not closed"), std::string::npos);
  EXPECT_NE(Error("Patient", "name eq lo)").find("unexpected"), std::string::npos);
  EXPECT_NE(Error("Patient", "name eq lo and").find("ends"), std::string::npos);
  EXPECT_NE(Error("Patient", "not gender eq male").find("'('"), std::string::npos);
  EXPECT_NE(Error("Patient", "nosuch eq 1").find("nosuch"), std::string::npos);
  EXPECT_NE(Error("Patient", "gender co ma").find("'co'"), std::string::npos);
  EXPECT_NE(Error("Patient", "gender xx male").find("'xx'"), std::string::npos);
  EXPECT_NE(Error("Patient", "birthdate eq notadate").find("not a date"), std::string::npos);
  EXPECT_NE(Error("Patient", "active pr maybe").find("true or false"), std::string::npos);
  EXPECT_NE(Error("Patient", "gender.name eq x").find("not a reference"), std::string::npos);
  EXPECT_NE(Error("Observation", "subject[gender eq male] eq x").find("'.'"), std::string::npos);
  EXPECT_NE(Error("Observation", "subject[gender eq male.name eq x").find("not closed"),
            std::string::npos);
  EXPECT_NE(Error("Patient", "1name eq x").find("parameter name"), std::string::npos);
  std::string many = "gender eq male";
  for (int i = 0; i < 100; ++i) many += " or gender eq female";
  EXPECT_NE(Error("Patient", many).find("100"), std::string::npos);
  std::string deep(40, '(');
  EXPECT_NE(Error("Patient", deep + "gender eq male" + std::string(40, ')')).find("32"),
            std::string::npos);
}

TEST(FilterParser, SearchParsesFilterInEveryHandlingMode) {
  ParseOptions lenient;
  lenient.now_micros = kNow;
  auto q = ParseSearch("Patient", {{"_filter", "gender eq male or gender eq female"}}, lenient);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->criteria.size(), 1u);
  EXPECT_EQ(q->criteria[0].kind, Criterion::Kind::kOr);
  ASSERT_EQ(q->canonical.size(), 1u);
  EXPECT_EQ(q->canonical[0].first, "_filter");
  // an unknown parameter inside _filter is an error even when lenient
  EXPECT_FALSE(ParseSearch("Patient", {{"_filter", "nosuch eq 1"}}, lenient).ok());
}

TEST(ListParam, IdsAndFunctionalLists) {
  ParseOptions o;
  o.now_micros = kNow;
  auto q = ParseSearch("Patient", {{"_list", "list-1,list-2"}}, o);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->criteria.size(), 1u);
  EXPECT_EQ(q->criteria[0].kind, Criterion::Kind::kList);
  EXPECT_EQ(q->criteria[0].any_of.size(), 2u);
  auto a = ParseSearch("AllergyIntolerance", {{"_list", "$current-allergies"}}, o);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->criteria.size(), 1u);
  EXPECT_EQ(a->criteria[0].param, "clinical-status");
  EXPECT_FALSE(ParseSearch("Patient", {{"_list", "$current-allergies"}}, o).ok());
  EXPECT_FALSE(ParseSearch("Condition", {{"_list", "$nonsense"}}, o).ok());
  EXPECT_FALSE(ParseSearch("Condition", {{"_list", "$current-problems,list-1"}}, o).ok());
}

TEST(NearParam, ValuesAndUnits) {
  ParseOptions o;
  auto q = ParseSearch("Location", {{"near", "21.38|103.02|500|m"}}, o);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->criteria.size(), 1u);
  const SearchValue& v = q->criteria[0].any_of[0];
  EXPECT_DOUBLE_EQ(v.latitude, 21.38);
  EXPECT_DOUBLE_EQ(v.longitude, 103.02);
  EXPECT_DOUBLE_EQ(v.distance_km, 0.5);
  auto d = ParseSearch("Location", {{"near", "21.38|103.02"}}, o);
  ASSERT_TRUE(d.ok());
  EXPECT_DOUBLE_EQ(d->criteria[0].any_of[0].distance_km, 10.0);
  EXPECT_FALSE(ParseSearch("Location", {{"near", "91|103"}}, o).ok());
  EXPECT_FALSE(ParseSearch("Location", {{"near", "21|103|5|parsec"}}, o).ok());
  EXPECT_FALSE(ParseSearch("Location", {{"near", "21"}}, o).ok());
  EXPECT_FALSE(ParseSearch("Location", {{"near", "abc|103"}}, o).ok());
}

TEST(ReferenceHierarchy, AboveAndBelowNeedAPartofHierarchy) {
  ParseOptions o;
  auto q = ParseSearch("Location", {{"partof:below", "Location/loc-1"}}, o);
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->criteria[0].modifier, Modifier::kBelow);
  EXPECT_EQ(q->criteria[0].any_of[0].ref_type, "Location");
  auto id = ParseSearch("Patient", {{"organization:above", "org-1"}}, o);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(id->criteria[0].any_of[0].ref_type, "Organization");
  auto none = ParseSearch("Observation", {{"subject:below", "Patient/p1"}}, o);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("hierarchy"), std::string::npos);
}

}  // namespace
}  // namespace hb::search
