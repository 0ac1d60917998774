#include "payments/qr_image.h"

#include <png.h>
#include <qrencode.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace hb::payments {

namespace {

QRecLevel Level(QrEcc ecc) {
  switch (ecc) {
    case QrEcc::kLow:
      return QR_ECLEVEL_L;
    case QrEcc::kMedium:
      return QR_ECLEVEL_M;
    case QrEcc::kQuartile:
      return QR_ECLEVEL_Q;
    case QrEcc::kHigh:
      return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

}  // namespace

Result<QrMatrix> MakeQrMatrix(std::string_view text, QrEcc ecc) {
  if (text.find('\0') != std::string_view::npos) {
    return Status(ErrorCode::kInvalidArgument, "QR text must not contain NUL bytes");
  }
  const std::string c_text(text);  // libqrencode wants a NUL-terminated string
  errno = 0;
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(c_text.c_str(), 0, Level(ecc), QR_MODE_8, 1), &QRcode_free);
  if (code == nullptr) {
    if (errno == ERANGE || errno == EINVAL) {
      return Status(ErrorCode::kInvalidArgument,
                    "text of " + std::to_string(text.size()) +
                        " bytes does not fit a QR code at this error-correction level");
    }
    return Status(ErrorCode::kInternal, "libqrencode failed (errno " + std::to_string(errno) + ")");
  }
  QrMatrix qr;
  qr.size = code->width;
  qr.modules.resize(static_cast<size_t>(qr.size) * qr.size);
  // Bit 0 of each libqrencode byte is the colour; the other bits describe module roles.
  for (size_t i = 0; i < qr.modules.size(); ++i) qr.modules[i] = code->data[i] & 1;
  return qr;
}

std::string QrSvg(const QrMatrix& qr, const QrPicture& picture) {
  const int side = qr.size + 2 * picture.quiet_zone;
  const std::string px = std::to_string(side * picture.module_px);
  const std::string units = std::to_string(side);
  std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
      px + "\" height=\"" + px + "\" viewBox=\"0 0 " + units + " " + units +
      "\" shape-rendering=\"crispEdges\">\n"
      "<rect width=\"" +
      units + "\" height=\"" + units +
      "\" fill=\"#ffffff\"/>\n"
      "<path fill=\"#000000\" d=\"";
  // One rectangle per horizontal run of dark modules keeps the file small (a VietQR symbol
  // has ~600 dark modules but ~250 runs).
  for (int y = 0; y < qr.size; ++y) {
    int x = 0;
    while (x < qr.size) {
      if (!qr.Dark(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < qr.size && qr.Dark(x + run, y)) ++run;
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "M" + std::string.
      svg += 'M';
      svg += std::to_string(x + picture.quiet_zone);
      svg += ' ';
      svg += std::to_string(y + picture.quiet_zone);
      svg += 'h';
      svg += std::to_string(run);
      svg += "v1h-";
      svg += std::to_string(run);
      svg += 'z';
      x += run;
    }
  }
  svg += "\"/>\n</svg>\n";
  return svg;
}

Result<std::string> QrPng(const QrMatrix& qr, const QrPicture& picture) {
  const int side = (qr.size + 2 * picture.quiet_zone) * picture.module_px;
  std::vector<uint8_t> pixels(static_cast<size_t>(side) * side, 0xFF);
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size; ++x) {
      if (!qr.Dark(x, y)) continue;
      const int top = (y + picture.quiet_zone) * picture.module_px;
      const int left = (x + picture.quiet_zone) * picture.module_px;
      for (int dy = 0; dy < picture.module_px; ++dy) {
        std::fill_n(pixels.begin() + static_cast<size_t>(top + dy) * side + left, picture.module_px,
                    0);
      }
    }
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(side);
  image.height = static_cast<png_uint_32>(side);
  image.format = PNG_FORMAT_GRAY;
  // The simplified API sizes the output on a first call without a buffer.
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr)) {
    std::string message = image.message;
    png_image_free(&image);
    return Status(ErrorCode::kInternal, "PNG encoding failed: " + message);
  }
  std::string png(size, '\0');
  if (!png_image_write_to_memory(&image, png.data(), &size, 0, pixels.data(), 0, nullptr)) {
    std::string message = image.message;
    png_image_free(&image);
    return Status(ErrorCode::kInternal, "PNG encoding failed: " + message);
  }
  png.resize(size);
  return png;
}

}  // namespace hb::payments
