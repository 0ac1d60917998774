#include "search/fulltext.h"

#include <gtest/gtest.h>

#include "search/indexer.h"
#include "search/query_parser.h"

namespace hb::search {
namespace {

fhir::JsonDoc Parse(std::string_view s) {
  auto d = fhir::ParseJson(s);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return std::move(d).value();
}

TEST(FullTextWords, FoldsAndSplitsLikeStringSearch) {
  EXPECT_EQ(FullTextWords("Lò Văn A"), "lo van a");
  EXPECT_EQ(FullTextWords("  Đặng-Thị, ĐÀO. 8867-4 (vô căn)!"), "dang thi dao 8867 4 vo can");
  EXPECT_EQ(FullTextWords("...,;"), "");
  EXPECT_EQ(FullTextWords("x" + std::string(kMaxFullTextWord + 1, 'a') + " b"), "b");
  EXPECT_EQ(FullTextWords("Viêm phổi,nặng"), "viem phoi nang");
  EXPECT_EQ(FullTextWords(" - "), "");
}

TEST(NarrativeText, DropsMarkupAndDecodesReferences) {
  EXPECT_EQ(FullTextWords(NarrativeText(
                "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Bệnh&#160;nhân <b>Lò</b>"
                "&nbsp;V&#x0103;n&amp;A <!-- ghi chú ẩn --> &lt;5 tuổi&gt;</p></div>")),
            "benh nhan lo van a 5 tuoi");
  EXPECT_EQ(NarrativeText("a &unknown; b & c"), "a   b & c");
  EXPECT_EQ(FullTextWords(NarrativeText("<div><![CDATA[x < y]]>z</div>")), "x y z");
}

TEST(AddFullText, NarrativeAndContentAreSeparate) {
  auto doc = Parse(R"({"resourceType": "Condition", "id": "c1",
    "meta": {"versionId": "7", "tag": [{"code": "secret-tag"}]},
    "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Tăng huyết áp</div>"},
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I10",
                         "display": "Tăng huyết áp vô căn"}], "text": "THA"},
    "subject": {"reference": "Patient/pat-1", "display": "Lò Văn A"},
    "onsetAge": {"value": 61, "unit": "năm"},
    "note": [{"text": "Điều trị ngoại trú"}]})");
  IndexEntries e;
  AddFullText(doc, &e);
  EXPECT_EQ(e.narrative, "tang huyet ap");
  EXPECT_EQ(e.content, "i10 tang huyet ap vo can tha lo van a nam dieu tri ngoai tru");
  // ids, meta, references, systems and numbers are not content
  for (const char* w : {"c1", "secret", "pat", "http", "icd", "61", "generated"}) {
    EXPECT_EQ((" " + e.content + " ").find(std::string(" ") + w + " "), std::string::npos) << w;
  }
}

TEST(AddFullText, IndexResourceFillsIt) {
  auto doc = Parse(R"({"resourceType": "Patient", "name": [{"family": "Nguyễn"}],
    "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Nguyễn</div>"}})");
  IndexEntries e;
  IndexResource(ParamRegistry::Default(), "Patient", doc, &e);
  EXPECT_EQ(e.narrative, "nguyen");
  EXPECT_EQ(e.content, "nguyen");
}

TEST(FullTextQuery, TextAndContentParse) {
  auto q = ParseSearch("Condition", {{"_text", "Lò Văn-A,viêm"}, {"_content", "I10"}}, {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->criteria.size(), 2u);
  EXPECT_EQ(q->criteria[0].kind, Criterion::Kind::kFullText);
  EXPECT_EQ(q->criteria[0].param, "_text");
  ASSERT_EQ(q->criteria[0].any_of.size(), 2u);
  EXPECT_EQ(q->criteria[0].any_of[0].text, "lo van a");
  EXPECT_EQ(q->criteria[0].any_of[1].text, "viem");
  EXPECT_EQ(q->criteria[1].param, "_content");
  EXPECT_EQ(q->criteria[1].any_of[0].text, "i10");
}

TEST(FullTextQuery, Refusals) {
  EXPECT_FALSE(ParseSearch("Condition", {{"_text", "--"}}, {}).ok());
  EXPECT_FALSE(ParseSearch("Condition", {{"_text:exact", "a"}}, {}).ok());
  EXPECT_FALSE(ParseSearch("Condition", {{"_content:missing", "true"}}, {}).ok());
  ParseOptions strict;
  strict.strict = true;
  EXPECT_FALSE(ParseSearch("Condition", {{"_sort", "_text"}}, strict).ok());
}

TEST(StringTextModifier, Parses) {
  auto q = ParseSearch("Patient", {{"name:text", "Văn  A"}}, {});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->criteria[0].modifier, Modifier::kText);
  EXPECT_EQ(q->criteria[0].any_of[0].text, "van a");
}

}  // namespace
}  // namespace hb::search
