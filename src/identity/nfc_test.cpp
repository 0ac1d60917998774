#include "identity/nfc.h"

#include <gtest/gtest.h>

namespace hb::identity {
namespace {

// The 12 Vietnamese vowels with no tone, huyền, sắc, hỏi, ngã and nặng, in NFC
// and in NFD (written with escapes so that the marks are visible).
constexpr const char* kVowelsLower =
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ";
constexpr const char* kVowelsUpper =
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴ";
constexpr const char* kVowelsLowerNfd =
    "aa\u0300a\u0301a\u0309a\u0303a\u0323a\u0306a\u0306\u0300a\u0306\u0301a\u0306\u0309a\u0306"
    "\u0303a\u0323\u0306a\u0302a\u0302\u0300a\u0302\u0301a\u0302\u0309a\u0302\u0303a\u0323\u0302ee"
    "\u0300e\u0301e\u0309e\u0303e\u0323e\u0302e\u0302\u0300e\u0302\u0301e\u0302\u0309e\u0302\u0303e"
    "\u0323\u0302ii\u0300i\u0301i\u0309i\u0303i\u0323oo\u0300o\u0301o\u0309o\u0303o\u0323o\u0302o"
    "\u0302\u0300o\u0302\u0301o\u0302\u0309o\u0302\u0303o\u0323\u0302o\u031Bo\u031B\u0300o\u031B"
    "\u0301o\u031B\u0309o\u031B\u0303o\u031B\u0323uu\u0300u\u0301u\u0309u\u0303u\u0323u\u031Bu"
    "\u031B\u0300u\u031B\u0301u\u031B\u0309u\u031B\u0303u\u031B\u0323yy\u0300y\u0301y\u0309y\u0303y"
    "\u0323";
constexpr const char* kVowelsUpperNfd =
    "AA\u0300A\u0301A\u0309A\u0303A\u0323A\u0306A\u0306\u0300A\u0306\u0301A\u0306\u0309A\u0306"
    "\u0303A\u0323\u0306A\u0302A\u0302\u0300A\u0302\u0301A\u0302\u0309A\u0302\u0303A\u0323\u0302EE"
    "\u0300E\u0301E\u0309E\u0303E\u0323E\u0302E\u0302\u0300E\u0302\u0301E\u0302\u0309E\u0302\u0303E"
    "\u0323\u0302II\u0300I\u0301I\u0309I\u0303I\u0323OO\u0300O\u0301O\u0309O\u0303O\u0323O\u0302O"
    "\u0302\u0300O\u0302\u0301O\u0302\u0309O\u0302\u0303O\u0323\u0302O\u031BO\u031B\u0300O\u031B"
    "\u0301O\u031B\u0309O\u031B\u0303O\u031B\u0323UU\u0300U\u0301U\u0309U\u0303U\u0323U\u031BU"
    "\u031B\u0300U\u031B\u0301U\u031B\u0309U\u031B\u0303U\u031B\u0323YY\u0300Y\u0301Y\u0309Y\u0303Y"
    "\u0323";

TEST(ComposeNfc, ComposesEveryVietnameseVowel) {
  EXPECT_EQ(ComposeNfc(std::string(kVowelsLowerNfd)), kVowelsLower);
  EXPECT_EQ(ComposeNfc(std::string(kVowelsUpperNfd)), kVowelsUpper);
}

TEST(ComposeNfc, LeavesNfcTextAsItIs) {
  EXPECT_EQ(ComposeNfc(std::string(kVowelsLower)), kVowelsLower);
  EXPECT_EQ(ComposeNfc(std::string(kVowelsUpper)), kVowelsUpper);
  EXPECT_EQ(ComposeNfc(std::string("Điện Biên Phủ, đ Đ")), "Điện Biên Phủ, đ Đ");
  EXPECT_EQ(ComposeNfc(std::string("plain ASCII | 123")), "plain ASCII | 123");
  EXPECT_EQ(ComposeNfc(std::string("")), "");
}

TEST(ComposeNfc, MixedFormsAndMarkOrderCompose) {
  // Dot below (class 220) and circumflex or breve (230) are canonically equivalent
  // in either order; the horn (216) goes first.
  EXPECT_EQ(ComposeNfc(std::string("a\u0302\u0323")), "ậ");
  EXPECT_EQ(ComposeNfc(std::string("a\u0323\u0302")), "ậ");
  EXPECT_EQ(ComposeNfc(std::string("ạ\u0302")), "ậ");
  EXPECT_EQ(ComposeNfc(std::string("â\u0323")), "ậ");
  EXPECT_EQ(ComposeNfc(std::string("A\u0306\u0323")), "Ặ");
  EXPECT_EQ(ComposeNfc(std::string("o\u0323\u031B")), "ợ");
  EXPECT_EQ(ComposeNfc(std::string("ọ\u031B")), "ợ");
  EXPECT_EQ(ComposeNfc(std::string("ơ\u0323")), "ợ");
  EXPECT_EQ(ComposeNfc(std::string("u\u0301\u031B")), "ứ");
  EXPECT_EQ(ComposeNfc(std::string("U\u031B\u0303")), "Ữ");
  EXPECT_EQ(ComposeNfc(std::string("e\u0302\u0309")), "ể");
  EXPECT_EQ(ComposeNfc(std::string("LO\u0300 VA\u0306N A")), "LÒ VĂN A");
  EXPECT_EQ(ComposeNfc(std::string("Nguye\u0302\u0303n")), "Nguyễn");
}

TEST(ComposeNfc, KeepsMarksThatAreNotEquivalent) {
  // Tone before circumflex: both class 230, so the order is significant and this
  // is not ấ; only the first mark composes.
  EXPECT_EQ(ComposeNfc(std::string("a\u0301\u0302")), "á\u0302");
  // No precomposed ạ with acute: the acute stays a combining mark.
  EXPECT_EQ(ComposeNfc(std::string("a\u0323\u0301")), "ạ\u0301");
  EXPECT_EQ(ComposeNfc(std::string("e\u0323\u0301\u0302")), "ẹ\u0301\u0302");
  // A mark with no base letter stays.
  EXPECT_EQ(ComposeNfc(std::string("\u0301a")), "\u0301a");
  EXPECT_EQ(ComposeNfc(std::string("1\u0301")), "1\u0301");
}

TEST(ComposeNfc, OtherLatinLettersAndSingletons) {
  EXPECT_EQ(ComposeNfc(std::string("U\u0308\u0304")), "Ǖ");  // chained decomposition
  EXPECT_EQ(ComposeNfc(std::string("Ǖ")), "Ǖ");
  EXPECT_EQ(ComposeNfc(std::string("n\u0303c\u0327")), "ñç");
  EXPECT_EQ(ComposeNfc(std::string("a\u0340")), "à");  // U+0340 is a singleton for U+0300
  EXPECT_EQ(ComposeNfc(std::string("\u0344")), "\u0308\u0301");
}

TEST(ComposeNfc, OtherScriptsPassThrough) {
  EXPECT_EQ(ComposeNfc(std::string("Ωμέγα")), "Ωμέγα");
  // Out of scope: decomposed Hangul is not composed (documented in nfc.h).
  EXPECT_EQ(ComposeNfc(std::string("\u1100\u1161")), "\u1100\u1161");
}

TEST(ComposeNfc, MalformedBytesBecomeReplacementCharacters) {
  EXPECT_EQ(ComposeNfc(std::string("a\xFF"
                                   "b\xC3")),
            "a\uFFFD"
            "b\uFFFD");
  EXPECT_EQ(ComposeNfc(std::string("\xC0\xAF")), "\uFFFD\uFFFD");  // overlong '/'
}

TEST(CombiningClass, VietnameseMarks) {
  EXPECT_EQ(CombiningClass(0x0300), 230);
  EXPECT_EQ(CombiningClass(0x0301), 230);
  EXPECT_EQ(CombiningClass(0x0302), 230);
  EXPECT_EQ(CombiningClass(0x0303), 230);
  EXPECT_EQ(CombiningClass(0x0306), 230);
  EXPECT_EQ(CombiningClass(0x0309), 230);
  EXPECT_EQ(CombiningClass(0x031B), 216);
  EXPECT_EQ(CombiningClass(0x0323), 220);
  EXPECT_EQ(CombiningClass('a'), 0);
  EXPECT_EQ(CombiningClass(0x1EA1), 0);
}

TEST(LatinCompositions, SortedAndComplete) {
  ASSERT_EQ(internal::kLatinCompositionCount, 497u);
  for (size_t i = 1; i < internal::kLatinCompositionCount; ++i)
    EXPECT_LT(internal::kLatinCompositions[i - 1].composite,
              internal::kLatinCompositions[i].composite);
}

}  // namespace
}  // namespace hb::identity
