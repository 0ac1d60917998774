#include "payments/qr_image.h"

#include <gtest/gtest.h>

namespace hb::payments {
namespace {

constexpr std::string_view kPayload =
    "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802"
    "VN62200816test text string6304D9C6";

TEST(QrImage, MatrixHasFinderPatterns) {
  auto qr = MakeQrMatrix(kPayload);
  ASSERT_TRUE(qr.ok()) << qr.status().ToString();
  EXPECT_GE(qr->size, 21);
  EXPECT_LE(qr->size, 177);
  EXPECT_EQ((qr->size - 17) % 4, 0);  // 4 * version + 17
  EXPECT_EQ(qr->modules.size(), static_cast<size_t>(qr->size * qr->size));
  // The three 7x7 finder patterns: dark ring, light ring, dark 3x3 core.
  for (auto [ox, oy] : {std::pair{0, 0}, std::pair{qr->size - 7, 0}, std::pair{0, qr->size - 7}}) {
    for (int i = 0; i < 7; ++i) {
      EXPECT_TRUE(qr->Dark(ox + i, oy));
      EXPECT_TRUE(qr->Dark(ox + i, oy + 6));
      EXPECT_TRUE(qr->Dark(ox, oy + i));
      EXPECT_TRUE(qr->Dark(ox + 6, oy + i));
    }
    EXPECT_FALSE(qr->Dark(ox + 1, oy + 1));
    EXPECT_TRUE(qr->Dark(ox + 3, oy + 3));
  }
  // A higher error-correction level needs at least as large a symbol.
  auto high = MakeQrMatrix(kPayload, QrEcc::kHigh);
  ASSERT_TRUE(high.ok());
  EXPECT_GE(high->size, qr->size);
}

TEST(QrImage, Svg) {
  auto qr = MakeQrMatrix(kPayload);
  ASSERT_TRUE(qr.ok());
  const std::string svg = QrSvg(*qr, QrPicture{4, 4});
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0), 0u);
  const std::string side = std::to_string(qr->size + 8);
  EXPECT_NE(svg.find("viewBox=\"0 0 " + side + " " + side + "\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"" + std::to_string((qr->size + 8) * 4) + "\""), std::string::npos);
  EXPECT_NE(svg.find("M4 4h7v1h-7z"), std::string::npos);  // top row of the first finder
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

TEST(QrImage, Png) {
  auto qr = MakeQrMatrix(kPayload);
  ASSERT_TRUE(qr.ok());
  auto png = QrPng(*qr, QrPicture{3, 4});
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  const auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<uint8_t>((*png)[at])) << 24) |
           (static_cast<uint32_t>(static_cast<uint8_t>((*png)[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<uint8_t>((*png)[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<uint8_t>((*png)[at + 3]));
  };
  const uint32_t side = static_cast<uint32_t>((qr->size + 8) * 3);
  EXPECT_EQ(be32(16), side);  // width
  EXPECT_EQ(be32(20), side);  // height
}

TEST(QrImage, TextThatCannotBeEncoded) {
  auto nul = MakeQrMatrix(std::string_view("a\0b", 3));
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().code(), ErrorCode::kInvalidArgument);
  auto huge = MakeQrMatrix(std::string(8000, 'x'));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace hb::payments
