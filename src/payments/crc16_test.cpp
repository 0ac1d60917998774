#include "payments/crc16.h"

#include <gtest/gtest.h>

namespace hb::payments {
namespace {

TEST(Crc16, CheckValueOfCcittFalse) {
  EXPECT_EQ(Crc16CcittFalse("123456789"), 0x29B1);
  EXPECT_EQ(Crc16Hex("123456789"), "29B1");
}

TEST(Crc16, EmptyInputIsTheInitialValue) { EXPECT_EQ(Crc16Hex(""), "FFFF"); }

TEST(Crc16, NotTheReflectedVariant) {
  // CRC-16/KERMIT, the reflected CRC some libraries use by mistake, gives 2189 here.
  EXPECT_NE(Crc16Hex("123456789"), "2189");
}

TEST(Crc16, HexIsUppercaseAndZeroPadded) {
  for (int i = 0; i < 2000; ++i) {
    const std::string hex = Crc16Hex(std::to_string(i) + "x");
    ASSERT_EQ(hex.size(), 4u);
    for (char c : hex) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) << hex;
  }
  // Some input must give a CRC below 0x1000 in 2000 tries; check its padding directly.
  bool padded = false;
  for (int i = 0; i < 2000 && !padded; ++i) {
    const std::string text = std::to_string(i) + "x";
    if (Crc16CcittFalse(text) < 0x1000) {
      EXPECT_EQ(Crc16Hex(text)[0], '0');
      padded = true;
    }
  }
  EXPECT_TRUE(padded);
}

TEST(Crc16, PublishedVietQrPayload) {
  // The CRC covers everything before its 4 hex digits, "6304" included.
  EXPECT_EQ(Crc16Hex("00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA"
                     "53037045802VN6304"),
            "CBB4");
}

}  // namespace
}  // namespace hb::payments
