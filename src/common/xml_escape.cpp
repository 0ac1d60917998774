#include "common/xml_escape.h"

#include <utility>

namespace hb {

namespace {

void Append(std::string& out, std::string_view text, bool apostrophe) {
  out.reserve(out.size() + text.size());
  for (char c : text) {
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
        if (apostrophe) {
          out += "&#39;";
          break;
        }
        [[fallthrough]];
      default:
        out += c;
    }
  }
}

}  // namespace

void AppendXmlEscaped(std::string& out, std::string_view text) { Append(out, text, false); }

std::string XmlEscaped(std::string_view text) {
  std::string out;
  Append(out, text, false);
  return out;
}

void AppendHtmlEscaped(std::string& out, std::string_view text) { Append(out, text, true); }

std::string HtmlEscaped(std::string_view text) {
  std::string out;
  Append(out, text, true);
  return out;
}

std::string XmlUnescaped(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
      {"&quot;", '"'}, {"&apos;", '\''}, {"&#39;", '\''}};
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, ch] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out += ch;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

}  // namespace hb
