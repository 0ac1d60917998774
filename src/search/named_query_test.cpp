#include "search/named_query.h"

#include <gtest/gtest.h>

#include "search/custom_params.h"
#include "search/filter_parser.h"
#include "search/param_registry.h"
#include "search/query_parser.h"

namespace hb::search {
namespace {

// The built-in named queries use built-in custom parameters (Observation interpretation),
// which join the registry before its first use, as at the server's start-up.
class BuiltInParams : public ::testing::Environment {
 public:
  void SetUp() override {
    auto custom = LoadCustomSearchParameters("");
    ASSERT_TRUE(custom.ok()) << custom.status().ToString();
    ASSERT_TRUE(ParamRegistry::Configure(std::move(custom).value()).ok());
  }
};
const auto* const kBuiltInParams = ::testing::AddGlobalTestEnvironment(new BuiltInParams());

// 2025-06-10T20:00:00Z: in Vietnam (UTC+07:00) it is already the 11th.
constexpr int64_t kEvening = 1749585600LL * 1000000;

std::string Definition(std::string_view criteria, std::string_view params) {
  return std::string(R"({"resourceType": "OperationDefinition", "url": "http://x/q", "status": "active",
    "kind": "query", "code": "q", "resource": ["Encounter"], "system": false, "type": true,
    "instance": false, "extension": [{"url": "http://healthbook.vn/fhir/StructureDefinition/named-query-criteria",
    "valueString": ")") + std::string(criteria) + R"("}], "parameter": [)" + std::string(params) + "]}";
}

constexpr const char* kFacility =
    R"({"name": "facility", "use": "in", "min": 1, "max": "1", "type": "string", "searchType": "reference"})";
constexpr const char* kDate =
    R"({"name": "date", "use": "in", "min": 0, "max": "1", "type": "string", "searchType": "date"})";
constexpr const char* kLocation =
    R"({"name": "location", "use": "in", "min": 0, "max": "*", "type": "string", "searchType": "reference"})";

TEST(NamedQuery, BuiltInOnesLoad) {
  auto all = LoadNamedQueries("");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), 4u);
  EXPECT_NE(NamedQueries::Default().Find("Encounter", "kham-ngoai-tru-trong-ngay"), nullptr);
  EXPECT_EQ(NamedQueries::Default().Find("Patient", "kham-ngoai-tru-trong-ngay"), nullptr);
  EXPECT_EQ(NamedQueries::Default().ForType("Observation").size(), 1u);
}

TEST(NamedQuery, ExpandsParametersDefaultsAndOptionalPairs) {
  auto q = ParseNamedQuery(
      Definition("status=arrived&date={{date:today}}&service-provider={{facility}}&location={{location}}",
                 std::string(kFacility) + "," + kDate + "," + kLocation),
      "test");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  std::vector<std::pair<std::string, std::string>> args = {
      {"facility", "Organization/org-a"}, {"gender", "male"}};
  auto out = ExpandNamedQuery(*q, &args, kEvening, 420);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  std::vector<std::pair<std::string, std::string>> want = {
      {"status", "arrived"}, {"date", "2025-06-11"}, {"service-provider", "Organization/org-a"}};
  EXPECT_EQ(*out, want);  // no location given: that pair is left out
  ASSERT_EQ(args.size(), 1u);  // the query's own parameters are consumed
  EXPECT_EQ(args[0].first, "gender");

  args = {{"facility", "org-a"}, {"location", "loc-1"}, {"location", "Location/loc-2"}, {"date", "2025-01-02"}};
  out = ExpandNamedQuery(*q, &args, kEvening, 420);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[1].second, "2025-01-02");
  EXPECT_EQ((*out)[3].second, "loc-1,Location/loc-2");  // repeated values ORed
}

