#include "identity/vietnamese_name.h"

#include <gtest/gtest.h>

#include "identity/code_points.h"

namespace hb::identity {
namespace {

TEST(NormalizeText, ComposesTrimsAndCollapses) {
  EXPECT_EQ(NormalizeText("  LO\u0300   VA\u0306N\tA \r\n"), "LÒ VĂN A");
  EXPECT_EQ(NormalizeText("Quàng\u00A0Thị\u3000B"), "Quàng Thị B");
  EXPECT_EQ(NormalizeText(std::string("L\0\u00D2", 4)), "LÒ");  // NUL dropped
  // Junk between a letter and its mark no longer blocks composition.
  EXPECT_EQ(NormalizeText("O\u200B\u0300"), "Ò");
  EXPECT_EQ(NormalizeText(" \t\r\n"), "");
  EXPECT_EQ(NormalizeText("\xEF\xBB\xBFNam"), "Nam");  // byte-order mark
}

TEST(FoldName, LowerCaseWithoutMarks) {
  EXPECT_EQ(FoldName("LÒ VĂN A"), "lo van a");
  EXPECT_EQ(FoldName("QUÀNG THỊ B"), "quang thi b");
  EXPECT_EQ(FoldName("Đặng Thị Đào"), "dang thi dao");
  EXPECT_EQ(FoldName("NGUYỄN ỨNG ƯỚC"), "nguyen ung uoc");
  EXPECT_EQ(FoldName("Giàng  A   Dính"), "giang a dinh");  // order kept, space collapsed
}

TEST(FoldName, NfcAndNfdFoldTheSame) {
  EXPECT_EQ(FoldName("LO\u0300 VA\u0306N A"), FoldName("LÒ VĂN A"));
  EXPECT_EQ(FoldName("Nguye\u0302\u0303n"), "nguyen");
  EXPECT_EQ(FoldName("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"),
            FoldName("AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴ"));
}

TEST(DisplayName, TitleCase) {
  EXPECT_EQ(DisplayName("LÒ VĂN A"), "Lò Văn A");
  EXPECT_EQ(DisplayName("QUÀNG THỊ B"), "Quàng Thị B");
  EXPECT_EQ(DisplayName("đặng văn đức"), "Đặng Văn Đức");
  EXPECT_EQ(DisplayName("VÀNG A DÍNH"), "Vàng A Dính");
  EXPECT_EQ(DisplayName("LƯỜNG THỊ ƠN"), "Lường Thị Ơn");
  EXPECT_EQ(DisplayName("ĐIÊU CHÍNH TƯỚI"), "Điêu Chính Tưới");
  EXPECT_EQ(DisplayName("H'MÔNG"), "H'Mông");
  EXPECT_EQ(DisplayName("trần-lê  ỨNG"), "Trần-Lê Ứng");
  EXPECT_EQ(DisplayName("  LO\u0300 VA\u0306N A "), "Lò Văn A");  // NFD in, NFC out
}

TEST(CaseMapping, EveryVietnameseLetter) {
  std::u32string lower =
      DecodeUtf8("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ");
  std::u32string upper =
      DecodeUtf8("AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ");
  ASSERT_EQ(lower.size(), upper.size());
  for (size_t i = 0; i < lower.size(); ++i) {
    EXPECT_EQ(ToLowerLatin(upper[i]), lower[i]) << i;
    EXPECT_EQ(ToUpperLatin(lower[i]), upper[i]) << i;
    EXPECT_TRUE(IsCasedLatin(lower[i])) << i;
  }
  EXPECT_EQ(ToLowerLatin(U'×'), U'×');
  EXPECT_EQ(ToUpperLatin(U'÷'), U'÷');
  EXPECT_EQ(ToUpperLatin(U'ÿ'), U'Ÿ');
  EXPECT_EQ(ToLowerLatin(U'İ'), U'i');
  EXPECT_EQ(ToUpperLatin(U'1'), U'1');
}

}  // namespace
}  // namespace hb::identity
