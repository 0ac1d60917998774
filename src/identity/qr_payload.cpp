#include "identity/qr_payload.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/hex.h"
#include "common/utf8.h"
#include "identity/code_points.h"

namespace hb::identity {

namespace {

Status Fail(std::string message) { return Status(ErrorCode::kMalformedCardQr, std::move(message)); }

bool IsEdgeJunk(char32_t cp) { return IsJunk(cp) || IsSpace(cp); }

}  // namespace

bool IsAllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::string> CleanScan(std::string_view raw) {
  std::u32string cps = DecodeUtf8(raw);
  size_t begin = 0, end = cps.size();
  auto trim = [&] {
    while (begin < end && IsEdgeJunk(cps[begin])) ++begin;
    while (end > begin && IsEdgeJunk(cps[end - 1])) --end;
  };
  trim();
  // AIM symbology identifier for QR Code: ']' 'Q' and a modifier digit.
  if (end - begin >= 3 && cps[begin] == ']' && cps[begin + 1] == 'Q' && cps[begin + 2] >= '0' &&
      cps[begin + 2] <= '9') {
    begin += 3;
    trim();
  }
  if (begin == end)
    return Fail("the payload is empty (nothing but white space or control characters)");
  std::u32string kept;
  kept.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    if (cps[i] == kReplacementChar)
      return Fail(
          fmt::format("the payload has malformed UTF-8 (or U+FFFD) at character {}: text was "
                      "damaged in transit",
                      i - begin + 1));
    if (!IsJunk(cps[i])) kept.push_back(cps[i]);
  }
  return EncodeUtf8(kept);
}

std::vector<std::string> SplitFields(std::string_view text, char separator) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(separator, start);
    if (pos == std::string_view::npos) {
      fields.emplace_back(text.substr(start));
      return fields;
    }
    fields.emplace_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

Result<std::string> DecodeHexUtf8(std::string_view hex, std::string_view what) {
  for (size_t i = 0; i < hex.size(); ++i) {
    if (HexDigitValue(hex[i]) < 0)
      return Fail(fmt::format("{} is not hex-encoded: character {} is '{}'", what, i + 1,
                              // Quote the whole UTF-8 sequence, not a lone byte of it.
                              EncodeUtf8(DecodeUtf8(hex.substr(i)).substr(0, 1))));
  }
  if (hex.size() % 2 != 0)
    return Fail(
        fmt::format("{} is not hex-encoded: odd number of hex digits ({})", what, hex.size()));
  std::string bytes = HexDecode(hex).value();  // every digit checked, the length even
  if (!IsValidUtf8(bytes))
    return Fail(fmt::format("{}: the hex decodes to bytes that are not UTF-8", what));
  return bytes;
}

}  // namespace hb::identity
