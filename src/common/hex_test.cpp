#include "common/hex.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

TEST(Hex, EncodesEachByteAsTwoDigits) {
  EXPECT_EQ(HexEncode("Lò"), "4cc3b2");
  EXPECT_EQ(HexEncode("Lò", HexCase::kUpper), "4CC3B2");
  EXPECT_EQ(HexEncode(std::string("\0\xff", 2)), "00ff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(Hex, DecodesEitherCaseAndRefusesWhatIsNotHex) {
  EXPECT_EQ(HexDecode("4cC3B2").value_or("?"), "Lò");
  EXPECT_EQ(HexDecode("").value_or("?"), "");
  EXPECT_FALSE(HexDecode("4cc"));  // odd length
  EXPECT_FALSE(HexDecode("4g"));
  EXPECT_EQ(HexDigitValue('f'), 15);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(HexDecode(HexEncode(all)).value_or(""), all);
}

}  // namespace
}  // namespace hb
