#include "common/latin_letters.h"

#include <gtest/gtest.h>

#include <string>

namespace hb {
namespace {

TEST(LatinBaseLetter, VietnameseLettersKeepTheirCase) {
  EXPECT_EQ(LatinBaseLetter(U'Đ'), 'D');
  EXPECT_EQ(LatinBaseLetter(U'đ'), 'd');
  EXPECT_EQ(LatinBaseLetter(U'Ặ'), 'A');
  EXPECT_EQ(LatinBaseLetter(U'ặ'), 'a');
  EXPECT_EQ(LatinBaseLetter(U'Ư'), 'U');
  EXPECT_EQ(LatinBaseLetter(U'ữ'), 'u');
  EXPECT_EQ(LatinBaseLetter(U'Ỷ'), 'Y');
  EXPECT_EQ(LatinBaseLetter(U'ỹ'), 'y');
  EXPECT_EQ(LatinBaseLetter(U'ơ'), 'o');
}

TEST(LatinBaseLetter, OtherLatinLettersAndNone) {
  EXPECT_EQ(LatinBaseLetter(U'ü'), 'u');
  EXPECT_EQ(LatinBaseLetter(U'Ø'), 'O');
  EXPECT_EQ(LatinBaseLetter(U'ñ'), 'n');
  EXPECT_EQ(LatinBaseLetter(U'Ð'), 0);  // eth: no base letter (payments reads it as Đ)
  EXPECT_EQ(LatinBaseLetter(U'ß'), 0);
  EXPECT_EQ(LatinBaseLetter(U'Æ'), 0);
  EXPECT_EQ(LatinBaseLetter(U'a'), 0);  // ASCII is not a letter with marks
  EXPECT_EQ(LatinBaseLetter(U'Ω'), 0);
  EXPECT_EQ(LatinBaseLetter(0x4E2D), 0);
}

TEST(IsVietnameseLetter, ExactlyTheMarkedLettersOfTheAlphabet) {
  // a ă â e ê i o ô ơ u ư y with the five tones and without: 12 vowels x 6 forms, less the
  // unmarked a e i o u y, in both cases; and đ Đ.
  const std::u32string lower =
      U"àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
  const std::u32string upper =
      U"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
  ASSERT_EQ(lower.size(), 67u);
  ASSERT_EQ(upper.size(), 67u);
  for (char32_t c : lower) {
    EXPECT_TRUE(IsVietnameseLetter(c)) << static_cast<unsigned>(c);
    EXPECT_GE(LatinBaseLetter(c), 'a') << static_cast<unsigned>(c);
  }
  for (char32_t c : upper) {
    EXPECT_TRUE(IsVietnameseLetter(c)) << static_cast<unsigned>(c);
    EXPECT_LE(LatinBaseLetter(c), 'Z') << static_cast<unsigned>(c);
  }
  // Nothing else: the block U+1EA0..U+1EF9 (90 letters) and 44 of Latin-1 and Extended-A/B.
  int count = 0;
  for (char32_t c = 0; c < 0x2000; ++c) count += IsVietnameseLetter(c) ? 1 : 0;
  EXPECT_EQ(count, 134);
  for (char32_t c : {U'ü', U'ñ', U'ç', U'Ð', U'ð', U'Ø', U'a', U'd', U'Ω', char32_t{0x1EFA},
                     char32_t{0x1AE}, char32_t{0x1B1}}) {
    EXPECT_FALSE(IsVietnameseLetter(c)) << static_cast<unsigned>(c);
  }
}

TEST(IsVietnameseMark, TheMarksOfDecomposedVietnamese) {
  for (char32_t c : {0x300, 0x301, 0x302, 0x303, 0x306, 0x309, 0x31B, 0x323}) {
    EXPECT_TRUE(IsVietnameseMark(c));
    EXPECT_TRUE(IsCombiningMark(c));
  }
  EXPECT_FALSE(IsVietnameseMark(0x308));  // diaeresis
  EXPECT_TRUE(IsCombiningMark(0x308));
  EXPECT_FALSE(IsCombiningMark(0x370));
}

}  // namespace
}  // namespace hb
