// Escaping text written into XML or HTML by hand (documents built as strings, which is
// several times faster than building a DOM).
//
// Contract: pure functions, thread-safe; bytes other than the escaped ones pass unchanged
// (UTF-8 stays UTF-8).
#pragma once

#include <string>
#include <string_view>

namespace hb {

// & < > " as &amp; &lt; &gt; &quot;: safe in element content and in double-quoted
// attribute values, of XML and HTML alike.
void AppendXmlEscaped(std::string& out, std::string_view text);
std::string XmlEscaped(std::string_view text);

// The same and ' as &#39;: safe in single-quoted HTML attributes too (FHIRPath escape('html')).
void AppendHtmlEscaped(std::string& out, std::string_view text);
std::string HtmlEscaped(std::string_view text);

// The reverse of both, for the five predefined XML entities and &#39;; any other '&' stays.
std::string XmlUnescaped(std::string_view text);

}  // namespace hb
