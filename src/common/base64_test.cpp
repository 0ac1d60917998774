#include "common/base64.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

// RFC 4648 §10 test vectors.
TEST(Base64, EncodesTheRfcVectors) {
  const std::pair<std::string_view, std::string_view> kVectors[] = {{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded) << plain;
    auto back = Base64Decode(encoded);
    ASSERT_TRUE(back) << encoded;
    EXPECT_EQ(*back, plain);
  }
}

TEST(Base64, UrlAlphabetWithoutPadding) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64Encode(bytes, kBase64UrlCanonical), "-_-_");
  EXPECT_EQ(Base64Encode("f", kBase64UrlCanonical), "Zg");
  EXPECT_EQ(*Base64Decode("Zg", kBase64UrlCanonical), "f");
  EXPECT_FALSE(Base64Decode("Zg==", kBase64UrlCanonical));  // no padding in this format
  EXPECT_FALSE(Base64Decode("+/+/", kBase64UrlCanonical));  // the other alphabet
  EXPECT_FALSE(Base64Decode("-_-_"));                       // and the reverse
  EXPECT_FALSE(Base64Decode("Zh", kBase64UrlCanonical));    // non-zero trailing bits
}

TEST(Base64, BinaryRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n = 0; n <= all.size(); n += 37) {
    const std::string part = all.substr(0, n);
    EXPECT_EQ(*Base64Decode(Base64Encode(part)), part);
    EXPECT_EQ(*Base64Decode(Base64Encode(part, kBase64UrlCanonical), kBase64UrlCanonical), part);
  }
}

TEST(Base64, StandardFormRefusesWhatIsNotBase64) {
  EXPECT_FALSE(Base64Decode("abc"));         // padding missing
  EXPECT_FALSE(Base64Decode("Zg="));         // padding short
  EXPECT_FALSE(Base64Decode("Zg==="));       // padding long
  EXPECT_FALSE(Base64Decode("Zm9v\nYg=="));  // whitespace
  EXPECT_FALSE(Base64Decode("Zg==Zg=="));    // '=' in the middle
  EXPECT_FALSE(Base64Decode("Zm9v*g=="));    // outside the alphabet
  EXPECT_FALSE(Base64Decode("Zm9vY"));       // no encoding is 4n+1 long
}

TEST(Base64, MimeSkipsLineBreaks) {
  EXPECT_EQ(*Base64Decode("YWJj\nZA==", kBase64Mime), "abcd");
  EXPECT_EQ(*Base64Decode(" Zm9v\r\nYmFy\t", kBase64Mime), "foobar");
  EXPECT_FALSE(Base64Decode("abc", kBase64Mime));
}

TEST(Base64, LenientTakesEitherAlphabetAndOptionalPadding) {
  EXPECT_EQ(*Base64Decode("Zg", kBase64Lenient), "f");
  EXPECT_EQ(*Base64Decode("Zg==", kBase64Lenient), "f");
  EXPECT_EQ(*Base64Decode("-_-_", kBase64Lenient), std::string("\xfb\xff\xbf", 3));
  EXPECT_EQ(*Base64Decode("+/-_", kBase64Lenient), std::string("\xfb\xff\xbf", 3));
  EXPECT_FALSE(Base64Decode("Zg=", kBase64Lenient));  // padding, but not the right amount
  EXPECT_FALSE(Base64Decode("Z", kBase64Lenient));
}

}  // namespace
}  // namespace hb
