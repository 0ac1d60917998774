// encode()/decode() (base64, urlbase64, hex) and escape()/unescape() (html, json), from the
// FHIRPath 2.0 additional string functions (http://hl7.org/fhirpath/#additional-string-functions).
#include "common/base64.h"
#include "common/hex.h"
#include "common/xml_escape.h"
#include "fhirpath/functions.h"
#include "fhirpath/lexer.h"

namespace hb::fhirpath::internal {

namespace {

// FHIRPath's urlbase64 keeps the '=' padding; decode() takes either alphabet, padded or not.
constexpr Base64Format kUrlBase64{Base64Alphabet::kUrl, Base64Padding::kRequired};

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
      r = Base64Encode(s);
    else if (f == "urlbase64")
      r = Base64Encode(s, kUrlBase64);
    else if (f == "hex")
      r = HexEncode(s);
  } else if (name == "decode") {
    if (f == "base64" || f == "urlbase64")
      r = Base64Decode(s, kBase64Lenient);
    else if (f == "hex")
      r = HexDecode(s);
  } else if (name == "escape") {
    if (f == "html")
      r = HtmlEscaped(s);
    else if (f == "json")
      r = JsonEscape(s);
  } else {
    if (f == "html")
      r = XmlUnescaped(s);
    else if (f == "json")
      r = JsonUnescape(s);
  }
  return r;
}

Status Codec(Evaluator& ev, const Node& call, Span in, Collection& out) {
  // read in place (moving the optional Items out made GCC 12 see an uninitialised view)
  const Result<std::optional<Item>> input = InputString(call, in);
  if (!input.ok()) return input.status();
  const Result<std::optional<Item>> format = StringArg(ev, call, 0);
  if (!format.ok()) return format.status();
  if (!*input || !*format) return Status::Ok();
  std::optional<std::string> r = Transform(call.name, (*input)->string(), (*format)->string());
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
