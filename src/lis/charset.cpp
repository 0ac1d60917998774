#include "lis/charset.h"

#include "common/utf8.h"

#include <cctype>
#include <cstdint>

namespace hb::lis {

namespace {

std::string Upper(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Hex(unsigned char b) {
  static const char* kDigits = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

}  // namespace

Result<Charset> ParseCharset(std::string_view msh18) {
  // Senders pad with spaces and vary case; the meaning does not change.
  while (!msh18.empty() && msh18.front() == ' ') msh18.remove_prefix(1);
  while (!msh18.empty() && msh18.back() == ' ') msh18.remove_suffix(1);
  std::string v = Upper(msh18);
  if (v.empty() || v == "ASCII") return Charset::kAscii;
  if (v == "UNICODE UTF-8" || v == "UNICODE" || v == "UTF-8" || v == "UTF8") {
    return Charset::kUtf8;
  }
  if (v == "8859/1" || v == "ISO-8859-1" || v == "ISO8859-1") return Charset::kLatin1;
  return Status(ErrorCode::kMalformedHl7,
                "MSH-18 character set '" + std::string(msh18) +
                    "' is not supported (use UNICODE UTF-8, 8859/1 or ASCII)");
}

std::string_view CharsetName(Charset c) {
  switch (c) {
    case Charset::kAscii:
      return "";
    case Charset::kUtf8:
      return "UNICODE UTF-8";
    case Charset::kLatin1:
      return "8859/1";
  }
  return "";
}

Result<std::string> ToUtf8(std::string_view bytes, Charset c) {
  if (c == Charset::kLatin1) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char ch : bytes) {
      auto b = static_cast<unsigned char>(ch);
      AppendUtf8(out, b);  // Latin-1 bytes are the code points U+0000..U+00FF
    }
    return out;
  }
  size_t bad = FindInvalidUtf8(bytes);
  if (bad != std::string_view::npos) {
    std::string what =
        c == Charset::kUtf8 ? "MSH-18 declares UTF-8" : "MSH-18 declares no character set (ASCII)";
    return Status(ErrorCode::kMalformedHl7,
                  what + " but byte " + Hex(static_cast<unsigned char>(bytes[bad])) +
                      " at offset " + std::to_string(bad) + " is not UTF-8");
  }
  return std::string(bytes);
}

Result<std::string> FromUtf8(std::string_view text, Charset c) {
  if (c != Charset::kLatin1) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      out += text[i];
    } else if ((b == 0xC2 || b == 0xC3) && i + 1 < text.size()) {
      out += static_cast<char>(((b & 0x03) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F));
    } else {
      return Status(ErrorCode::kInvalidArgument,
                    "character at offset " + std::to_string(i) + " has no code in 8859/1");
    }
  }
  return out;
}

}  // namespace hb::lis
