#include "lis/escape.h"

#include <gtest/gtest.h>

#include "lis/charset.h"
#include "lis/delimiters.h"

namespace hb::lis {
namespace {

const Delimiters kStd;

TEST(EscapeTest, DelimitersDecodeAndEncode) {
  EXPECT_EQ(Unescape(R"(A\S\G \T\ x\F\y \E\ z \R\ w)", kStd, Charset::kUtf8), "A^G & x|y \\ z ~ w");
  EXPECT_EQ(Escape("A^G & x|y \\ z ~ w", kStd), R"(A\S\G \T\ x\F\y \E\ z \R\ w)");
}

TEST(EscapeTest, CustomDelimitersUseTheirOwnEscapes) {
  Delimiters d{'^', '~', '|', '!', '&', '\0'};
  EXPECT_EQ(Unescape("a!F!b!S!c!R!d!E!", d, Charset::kUtf8), "a^b~c|d!");
  EXPECT_EQ(Escape("a^b~c|d!", d), "a!F!b!S!c!R!d!E!");
}

TEST(EscapeTest, HexIsBytesInTheCharset) {
  EXPECT_EQ(Unescape(R"(MIC \X3C\=1)", kStd, Charset::kUtf8), "MIC <=1");
  EXPECT_EQ(Unescape(R"(a\X0D0A\b)", kStd, Charset::kUtf8), "a\r\nb");
  EXPECT_EQ(Unescape(R"(R\XE9\sultat)", kStd, Charset::kLatin1), "R\xC3\xA9sultat");
  EXPECT_EQ(Unescape(R"(\XC3A9\)", kStd, Charset::kUtf8), "\xC3\xA9");
}

TEST(EscapeTest, FormattingCommands) {
  EXPECT_EQ(Unescape(R"(a\.br\b)", kStd, Charset::kUtf8), "a\nb");
  EXPECT_EQ(Unescape(R"(a\.sp 2\b)", kStd, Charset::kUtf8), "a\n\nb");
  EXPECT_EQ(Unescape(R"(a\.sp\b)", kStd, Charset::kUtf8), "a\nb");
  EXPECT_EQ(Unescape(R"(a\.sk 3\b)", kStd, Charset::kUtf8), "a   b");
  EXPECT_EQ(Unescape(R"(\.fi\\.in 4\a\.ce\b)", kStd, Charset::kUtf8), "a\nb");
  EXPECT_EQ(Unescape(R"(\H\bold\N\ plain)", kStd, Charset::kUtf8), "bold plain");
  EXPECT_EQ(Unescape(R"(a\.sp 99999\b)", kStd, Charset::kUtf8).size(), 102u) << "capped at 100";
}

TEST(EscapeTest, UnknownAndCharsetSwitchesStayVerbatim) {
  EXPECT_EQ(Unescape(R"(a\Zlocal\b)", kStd, Charset::kUtf8), R"(a\Zlocal\b)");
  EXPECT_EQ(Unescape(R"(\C2842\x)", kStd, Charset::kUtf8), R"(\C2842\x)");
  EXPECT_EQ(Unescape(R"(\P\)", kStd, Charset::kUtf8), R"(\P\)") << "no truncation char declared";
  Delimiters v27 = kStd;
  v27.truncation = '#';
  EXPECT_EQ(Unescape(R"(\P\)", v27, Charset::kUtf8), "#");
  EXPECT_EQ(Escape("a#b", v27), R"(a\P\b)");
  EXPECT_EQ(Escape("a#b", kStd), "a#b");
}

TEST(EscapeTest, LineBreaksAndControlsAreEscapedOnWrite) {
  EXPECT_EQ(Escape("dòng 1\ndòng 2\r\ndòng 3", kStd), R"(dòng 1\.br\dòng 2\.br\dòng 3)");
  EXPECT_EQ(Escape("a\rb\x01\tc", kStd), "a\\X0D\\b\\X01\\\tc");
  EXPECT_EQ(Unescape(Escape("a\rb\nc^d", kStd), kStd, Charset::kUtf8), "a\rb\nc^d");
}

TEST(EscapeTest, CheckAcceptsSoundSequences) {
  EXPECT_TRUE(CheckEscapes(R"(A\S\B\E\\E\x\X0D0A\\.sp 2\)", kStd, Charset::kUtf8).ok());
  EXPECT_TRUE(CheckEscapes("no escapes at all", kStd, Charset::kUtf8).ok());
  EXPECT_TRUE(CheckEscapes(R"(\XE9\)", kStd, Charset::kLatin1).ok());
}

TEST(EscapeTest, CheckRefusesUnterminated) {
  Status s = CheckEscapes(R"(xem \H in đậm)", kStd, Charset::kUtf8);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kMalformedHl7);
  EXPECT_EQ(s.message(), "unterminated escape sequence starting at character 5");
  // A component separator ends the value before the closing escape character.
  EXPECT_FALSE(CheckEscapes(R"(a\S^b\)", kStd, Charset::kUtf8).ok());
  EXPECT_FALSE(CheckEscapes("trailing\\", kStd, Charset::kUtf8).ok());
}

TEST(EscapeTest, CheckRefusesEmptyAndBadHex) {
  EXPECT_NE(CheckEscapes(R"(a\\b)", kStd, Charset::kUtf8).message().find("empty escape"),
            std::string::npos);
  EXPECT_NE(CheckEscapes(R"(\X3\)", kStd, Charset::kUtf8).message().find("even number"),
            std::string::npos);
  EXPECT_NE(CheckEscapes(R"(\XZZ\)", kStd, Charset::kUtf8).message().find("hex"),
            std::string::npos);
  EXPECT_NE(CheckEscapes(R"(\XE9\)", kStd, Charset::kUtf8).message().find("not UTF-8"),
            std::string::npos);
}

TEST(CharsetTest, Names) {
  EXPECT_EQ(*ParseCharset("UNICODE UTF-8"), Charset::kUtf8);
  EXPECT_EQ(*ParseCharset(" unicode utf-8 "), Charset::kUtf8);
  EXPECT_EQ(*ParseCharset("UNICODE"), Charset::kUtf8);
  EXPECT_EQ(*ParseCharset("8859/1"), Charset::kLatin1);
  EXPECT_EQ(*ParseCharset(""), Charset::kAscii);
  EXPECT_EQ(*ParseCharset("ASCII"), Charset::kAscii);
  auto bad = ParseCharset("ISO IR87");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'ISO IR87' is not supported"), std::string::npos);
}

TEST(CharsetTest, Conversion) {
  EXPECT_EQ(*ToUtf8("Dupr\xE9", Charset::kLatin1), "Dupr\xC3\xA9");
  EXPECT_EQ(*FromUtf8("Dupr\xC3\xA9", Charset::kLatin1), "Dupr\xE9");
  EXPECT_EQ(*ToUtf8("Nguyễn", Charset::kAscii), "Nguyễn") << "undeclared UTF-8 is accepted";
  auto bad = ToUtf8("ab\xE9", Charset::kUtf8);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("byte 0xE9 at offset 2"), std::string::npos);
  EXPECT_FALSE(FromUtf8("Nguyễn", Charset::kLatin1).ok()) << "ễ has no 8859/1 code";
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u) << "overlong";
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u) << "surrogate";
  EXPECT_EQ(FindInvalidUtf8("Điện Biên"), std::string_view::npos);
}

