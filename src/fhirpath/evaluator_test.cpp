#include <gtest/gtest.h>

#include "fhirpath/fhirpath.h"

namespace hb::fhirpath {
namespace {

TEST(FhirPathTest, Placeholder) { EXPECT_TRUE(Expression::Compile("1 + 1").ok()); }

}  // namespace
}  // namespace hb::fhirpath
