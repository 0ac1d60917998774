#include "fhir/json.h"

#include <gtest/gtest.h>

namespace hb::fhir {
namespace {

TEST(FhirJson, KeepsDecimalPrecisionOnRoundTrip) {
  auto doc = ParseJson(R"({"value":1.50,"n":0.0000001,"big":12345678901234567890,"s":"1.50"})");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(Serialize(*doc),
            R"({"value":1.50,"n":0.0000001,"big":12345678901234567890,"s":"1.50"})");
  EXPECT_TRUE(IsNumber((*doc)["value"]));
  EXPECT_EQ(NumberText((*doc)["value"]), "1.50");
  EXPECT_TRUE(IsString((*doc)["s"]));
  EXPECT_FALSE(IsNumber((*doc)["s"]));
}

TEST(FhirJson, ReportsWhereJsonIsMalformed) {
  auto doc = ParseJson(R"({"a": })");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), ErrorCode::kMalformedJson);
  EXPECT_NE(doc.status().message().find("byte 6"), std::string::npos) << doc.status().message();
}

TEST(FhirJson, RefusesTrailingGarbageAndBadUtf8) {
  EXPECT_FALSE(ParseJson(R"({"a":1} x)").ok());
  EXPECT_FALSE(ParseJson("{\"a\":\"\xC3\"}").ok());
}

TEST(FhirJson, RefusesStringsThatWouldPassForNumbers) {
  auto doc = ParseJson(R"({"value":"\u00011.5"})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), ErrorCode::kInvalidResource);
}

// Found by fuzz/fhir_json_fuzzer: a lone surrogate escape used to be stored as bytes
// that are not UTF-8 (and then could not be read back).
TEST(FhirJson, RefusesLoneSurrogateEscapes) {
  for (const char* text : {R"({"family":"\ude0d"})", R"({"family":"\ud83d"})",
                           R"({"\udc00":1})"}) {
    auto doc = ParseJson(text);
    ASSERT_FALSE(doc.ok()) << text;
    EXPECT_EQ(doc.status().code(), ErrorCode::kMalformedJson);
  }
  auto pair = ParseJson(R"({"emoji":"\ud83d\ude00"})");  // a proper pair is fine
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  EXPECT_EQ(StringView((*pair)["emoji"]), "\xF0\x9F\x98\x80");
}

TEST(FhirJson, BoundsDepth) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto doc = ParseJson(deep, {.max_depth = 64});
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), ErrorCode::kTooLarge);
}

TEST(FhirJson, PrettyPrintsNumbersBare) {
  auto doc = ParseJson(R"({"a":[1,2.0]})");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(SerializePretty(*doc), "{\n  \"a\": [\n    1,\n    2.0\n  ]\n}");
}

}  // namespace
}  // namespace hb::fhir