TEST(DelimitersTest, ReadsAndRefuses) {
  auto d = ReadDelimiters("MSH|^~\\&|LAB");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, Delimiters{});
  auto custom = ReadDelimiters("MSH^~|\\&^LAB");
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->field, '^');
  EXPECT_EQ(custom->component, '~');
  EXPECT_EQ(custom->repetition, '|');
  auto v27 = ReadDelimiters("MSH|^~\\&#|LAB");
  ASSERT_TRUE(v27.ok());
  EXPECT_EQ(v27->truncation, '#');
  EXPECT_EQ(HeaderPrefixLength(*v27), 9u);

  DelimiterError why;
  EXPECT_FALSE(ReadDelimiters("MSH", &why).ok());
  EXPECT_EQ(why, DelimiterError::kTooShort);
  EXPECT_FALSE(ReadDelimiters("MSH|^~|A", &why).ok());
  EXPECT_EQ(why, DelimiterError::kMissingEncodingCharacters);
  EXPECT_FALSE(ReadDelimiters("MSH|^~\\&#!|A", &why).ok());
  EXPECT_EQ(why, DelimiterError::kTooManyEncodingCharacters);
  EXPECT_FALSE(ReadDelimiters("MSH|^~\\^|A", &why).ok());
  EXPECT_EQ(why, DelimiterError::kDuplicate);
  EXPECT_FALSE(ReadDelimiters("MSH|^~\\~|A", &why).ok());
  EXPECT_EQ(why, DelimiterError::kDuplicate) << "subcomponent equal to repetition";
  EXPECT_FALSE(ReadDelimiters("MSH|^~A&|A", &why).ok());
  EXPECT_EQ(why, DelimiterError::kUnusable);
  EXPECT_FALSE(ReadDelimiters("MSH ^~\\&", &why).ok());
  EXPECT_EQ(why, DelimiterError::kUnusable);
}

}  // namespace
}  // namespace hb::lis
