#include "common/ascii.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

TEST(AsciiLower, MapsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Observation"), "observation");
  EXPECT_EQ(AsciiLower("GT-100_x"), "gt-100_x");
  EXPECT_EQ(AsciiLower(""), "");
  // UTF-8 bytes are left alone: "LÒ" keeps its capital Ò (C3 92).
  EXPECT_EQ(AsciiLower("L\xC3\x92"), "l\xC3\x92");
  static_assert(AsciiLower('Z') == 'z' && AsciiLower('[') == '[' && AsciiLower('@') == '@');
}

}  // namespace
}  // namespace hb
