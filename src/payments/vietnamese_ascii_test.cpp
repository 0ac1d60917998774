#include "payments/vietnamese_ascii.h"

#include <gtest/gtest.h>

namespace hb::payments {
namespace {

std::string Fold(std::string_view text) {
  auto r = FoldVietnameseToAscii(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::string();
}

TEST(VietnameseAscii, EveryVowelWithEveryMark) {
  EXPECT_EQ(Fold("aàáảãạăằắẳẵặâầấẩẫậ"), std::string(18, 'a'));
  EXPECT_EQ(Fold("AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"), std::string(18, 'A'));
  EXPECT_EQ(Fold("eèéẻẽẹêềếểễệ"), std::string(12, 'e'));
  EXPECT_EQ(Fold("EÈÉẺẼẸÊỀẾỂỄỆ"), std::string(12, 'E'));
  EXPECT_EQ(Fold("iìíỉĩị"), std::string(6, 'i'));
  EXPECT_EQ(Fold("IÌÍỈĨỊ"), std::string(6, 'I'));
  EXPECT_EQ(Fold("oòóỏõọôồốổỗộơờớởỡợ"), std::string(18, 'o'));
  EXPECT_EQ(Fold("OÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"), std::string(18, 'O'));
  EXPECT_EQ(Fold("uùúủũụưừứửữự"), std::string(12, 'u'));
  EXPECT_EQ(Fold("UÙÚỦŨỤƯỪỨỬỮỰ"), std::string(12, 'U'));
  EXPECT_EQ(Fold("yỳýỷỹỵ"), std::string(6, 'y'));
  EXPECT_EQ(Fold("YỲÝỶỸỴ"), std::string(6, 'Y'));
}

TEST(VietnameseAscii, DBecomesD) {
  EXPECT_EQ(Fold("đĐ"), "dD");
  EXPECT_EQ(Fold("Điện Biên Phủ"), "Dien Bien Phu");
  EXPECT_EQ(Fold("\xC3\x90"), "D");  // Ð from legacy encodings
}

TEST(VietnameseAscii, Sentences) {
  EXPECT_EQ(Fold("Thanh toán viện phí đợt 2"), "Thanh toan vien phi dot 2");
  EXPECT_EQ(Fold("Lò Văn Ơn, Quàng Thị Hoa, Giàng A Dính"),
            "Lo Van On, Quang Thi Hoa, Giang A Dinh");
  EXPECT_EQ(Fold("ủng hộ lũ lụt"), "ung ho lu lut");
  EXPECT_EQ(Fold("plain ASCII 0-9 !?"), "plain ASCII 0-9 !?");
  EXPECT_EQ(Fold(""), "");
}

TEST(VietnameseAscii, DecomposedInput) {
  // "Việt" as NFD: V i e + circumflex (U+0302) + dot below (U+0323) t.
  EXPECT_EQ(Fold("Vie\xCC\x82\xCC\xA3t"), "Viet");
  // "ướ" with horn (U+031B) and acute (U+0301).
  EXPECT_EQ(Fold("u\xCC\x9B\xCC\x81o\xCC\x9B\xCC\x81"), "uo");
}

TEST(VietnameseAscii, OtherScriptsAreRejectedWithTheCharacter) {
  auto r = FoldVietnameseToAscii("chuyển 中文");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("U+4E2D"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("character 7"), std::string::npos) << r.status().message();

  r = FoldVietnameseToAscii("cảm ơn 😀");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("U+1F600"), std::string::npos) << r.status().message();

  // Non-Vietnamese Latin letters are not guessed at either.
  EXPECT_FALSE(FoldVietnameseToAscii("Müller").ok());
}

TEST(VietnameseAscii, InvalidUtf8) {
  auto r = FoldVietnameseToAscii("abc\xC3");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("UTF-8"), std::string::npos);
}

}  // namespace
}  // namespace hb::payments
