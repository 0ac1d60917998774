#include "common/utf8.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

TEST(Utf8, AcceptsVietnamese) {
  EXPECT_TRUE(IsValidUtf8("Lò Văn Ơn, Điện Biên"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8, RejectsBrokenSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
}

}  // namespace
}  // namespace hb
