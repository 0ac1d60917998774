#include "search/text_fold.h"

#include <gtest/gtest.h>

namespace hb::search {
namespace {

TEST(FoldText, VietnameseNamesFoldToAscii) {
  EXPECT_EQ(FoldText("Lò Văn A"), "lo van a");
  EXPECT_EQ(FoldText("Đặng Thị Đào"), "dang thi dao");
  EXPECT_EQ(FoldText("NGUYỄN ỨNG Ước"), "nguyen ung uoc");
  EXPECT_EQ(FoldText("Quàng Thị Mỷ"), "quang thi my");
  EXPECT_EQ(FoldText("đ"), "d");
  EXPECT_EQ(FoldText("Điện Biên Phủ"), "dien bien phu");
}

TEST(FoldText, DecomposedInputFoldsLikeComposed) {
  // "Lò" written as L + o + U+0300 (combining grave), "Ă" as A + U+0306.
  EXPECT_EQ(FoldText("Lo\xCC\x80 A\xCC\x86n"), "lo an");
}

TEST(FoldText, CollapsesSpaceAndKeepsOtherText) {
  EXPECT_EQ(FoldText("  Müller \t  Ørsted  "), "muller orsted");
  EXPECT_EQ(FoldText("Ω-3, 5%"), "Ω-3, 5%");
  EXPECT_EQ(FoldText("a\xFF"
                     "b"),
            "ab");  // malformed byte dropped
}

TEST(PrefixUpperBound, IncrementsLastByte) {
  EXPECT_EQ(PrefixUpperBound("lo van"), "lo vao");
  EXPECT_EQ(PrefixUpperBound(""), "");
  EXPECT_EQ(PrefixUpperBound("a\xFF"), "b");
}

}  // namespace
}  // namespace hb::search
