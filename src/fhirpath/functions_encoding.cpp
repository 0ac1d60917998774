// encode()/decode() (base64, urlbase64, hex) and escape()/unescape() (html, json), from the
// FHIRPath 2.0 additional string functions (http://hl7.org/fhirpath/#additional-string-functions).
#include "fhirpath/functions.h"
#include "fhirpath/lexer.h"

namespace hb::fhirpath::internal {

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64Encode(std::string_view in, const char* alphabet) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string HexEncode(std::string_view in) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : in) {
    out += kHex[static_cast<uint8_t>(c) >> 4];
    out += kHex[static_cast<uint8_t>(c) & 15];
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view in) {
  if (in.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < in.size(); i += 2) {
    int hi = nibble(in[i]), lo = nibble(in[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string HtmlEscape(std::string_view in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlUnescape(std::string_view in) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
      {"&quot;", '"'}, {"&apos;", '\''}, {"&#39;", '\''}};
  std::string out;
  for (size_t i = 0; i < in.size();) {
    bool done = false;
    for (const auto& [entity, ch] : kEntities) {
      if (in.substr(i, entity.size()) == entity) {
        out += ch;
        i += entity.size();
        done = true;
        break;
      }
    }
    if (!done) out += in[i++];
  }
  return out;
}

std::string JsonEscape(std::string_view in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string JsonUnescape(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    out += in[i] == '\\' && i + 1 < in.size() ? UnescapeChar(in[++i]) : in[i];
  }
  return out;
}

std::optional<std::string> Transform(std::string_view name, std::string_view s,
                                     std::string_view f) {
  std::optional<std::string> r;
  if (name == "encode") {
    if (f == "base64")
      r = Base64Encode(s, kBase64);
    else if (f == "urlbase64")
      r = Base64Encode(s, kBase64Url);
    else if (f == "hex")
      r = HexEncode(s);
  } else if (name == "decode") {
    if (f == "base64" || f == "urlbase64")
      r = Base64Decode(s);
    else if (f == "hex")
      r = HexDecode(s);
  } else if (name == "escape") {
    if (f == "html")
      r = HtmlEscape(s);
    else if (f == "json")
      r = JsonEscape(s);
  } else {
    if (f == "html")
      r = HtmlUnescape(s);
    else if (f == "json")
      r = JsonUnescape(s);
  }
  return r;
}

Status Codec(Evaluator& ev, const Node& call, Span in, Collection& out) {
  HB_ASSIGN_OR_RETURN(std::optional<Item> input, InputString(call, in));
  HB_ASSIGN_OR_RETURN(std::optional<Item> format, StringArg(ev, call, 0));
  if (!input || !format) return Status::Ok();
  std::optional<std::string> r = Transform(call.name, input->string(), format->string());
  if (r) out.push_back(Item::OwnedString(std::move(*r)));
  return Status::Ok();
}

constexpr FunctionDef kFunctions[] = {
    {"encode", 1, 1, Codec},
    {"decode", 1, 1, Codec},
    {"escape", 1, 1, Codec},
    {"unescape", 1, 1, Codec},
};

}  // namespace

std::span<const FunctionDef> EncodingFunctions() { return kFunctions; }

}  // namespace hb::fhirpath::internal
