#include "search/terminology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "search/query_parser.h"

namespace hb::search {
namespace {

constexpr const char* kIcd = "http://example.org/icd-test";

// A small stored-resource world: canonical URL -> JSON.
struct World {
  std::map<std::string, std::string> code_systems, value_sets;
  CanonicalSource Source() {
    return [this](std::string_view type,
                  std::string_view url) -> Result<std::optional<CanonicalResource>> {
      auto& m = type == "CodeSystem" ? code_systems : value_sets;
      auto it = m.find(std::string(url));
      if (it == m.end()) {
        if (type == "CodeSystem") return BuiltinCodeSystem(url);
        return std::optional<CanonicalResource>();
      }
      return std::optional<CanonicalResource>(CanonicalResource{
          it->second,
          std::string(type) + "/" + it->first + "/" + std::to_string(it->second.size())});
    };
  }
};

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> Codes(const std::vector<SystemCode>& v) {
  std::vector<std::string> out;
  for (const auto& c : v) out.push_back(c.system + "|" + c.code);
  std::sort(out.begin(), out.end());
  return out;
}

const char* kHierarchy = R"({"resourceType":"CodeSystem","url":"http://example.org/cs",
  "concept":[
    {"code":"animal","concept":[
      {"code":"mammal","concept":[{"code":"dog"},{"code":"cat"}]},
      {"code":"bird","property":[{"code":"flies","valueBoolean":true}]}]},
    {"code":"penguin","property":[{"code":"parent","valueCode":"bird"},
                                  {"code":"flies","valueBoolean":false}]},
    {"code":"rock"}]})";

class TerminologyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterBuiltinCodeSystem(
        kIcd,
        [] {
          return std::string(R"({"resourceType":"CodeSystem","concept":[
            {"code":"J18"},{"code":"J18.0"},{"code":"J18.1"},{"code":"J18.9"},
            {"code":"J180"},{"code":"J20"},{"code":"J20.0"}]})");
        },
        true);
    w.code_systems["http://example.org/cs"] = kHierarchy;
  }
  World w;
};

TEST_F(TerminologyTest, BelowFollowsNestedConceptsAndParentProperties) {
  Terminology t(w.Source());
  auto below = t.Below("http://example.org/cs", "animal");
  ASSERT_TRUE(below.ok()) << below.status().ToString();
  EXPECT_EQ(Sorted(*below),
            (std::vector<std::string>{"animal", "bird", "cat", "dog", "mammal", "penguin"}));
  auto above = t.Above("http://example.org/cs", "penguin");
  ASSERT_TRUE(above.ok());
  EXPECT_EQ(Sorted(*above), (std::vector<std::string>{"animal", "bird", "penguin"}));
}

TEST_F(TerminologyTest, PrefixHierarchyForIcdStyleSystems) {
  Terminology t(w.Source());
  auto below = t.Below(kIcd, "J18");
  ASSERT_TRUE(below.ok());
  // J18 covers J18.0 … J18.9 (and the undotted J180 that begins with it), never J20.
  EXPECT_EQ(Sorted(*below), (std::vector<std::string>{"J18", "J18.0", "J18.1", "J18.9", "J180"}));
  auto above = t.Above(kIcd, "J18.9");
  ASSERT_TRUE(above.ok());
  EXPECT_EQ(Sorted(*above), (std::vector<std::string>{"J18", "J18.9"}));
}

TEST_F(TerminologyTest, UnknownCodeSystemIsAClearError) {
  Terminology t(w.Source());
  auto below = t.Below("http://nowhere.example/cs", "x");
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(below.status().code(), ErrorCode::kInvalidSearchParameter);
  EXPECT_NE(below.status().message().find("http://nowhere.example/cs"), std::string::npos);
}

TEST_F(TerminologyTest, ValueSetComposeWithConceptsFiltersAndExcludes) {
  w.value_sets["http://example.org/vs/pets"] = R"({"resourceType":"ValueSet",
    "compose":{"include":[
      {"system":"http://example.org/cs","filter":[{"property":"concept","op":"is-a","value":"mammal"}]},
      {"system":"http://loinc.org","concept":[{"code":"8867-4"}]}],
     "exclude":[{"system":"http://example.org/cs","concept":[{"code":"cat"}]}]}})";
  Terminology t(w.Source());
  auto codes = t.ExpandValueSet("http://example.org/vs/pets|1.0");
  ASSERT_TRUE(codes.ok()) << codes.status().ToString();
  EXPECT_EQ(Codes(*codes),
            (std::vector<std::string>{"http://example.org/cs|dog", "http://example.org/cs|mammal",
                                      "http://loinc.org|8867-4"}));
}

