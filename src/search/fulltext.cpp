#include "search/fulltext.h"

#include <charconv>

#include "common/utf8.h"
#include "search/text_fold.h"

namespace hb::search {

namespace {

bool WordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// Appends the words of `text` (folded) to `out`, one space before each but the first,
// while `out` stays within `limit` bytes.
void AppendWords(std::string_view text, std::string& out, size_t limit) {
  std::string folded = FoldText(text);
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !WordByte(static_cast<unsigned char>(folded[i]))) ++i;
    size_t start = i;
    while (i < folded.size() && WordByte(static_cast<unsigned char>(folded[i]))) ++i;
    size_t len = i - start;
    if (len == 0 || len > kMaxFullTextWord) continue;
    if (out.size() + len + 1 > limit) return;
    if (!out.empty()) out += ' ';
    out.append(folded, start, len);
  }
}

// Decodes the character reference at text[i] ('&'); returns the index after it, or i
// when it is not one (the '&' is then kept as text).
size_t DecodeReference(std::string_view text, size_t i, std::string& out) {
  size_t semi = text.find(';', i);
  if (semi == std::string_view::npos || semi - i > 12) return i;
  std::string_view name = text.substr(i + 1, semi - i - 1);
  if (name == "amp") {
    out += '&';
  } else if (name == "lt") {
    out += '<';
  } else if (name == "gt") {
    out += '>';
  } else if (name == "quot") {
    out += '"';
  } else if (name == "apos") {
    out += '\'';
  } else if (name == "nbsp") {
    out += ' ';
  } else if (name.size() > 1 && name[0] == '#') {
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    uint32_t cp = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    if (ec != std::errc() || end != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      out += ' ';
    } else {
      AppendUtf8(out, static_cast<char32_t>(cp));
    }
  } else {
    out += ' ';  // a named entity XHTML narratives may not use: a separator
  }
  return semi + 1;
}

// Appends the words of every string value under `v` (see fulltext.h for what is left out).
void ContentWords(const fhir::JsonValue& v, bool root, std::string& out) {
  if (out.size() >= kMaxFullTextBytes) return;
  if (v.IsObject()) {
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      std::string_view name(m->name.GetString(), m->name.GetStringLength());
      if (name == "reference" || name == "system" || name == "url" || name == "data" ||
          name == "meta" || name == "id" || name == "resourceType" || name == "div" ||
          name == "contentType" || name == "profile" || name == "fullUrl") {
        continue;
      }
      if (root && name == "text") continue;  // the narrative has its own column
      ContentWords(m->value, false, out);
    }
  } else if (v.IsArray()) {
    for (const fhir::JsonValue& item : v.GetArray()) ContentWords(item, false, out);
  } else if (fhir::IsString(v)) {
    AppendWords(fhir::StringView(v), out, kMaxFullTextBytes);
  }
}

}  // namespace

std::string FullTextWords(std::string_view text) {
  std::string out;
  AppendWords(text, out, kMaxFullTextBytes);
  return out;
}

std::string NarrativeText(std::string_view xhtml) {
  std::string out;
  out.reserve(xhtml.size());
  size_t i = 0;
  while (i < xhtml.size()) {
    char c = xhtml[i];
    if (c == '<') {
      // A tag, comment or CDATA marker: skip to its end ("-->" or "]]>" or ">").
      std::string_view end = ">";
      if (xhtml.substr(i, 4) == "<!--") end = "-->";
      if (xhtml.substr(i, 9) == "<![CDATA[") {  // character data as it is, up to "]]>"
        size_t close = xhtml.find("]]>", i + 9);
        if (close == std::string_view::npos) close = xhtml.size();
        out += ' ';
        out.append(xhtml.substr(i + 9, close - i - 9));
        out += ' ';
        i = close + 3;
        continue;
      }
      size_t close = xhtml.find(end, i + 1);
      if (close == std::string_view::npos) break;
      i = close + end.size();
      out += ' ';
    } else if (c == '&') {
      size_t next = DecodeReference(xhtml, i, out);
      if (next == i) {
        out += '&';
        ++i;
      } else {
        i = next;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

void AddFullText(const fhir::JsonValue& resource, IndexEntries* out) {
  out->narrative.clear();
  out->content.clear();
  if (!resource.IsObject()) return;
  if (const fhir::JsonValue* text = fhir::Member(resource, "text");
      text != nullptr && text->IsObject()) {
    if (const fhir::JsonValue* div = fhir::Member(*text, "div"); div && fhir::IsString(*div)) {
      AppendWords(NarrativeText(fhir::StringView(*div)), out->narrative, kMaxFullTextBytes);
    }
  }
  ContentWords(resource, true, out->content);
}

}  // namespace hb::search
