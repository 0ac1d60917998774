#include "claims/envelope.h"

#include <gtest/gtest.h>

#include "claims/claim_builder.h"
#include "claims/test_episode.h"
#include "claims/xml_text.h"
#include "common/base64.h"
#include "common/xml_escape.h"

namespace hb::claims {
namespace {

// NOIDUNGFILE and X509Certificate are read as kBase64Mime: padded, line breaks skipped.
TEST(Envelope, Base64RoundTrips) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "Lò Văn Ơn \x01\xff"}) {
    auto back = Base64Decode(Base64Encode(s), kBase64Mime);
    ASSERT_TRUE(back) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Decode("YWJj\nZA==", kBase64Mime).value_or(""), "abcd");
  EXPECT_FALSE(Base64Decode("abc", kBase64Mime));
}

TEST(Envelope, TextIsEscapedOrInCdata) {
  std::string s;
  AppendXmlEscaped(s, "a<b & \"c\">");
  EXPECT_EQ(s, "a&lt;b &amp; &quot;c&quot;&gt;");
  s.clear();
  AppendCdata(s, "x]]>y");
  EXPECT_EQ(s, "<![CDATA[x]]]]><![CDATA[>y]]>");
}

TEST(Envelope, WritesAndReadsBack) {
  ClaimErrors problems;
  auto r =
      BuildClaim(testing::MakeEpisode(), testing::TestCatalogs(), SchemaVersion::k4750, &problems);
  ASSERT_TRUE(r.ok());
  // A name that breaks naive XML: it must survive the CDATA.
  r->tables[0].rows[0][r->tables[0].def->IndexOf("HO_TEN")] = "Lò <Văn> ]]> An & co";
  const std::string xml = EnvelopeXml({&*r}, "11011", "20250314");
  EXPECT_NE(xml.find("<MACSKCB>11011</MACSKCB>"), std::string::npos);
  EXPECT_NE(xml.find("<NGAYLAP>20250314</NGAYLAP><SOLUONGHOSO>1</SOLUONGHOSO>"), std::string::npos);
  EXPECT_NE(xml.find("<LOAIHOSO>XML1</LOAIHOSO>"), std::string::npos);
  EXPECT_NE(xml.find("<CHUKYDONVI></CHUKYDONVI>"), std::string::npos);
  ClaimErrors errors;
  ParsedFile back = ParseEnvelope(xml, SchemaVersion::k4750, &errors);
  EXPECT_TRUE(errors.empty()) << FormatError(errors[0]);
  ASSERT_EQ(back.records.size(), 1u);
  EXPECT_EQ(back.facility, "11011");
  EXPECT_EQ(back.records[0].ma_lk, "11011_e1");
  ASSERT_EQ(back.records[0].tables.size(), r->tables.size());
  for (size_t i = 0; i < r->tables.size(); ++i)
    EXPECT_EQ(back.records[0].tables[i].rows, r->tables[i].rows);
  EXPECT_FALSE(back.has_signature);
}

TEST(Envelope, InnerTablesUseTheirElements) {
  ClaimErrors problems;
  auto r =
      BuildClaim(testing::MakeEpisode(), testing::TestCatalogs(), SchemaVersion::k4750, &problems);
  const std::string x2 = TableXml(*r->Find("XML2"));
  EXPECT_EQ(x2.rfind("<?xml version=\"1.0\" "
                     "encoding=\"utf-8\"?>\n<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC><CHI_TIET_"
                     "THUOC><MA_LK>",
                     0),
            0u);
  EXPECT_NE(x2.find("<TEN_THUOC><![CDATA[Amoxicilin 500 mg]]></TEN_THUOC>"), std::string::npos);
  EXPECT_NE(x2.find("<MA_THUOC>40.151</MA_THUOC>"), std::string::npos);
  const std::string x1 = TableXml(*r->Find("XML1"));
  EXPECT_EQ(x1.find("<TONG_HOP><MA_LK>11011_e1</MA_LK><STT>1</STT>"), x1.find("<TONG_HOP>"));
}

TEST(Envelope, DetectsTheSchemaVersion) {
  Episode e = testing::MakeEpisode();
  testing::SetJson(
      e.encounter,
      R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"IMP"},
      "subject":{"reference":"Patient/p1"},"period":{"start":"2025-03-10T08:15:00+07:00","end":"2025-03-14T09:30:00+07:00"},
      "hospitalization":{"dischargeDisposition":{"coding":[{"code":"other-hcf"}]}},"serviceProvider":{"reference":"Organization/org-11011"}})");
  ClaimErrors problems;
  auto a = BuildClaim(e, testing::TestCatalogs(), SchemaVersion::k3176, &problems);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(DetectVersion(EnvelopeXml({&*a}, "11011", "20250314")), SchemaVersion::k3176);
  auto b = BuildClaim(e, testing::TestCatalogs(), SchemaVersion::k4750, &problems);
  EXPECT_EQ(DetectVersion(EnvelopeXml({&*b}, "11011", "20250314")), SchemaVersion::k4750);
}

}  // namespace
}  // namespace hb::claims
