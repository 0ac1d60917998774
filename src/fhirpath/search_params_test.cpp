#include <gtest/gtest.h>

#include "fhirpath/fhirpath.h"

namespace hb::fhirpath {
namespace {

TEST(FhirPathSearchParams, Placeholder) {}

}  // namespace
}  // namespace hb::fhirpath