TEST(NamedQuery, TodayIsTheDayOfTheConfiguredOffset) {
  auto q = ParseNamedQuery(Definition("date={{date:today}}", kDate), "test");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  std::vector<std::pair<std::string, std::string>> args;
  auto vietnam = ExpandNamedQuery(*q, &args, kEvening, 420);
  ASSERT_TRUE(vietnam.ok()) << vietnam.status().ToString();
  EXPECT_EQ((*vietnam)[0].second, "2025-06-11");
  auto utc = ExpandNamedQuery(*q, &args, kEvening, 0);  // 20:00 UTC: still the 10th
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ((*utc)[0].second, "2025-06-10");
  auto west = ExpandNamedQuery(*q, &args, kEvening - 19LL * 3600 * 1000000, -300);
  ASSERT_TRUE(west.ok());  // 01:00 UTC on the 10th is 20:00 on the 9th at UTC-05:00
  EXPECT_EQ((*west)[0].second, "2025-06-09");
}

TEST(NamedQuery, ValidatesTheRequest) {
  auto q = ParseNamedQuery(Definition("service-provider={{facility}}&date={{date}}",
                                      std::string(kFacility) + "," + kDate),
                           "test");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  auto run = [&](std::vector<std::pair<std::string, std::string>> args) {
    return ExpandNamedQuery(*q, &args, kEvening, 420).status();
  };
  EXPECT_NE(run({}).message().find("'facility' is required"), std::string::npos);
  EXPECT_NE(run({{"facility", "a"}, {"facility", "b"}}).message().find("once"), std::string::npos);
  EXPECT_NE(run({{"facility", "a"}, {"date", "yesterday"}}).message().find("takes a date"),
            std::string::npos);
  EXPECT_NE(run({{"facility", "not a ref"}}).message().find("takes a reference"), std::string::npos);
  EXPECT_EQ(run({{"facility", "a"}}).code(), ErrorCode::kOk);
}

TEST(NamedQuery, RefusesBadDefinitions) {
  auto err = [](std::string_view criteria, std::string params = kFacility) {
    return ParseNamedQuery(Definition(criteria, params), "f.json").status().message();
  };
  EXPECT_NE(err("service-provider={{nobody}}").find("not a declared parameter"), std::string::npos);
  EXPECT_NE(err("no-such-param={{facility}}").find("not a search parameter of Encounter"),
            std::string::npos);
  EXPECT_NE(err("status=arrived").find("criteria do not use it"), std::string::npos);
  EXPECT_NE(err("service-provider={{facility:yesterday}}").find("not known"), std::string::npos);
  EXPECT_NE(err("service-provider={{facility:today}}").find("needs a date"), std::string::npos);
  EXPECT_NE(err("_query=x&service-provider={{facility}}").find("cannot name another"),
            std::string::npos);
  auto not_query = ParseNamedQuery(R"({"resourceType": "OperationDefinition", "kind": "operation"})", "f");
  EXPECT_NE(not_query.status().message().find("kind must be query"), std::string::npos);
}

// A data folder's query on Patient, `criteria` using {{ten}} (`search_type`, max `max`).
Result<NamedQuery> PatientQuery(std::string_view criteria, std::string_view search_type = "string",
                                std::string_view max = "1") {
  std::string json_text;  // the criteria as a JSON string's content
  for (char c : criteria) {
    if (c == '\\' || c == '"') json_text += '\\';
    json_text += c;
  }
  std::string def = Definition(json_text, R"({"name": "ten", "use": "in", "min": 1, "max": ")" +
                                             std::string(max) +
                                             R"(", "type": "string", "searchType": ")" +
                                             std::string(search_type) + R"("})");
  def.replace(def.find(R"(["Encounter"])"), 13, R"(["Patient"])");
  return ParseNamedQuery(def, "named-queries/theo-ten.json");
}

