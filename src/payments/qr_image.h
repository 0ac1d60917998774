// QR code symbols for payment payloads, and their pictures as SVG or PNG.
//
// The symbol comes from libqrencode (byte mode, case-sensitive; the library may use numeric
// or alphanumeric segments where shorter, which scanners decode to the same text). The SVG
// is written here: one <path> of dark modules on a white square. The PNG is 8-bit greyscale
// through libpng's simplified API. Both keep the quiet zone of 4 modules that ISO/IEC 18004
// requires around the symbol, so a printed code scans without a frame.
//
// Contract: thread-safe (Debian builds libqrencode with pthread support). Errors:
// kInvalidArgument for text a QR code cannot hold (NUL bytes, too long for version 40 at the
// chosen level); kInternal when the library fails otherwise (out of memory, PNG encoding).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::payments {

// Error correction level. VietQR codes printed on invoices use Medium (15% of the symbol can
// be damaged) unless a logo is drawn over them.
enum class QrEcc { kLow, kMedium, kQuartile, kHigh };

struct QrMatrix {
  int size = 0;                  // modules per side, 21 (version 1) to 177 (version 40)
  std::vector<uint8_t> modules;  // row-major, 1 for dark

  bool Dark(int x, int y) const { return modules[static_cast<size_t>(y) * size + x] != 0; }
};

struct QrPicture {
  int module_px = 8;   // pixels (SVG user units) per module
  int quiet_zone = 4;  // light modules around the symbol
};

Result<QrMatrix> MakeQrMatrix(std::string_view text, QrEcc ecc = QrEcc::kMedium);

// A standalone SVG document (UTF-8, with XML declaration).
std::string QrSvg(const QrMatrix& qr, const QrPicture& picture = {});

// The bytes of a PNG file.
Result<std::string> QrPng(const QrMatrix& qr, const QrPicture& picture = {});

}  // namespace hb::payments
