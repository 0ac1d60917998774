#include "fhir/json_patch.h"

#include <gtest/gtest.h>

namespace hb::fhir {
namespace {

std::string Apply(std::string doc, std::string patch, Status* st = nullptr) {
  auto d = ParseJson(doc);
  auto p = ParseJson(patch);
  EXPECT_TRUE(d.ok() && p.ok());
  Status s = ApplyJsonPatch(*d, *p);
  if (st) *st = s;
  return Serialize(*d);
}

TEST(JsonPatch, AddReplaceRemove) {
  EXPECT_EQ(Apply(R"({"a":1})", R"([{"op":"add","path":"/b","value":[1.50]}])"),
            R"({"a":1,"b":[1.50]})");
  EXPECT_EQ(Apply(R"({"a":[1,3]})", R"([{"op":"add","path":"/a/1","value":2}])"),
            R"({"a":[1,2,3]})");
  EXPECT_EQ(Apply(R"({"a":[1]})", R"([{"op":"add","path":"/a/-","value":2}])"), R"({"a":[1,2]})");
  EXPECT_EQ(Apply(R"({"a":1})", R"([{"op":"replace","path":"/a","value":"x"}])"), R"({"a":"x"})");
  EXPECT_EQ(Apply(R"({"a":1,"b":2})", R"([{"op":"remove","path":"/a"}])"), R"({"b":2})");
}

TEST(JsonPatch, MoveCopyTestAndEscapes) {
  EXPECT_EQ(Apply(R"({"a":{"x":1}})", R"([{"op":"move","from":"/a/x","path":"/b"}])"),
            R"({"a":{},"b":1})");
  EXPECT_EQ(Apply(R"({"a/b":1})", R"([{"op":"copy","from":"/a~1b","path":"/c~0"}])"),
            R"({"a/b":1,"c~":1})");
  Status st;
  EXPECT_EQ(Apply(R"({"a":1})", R"([{"op":"test","path":"/a","value":1}])", &st), R"({"a":1})");
  EXPECT_TRUE(st.ok());
}

TEST(JsonPatch, FailureLeavesTargetUnchanged) {
  Status st;
  EXPECT_EQ(Apply(R"({"a":1})",
                  R"([{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/zz"}])", &st),
            R"({"a":1})");
  EXPECT_EQ(st.code(), ErrorCode::kInvalidPatch);
  EXPECT_NE(st.message().find("operation 1"), std::string::npos);
  Apply(R"({"a":1})", R"([{"op":"test","path":"/a","value":2}])", &st);
  EXPECT_FALSE(st.ok());
  Apply(R"({"a":1})", R"({"op":"add"})", &st);
  EXPECT_FALSE(st.ok());
  Apply(R"({"a":1})", R"([{"op":"frobnicate","path":"/a"}])", &st);
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace hb::fhir