TEST_F(TerminologyTest, ValueSetFilterOperators) {
  auto expand = [&](const std::string& filter) {
    w.value_sets["http://example.org/vs/f"] =
        R"({"resourceType":"ValueSet","compose":{"include":[{"system":"http://example.org/cs","filter":[)" +
        filter + "]}]}}";
    Terminology t(w.Source());
    auto r = t.ExpandValueSet("http://example.org/vs/f");
    std::vector<std::string> out;
    if (!r.ok()) return std::vector<std::string>{"error: " + r.status().message()};
    for (const auto& c : *r) out.push_back(c.code);
    return Sorted(out);
  };
  EXPECT_EQ(expand(R"({"property":"concept","op":"descendent-of","value":"bird"})"),
            (std::vector<std::string>{"penguin"}));
  EXPECT_EQ(expand(R"({"property":"concept","op":"is-not-a","value":"animal"})"),
            (std::vector<std::string>{"rock"}));
  EXPECT_EQ(expand(R"({"property":"concept","op":"in","value":"dog, rock,unknown"})"),
            (std::vector<std::string>{"dog", "rock"}));
  EXPECT_EQ(expand(R"({"property":"flies","op":"=","value":"false"})"),
            (std::vector<std::string>{"penguin"}));
  EXPECT_EQ(expand(R"({"property":"concept","op":"regex","value":"[cd].*"})"),
            (std::vector<std::string>{"cat", "dog"}));
  auto bad = expand(R"({"property":"concept","op":"sounds-like","value":"x"})");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].find("not supported"), std::string::npos);
}

TEST_F(TerminologyTest, ImportsAreIntersectedAndExpansionsRead) {
  w.value_sets["http://example.org/vs/a"] = R"({"resourceType":"ValueSet","expansion":{
    "contains":[{"system":"http://example.org/cs","code":"dog"},
                {"system":"http://example.org/cs","code":"cat",
                 "contains":[{"system":"http://example.org/cs","code":"bird"}]}]}})";
  w.value_sets["http://example.org/vs/b"] = R"({"resourceType":"ValueSet","compose":{"include":[
    {"valueSet":["http://example.org/vs/a"],"system":"http://example.org/cs",
     "filter":[{"property":"concept","op":"is-a","value":"mammal"}]}]}})";
  Terminology t(w.Source());
  auto a = t.ExpandValueSet("http://example.org/vs/a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 3u);
  auto b = t.ExpandValueSet("http://example.org/vs/b");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(Codes(*b),
            (std::vector<std::string>{"http://example.org/cs|cat", "http://example.org/cs|dog"}));
}

TEST_F(TerminologyTest, LimitsAndUnknownValueSets) {
  w.value_sets["http://example.org/vs/all"] =
      R"({"resourceType":"ValueSet","compose":{"include":[{"system":"http://example.org/cs"}]}})";
  Terminology small(w.Source(), {.max_codes = 3});
  auto r = small.ExpandValueSet("http://example.org/vs/all");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than 3 codes"), std::string::npos);
  Terminology t(w.Source());
  auto missing = t.ExpandValueSet("http://example.org/vs/none");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("not known"), std::string::npos);
}

TEST_F(TerminologyTest, ResolveRewritesCriteriaIntoCodeLists) {
  w.value_sets["http://example.org/vs/m"] = R"({"resourceType":"ValueSet","compose":{"include":[
    {"system":"http://example.org/cs","filter":[{"property":"concept","op":"is-a","value":"mammal"}]}]}})";
  auto q = ParseSearch("Condition",
                       {{"code:below", std::string(kIcd) + "|J18"},
                        {"code:not-in", "http://example.org/vs/m"},
                        {"subject:Patient.gender:in", "http://example.org/vs/m"}},
                       {.strict = true});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_TRUE(NeedsTerminology(*q));
  Terminology t(w.Source());
  ASSERT_TRUE(ResolveTerminology(*q, t).ok());
  EXPECT_FALSE(NeedsTerminology(*q));
  ASSERT_EQ(q->criteria.size(), 3u);
  const Criterion& below = q->criteria[0];
  EXPECT_EQ(below.modifier, Modifier::kNone);
  ASSERT_EQ(below.any_of.size(), 5u);
  EXPECT_EQ(*below.any_of[0].token.system, kIcd);
  const Criterion& not_in = q->criteria[1];
  EXPECT_EQ(not_in.modifier, Modifier::kNot);
  EXPECT_EQ(not_in.any_of.size(), 3u);
  const Criterion& chained = q->criteria[2].inner.front();
  EXPECT_EQ(chained.modifier, Modifier::kNone);
  EXPECT_EQ(chained.any_of.size(), 3u);
}

TEST_F(TerminologyTest, ParserChecksTheValues) {
  auto no_system = ParseSearch("Condition", {{"code:below", "J18"}}, {.strict = true});
  ASSERT_FALSE(no_system.ok());
  EXPECT_NE(no_system.status().message().find("system|code"), std::string::npos);
  auto on_string = ParseSearch("Patient", {{"name:in", "http://x"}}, {.strict = true});
  EXPECT_FALSE(on_string.ok());
}

TEST_F(TerminologyTest, EmptyExpansionMatchesNothing) {
  w.value_sets["http://example.org/vs/empty"] =
      R"({"resourceType":"ValueSet","compose":{"include":[{"system":"http://example.org/cs",
        "filter":[{"property":"concept","op":"in","value":"nothing"}]}]}})";
  auto q = ParseSearch("Condition", {{"code:in", "http://example.org/vs/empty"}}, {.strict = true});
  ASSERT_TRUE(q.ok());
  Terminology t(w.Source());
  ASSERT_TRUE(ResolveTerminology(*q, t).ok());
  ASSERT_EQ(q->criteria[0].any_of.size(), 1u);
  EXPECT_EQ(*q->criteria[0].any_of[0].token.system, "urn:healthbook:no-code");
}

}  // namespace
}  // namespace hb::search
