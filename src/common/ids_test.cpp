#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace hb {
namespace {

TEST(Ids, NewIdsAreValidAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewResourceId();
    ASSERT_TRUE(IsValidFhirId(id)) << id;
    ASSERT_TRUE(seen.insert(id).second) << "duplicate " << id;
  }
}

TEST(Ids, ValidatesTheFhirIdAlphabet) {
  EXPECT_TRUE(IsValidFhirId("example"));
  EXPECT_TRUE(IsValidFhirId("a.b-C9"));
  EXPECT_FALSE(IsValidFhirId(""));
  EXPECT_FALSE(IsValidFhirId("has space"));
  EXPECT_FALSE(IsValidFhirId("under_score"));
  EXPECT_FALSE(IsValidFhirId(std::string(65, 'a')));
  EXPECT_TRUE(IsValidFhirId(std::string(64, 'a')));
}

}  // namespace
}  // namespace hb