TEST(NamedQuery, FilterPlaceholdersMustBeQuotedStrings) {
  // Bare in the expression, a caller's value would be syntax: refused, naming the file.
  for (std::string_view criteria :
       {"_filter=family co {{ten}}", "_filter=family co \"x\" and given eq {{ten}}",
        "_filter=family co \"a\\\\\"{{ten}}"}) {  // "a\\" ends before it
    auto q = PatientQuery(criteria);
    ASSERT_FALSE(q.ok()) << criteria;
    EXPECT_NE(q.status().message().find("named-queries/theo-ten.json"), std::string::npos);
    EXPECT_NE(q.status().message().find("must be inside a double-quoted string"),
              std::string::npos)
        << q.status().message();
  }
  EXPECT_TRUE(PatientQuery("_filter=family co \"{{ten}}\" and given eq \"a\\\"b\"").ok());
  EXPECT_TRUE(PatientQuery("_filter=family co \"x\\\" {{ten}}\"").ok());  // after an escaped quote
  // Dates and numbers are checked before use and may stand bare.
  EXPECT_TRUE(PatientQuery("_filter=birthdate ge {{ten}}", "date").ok());
  // One value only: repeated values have no meaning inside one string.
  auto repeated = PatientQuery("_filter=family co \"{{ten}}\"", "string", "*");
  EXPECT_NE(repeated.status().message().find("needs max = 1"), std::string::npos);
  // Outside _filter nothing changes: a bare placeholder is a URL search value.
  EXPECT_TRUE(PatientQuery("family={{ten}}").ok());
}

TEST(NamedQuery, FilterValuesCannotCloseTheString) {
  auto q = PatientQuery("_filter=family co \"{{ten}}\"&name={{ten}}");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  std::vector<std::pair<std::string, std::string>> args = {
      {"ten", "x\" or family co \"a\\"}};
  auto out = ExpandNamedQuery(*q, &args, kEvening, 420);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].second, "family co \"x\\\" or family co \\\"a\\\\\"");
  EXPECT_EQ((*out)[1].second, "x\" or family co \"a\\\\");  // URL search escaping: only `\`
  // The expression stays one comparison whose value is the caller's text.
  auto f = internal::ParseFilter("Patient", (*out)[0].second, kEvening);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->kind, Criterion::Kind::kIndexed);
  EXPECT_EQ(f->param, "family");
  ASSERT_EQ(f->any_of.size(), 1u);
  EXPECT_NE(f->any_of[0].text.find("or family co"), std::string::npos) << f->any_of[0].text;
}

TEST(NamedQuery, ParseSearchRunsIt) {
  QueryParams params = {{"_query", "kham-ngoai-tru-trong-ngay"},
                        {"facility", "Organization/org-a"},
                        {"date", "2025-06-10"},
                        {"_count", "5"}};
  auto q = ParseSearch("Encounter", params, {.strict = true});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->count, 5);
  ASSERT_FALSE(q->sort.empty());
  EXPECT_EQ(q->sort.front().param, "date");
  EXPECT_EQ(q->criteria.size(), 4u);  // status, class, _filter (date po), service-provider
  ASSERT_GE(q->canonical.size(), 3u);
  EXPECT_EQ(q->canonical[0], (std::pair<std::string, std::string>{"_query", "kham-ngoai-tru-trong-ngay"}));
  EXPECT_EQ(q->canonical[1].first, "facility");

  auto unknown = ParseSearch("Encounter", {{"_query", "nope"}}, {.strict = true});
  EXPECT_NE(unknown.status().message().find("names no named query of Encounter"), std::string::npos);
  auto lenient = ParseSearch("Encounter", {{"_query", "nope"}, {"status", "finished"}}, {});
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->criteria.size(), 1u);
  for (const auto& [k, v] : lenient->canonical) EXPECT_NE(k, "_query");
  auto twice = ParseSearch("Encounter", {{"_query", "a"}, {"_query", "b"}}, {});
  EXPECT_NE(twice.status().message().find("once"), std::string::npos);
}

}  // namespace
}  // namespace hb::search
