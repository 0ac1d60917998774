#include "demo/cccd.h"

#include <gtest/gtest.h>

#include <set>

#include "demo/insurance.h"

namespace hb::demo {
namespace {

TEST(DemoCccd, ReferenceExamples) {
  // shared/reference/README.md §2
  EXPECT_TRUE(CccdMatches("011090123456", Gender::kMale, 1990));
  EXPECT_TRUE(CccdMatches("011305001234", Gender::kFemale, 2005));
  EXPECT_FALSE(CccdMatches("011090123456", Gender::kFemale, 1990));
  EXPECT_FALSE(CccdMatches("011090123456", Gender::kMale, 1991));
  EXPECT_FALSE(CccdMatches("01109012345", Gender::kMale, 1990));
  EXPECT_EQ(FormatCccd("011", Gender::kMale, 1990, 123456), "011090123456");
  EXPECT_EQ(FormatCccd("011", Gender::kFemale, 2005, 1234), "011305001234");
}

TEST(DemoCccd, PoolNeverRepeats) {
  IdNumberPool pool;
  Rng rng(3);
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) {
    std::string id = pool.NewCccd("011", Gender::kMale, 1990, rng);
    EXPECT_TRUE(CccdMatches(id, Gender::kMale, 1990));
    EXPECT_TRUE(seen.insert(id).second);
  }
  EXPECT_EQ(pool.NewCmnd(rng).substr(0, 3), "040");
}

TEST(DemoInsurance, CardLayout) {
  const BeneficiaryGroup* dt = FindBeneficiaryGroup("DT");
  ASSERT_NE(dt, nullptr);
  EXPECT_EQ(FormatBhytCard(*dt, "11", "1100012345"), "DT2111100012345");
  Rng rng(5);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(PickBeneficiaryGroup(3, Ethnicity::kHmong, rng).code, "TE");
}

}  // namespace
}  // namespace hb::demo
