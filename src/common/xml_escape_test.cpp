#include "common/xml_escape.h"

#include <gtest/gtest.h>

namespace hb {
namespace {

TEST(XmlEscape, EscapesTheFourMarkupCharacters) {
  EXPECT_EQ(XmlEscaped("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
  EXPECT_EQ(XmlEscaped("it's Lò Văn"), "it's Lò Văn");  // apostrophe and UTF-8 unchanged
  std::string out = "<x>";
  AppendXmlEscaped(out, "1 < 2");
  EXPECT_EQ(out, "<x>1 &lt; 2");
}

TEST(XmlEscape, HtmlAlsoEscapesTheApostrophe) {
  EXPECT_EQ(HtmlEscaped("it's <b>"), "it&#39;s &lt;b&gt;");
  std::string out;
  AppendHtmlEscaped(out, "'&'");
  EXPECT_EQ(out, "&#39;&amp;&#39;");
}

TEST(XmlEscape, UnescapesWhatEitherWrote) {
  const std::string text = "a<b & \"c\"> it's";
  EXPECT_EQ(XmlUnescaped(XmlEscaped(text)), text);
  EXPECT_EQ(XmlUnescaped(HtmlEscaped(text)), text);
  EXPECT_EQ(XmlUnescaped("&apos;&amp;amp;"), "'&amp;");
  EXPECT_EQ(XmlUnescaped("AT&T &copy; &"), "AT&T &copy; &");  // unknown entities stay
}

}  // namespace
}  // namespace hb
