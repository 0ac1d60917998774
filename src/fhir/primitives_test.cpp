#include "fhir/primitives.h"

#include <gtest/gtest.h>

#include <string>

namespace hb::fhir {
namespace {

// Checks the JSON text `json` (one value) against primitive `p`.
bool Valid(Primitive p, const std::string& json) {
  auto doc = ParseJson("[" + json + "]");
  EXPECT_TRUE(doc.ok()) << json;
  return CheckPrimitive(p, (*doc)[0]) == nullptr;
}

TEST(FhirPrimitives, NamesMapToPrimitives) {
  EXPECT_EQ(PrimitiveFromName("dateTime"), Primitive::kDateTime);
  EXPECT_EQ(PrimitiveFromName("base64Binary"), Primitive::kBase64Binary);
  EXPECT_EQ(PrimitiveFromName("xhtml"), Primitive::kXhtml);
  EXPECT_EQ(PrimitiveFromName("HumanName"), Primitive::kNone);
  EXPECT_EQ(PrimitiveFromName("DateTime"), Primitive::kNone);
}

TEST(FhirPrimitives, Boolean) {
  EXPECT_TRUE(Valid(Primitive::kBoolean, "true"));
  EXPECT_TRUE(Valid(Primitive::kBoolean, "false"));
  EXPECT_FALSE(Valid(Primitive::kBoolean, "\"true\""));
  EXPECT_FALSE(Valid(Primitive::kBoolean, "1"));
  EXPECT_FALSE(Valid(Primitive::kBoolean, "null"));
}

TEST(FhirPrimitives, Integers) {
  EXPECT_TRUE(Valid(Primitive::kInteger, "0"));
  EXPECT_TRUE(Valid(Primitive::kInteger, "-42"));
  EXPECT_TRUE(Valid(Primitive::kInteger, "2147483647"));
  EXPECT_TRUE(Valid(Primitive::kInteger, "-2147483648"));
  EXPECT_FALSE(Valid(Primitive::kInteger, "2147483648"));
  EXPECT_FALSE(Valid(Primitive::kInteger, "-2147483649"));
  EXPECT_FALSE(Valid(Primitive::kInteger, "99999999999999999999"));
  EXPECT_FALSE(Valid(Primitive::kInteger, "1.0"));
  EXPECT_FALSE(Valid(Primitive::kInteger, "1e2"));
  EXPECT_FALSE(Valid(Primitive::kInteger, "\"1\""));
  EXPECT_TRUE(Valid(Primitive::kPositiveInt, "1"));
  EXPECT_FALSE(Valid(Primitive::kPositiveInt, "0"));
  EXPECT_FALSE(Valid(Primitive::kPositiveInt, "-1"));
  EXPECT_TRUE(Valid(Primitive::kUnsignedInt, "0"));
  EXPECT_TRUE(Valid(Primitive::kUnsignedInt, "2147483647"));
  EXPECT_FALSE(Valid(Primitive::kUnsignedInt, "-1"));
  EXPECT_FALSE(Valid(Primitive::kUnsignedInt, "2147483648"));
}

TEST(FhirPrimitives, Decimal) {
  EXPECT_TRUE(Valid(Primitive::kDecimal, "0"));
  EXPECT_TRUE(Valid(Primitive::kDecimal, "1.50"));
  EXPECT_TRUE(Valid(Primitive::kDecimal, "-0.001"));
  EXPECT_TRUE(Valid(Primitive::kDecimal, "1.5e-10"));
  EXPECT_TRUE(Valid(Primitive::kDecimal, "12345678901234567890.123"));
  EXPECT_FALSE(Valid(Primitive::kDecimal, "\"1.5\""));
  EXPECT_FALSE(Valid(Primitive::kDecimal, "true"));
  EXPECT_TRUE(IsDecimalText("10.0"));
  EXPECT_FALSE(IsDecimalText("01"));
  EXPECT_FALSE(IsDecimalText("1."));
  EXPECT_FALSE(IsDecimalText(".5"));
  EXPECT_FALSE(IsDecimalText("1e"));
  EXPECT_FALSE(IsDecimalText(""));
}

TEST(FhirPrimitives, StringsAreNonEmptyWithoutControlCharacters) {
  EXPECT_TRUE(Valid(Primitive::kString, R"("Nguyễn Văn A")"));
  EXPECT_TRUE(Valid(Primitive::kString, R"("line\nbreak\tand tab\r")"));
  EXPECT_TRUE(Valid(Primitive::kMarkdown, R"("# Title\n\n* item")"));
  EXPECT_FALSE(Valid(Primitive::kString, R"("")"));
  EXPECT_FALSE(Valid(Primitive::kString, R"("bell\u0007")"));
  EXPECT_FALSE(Valid(Primitive::kString, R"("nul\u0000")"));
  EXPECT_FALSE(Valid(Primitive::kString, "12"));    // a number is not a string
  EXPECT_FALSE(Valid(Primitive::kString, "true"));  // nor a boolean
  EXPECT_FALSE(Valid(Primitive::kMarkdown, R"("")"));
}

TEST(FhirPrimitives, CodeAndId) {
  EXPECT_TRUE(Valid(Primitive::kCode, R"("final")"));
  EXPECT_TRUE(Valid(Primitive::kCode, R"("two words")"));
  EXPECT_FALSE(Valid(Primitive::kCode, R"(" leading")"));
  EXPECT_FALSE(Valid(Primitive::kCode, R"("trailing ")"));
  EXPECT_FALSE(Valid(Primitive::kCode, R"("double  space")"));
  EXPECT_TRUE(Valid(Primitive::kId, R"("example-1.a")"));
  EXPECT_TRUE(Valid(Primitive::kId, "\"" + std::string(64, 'a') + "\""));
  EXPECT_FALSE(Valid(Primitive::kId, "\"" + std::string(65, 'a') + "\""));
  EXPECT_FALSE(Valid(Primitive::kId, R"("has_underscore")"));
  EXPECT_FALSE(Valid(Primitive::kId, R"("has space")"));
  EXPECT_FALSE(Valid(Primitive::kId, R"("")"));
}

TEST(FhirPrimitives, UrisOidsUuids) {
  EXPECT_TRUE(Valid(Primitive::kUri, R"("http://hl7.org/fhir")"));
  EXPECT_TRUE(Valid(Primitive::kUri, R"("urn:oid:1.2.3")"));
  EXPECT_TRUE(Valid(Primitive::kCanonical, R"("http://x.org/ValueSet/a|1.0")"));
  EXPECT_TRUE(Valid(Primitive::kUrl, R"("https://example.org/a?b=c")"));
  EXPECT_FALSE(Valid(Primitive::kUri, R"("has space")"));
  EXPECT_FALSE(Valid(Primitive::kUrl, R"("")"));
  EXPECT_TRUE(Valid(Primitive::kOid, R"("urn:oid:2.16.840.1.113883")"));
  EXPECT_TRUE(Valid(Primitive::kOid, R"("urn:oid:1.0")"));
  EXPECT_FALSE(Valid(Primitive::kOid, R"("urn:oid:3.1")"));
  EXPECT_FALSE(Valid(Primitive::kOid, R"("urn:oid:1")"));
  EXPECT_FALSE(Valid(Primitive::kOid, R"("urn:oid:1.02")"));
  EXPECT_FALSE(Valid(Primitive::kOid, R"("urn:oid:1..2")"));
  EXPECT_FALSE(Valid(Primitive::kOid, R"("1.2.3")"));
  EXPECT_TRUE(Valid(Primitive::kUuid, R"("urn:uuid:c757873d-ec9a-4326-a141-556f43239520")"));
  EXPECT_FALSE(Valid(Primitive::kUuid, R"("urn:uuid:C757873D-EC9A-4326-A141-556F43239520")"));
  EXPECT_FALSE(Valid(Primitive::kUuid, R"("c757873d-ec9a-4326-a141-556f43239520")"));
  EXPECT_FALSE(Valid(Primitive::kUuid, R"("urn:uuid:c757873d-ec9a-4326-a141-556f4323952")"));
}

TEST(FhirPrimitives, Base64) {
  EXPECT_TRUE(Valid(Primitive::kBase64Binary, R"("SGVsbG8=")"));
  EXPECT_TRUE(Valid(Primitive::kBase64Binary, R"("SGVs bG8h\nQUJD")"));
  EXPECT_TRUE(Valid(Primitive::kBase64Binary, R"("ab+/")"));
  EXPECT_FALSE(Valid(Primitive::kBase64Binary, R"("SGVsbG8")"));   // not a multiple of 4
  EXPECT_FALSE(Valid(Primitive::kBase64Binary, R"("SG=sbG8=")"));  // padding in the middle
  EXPECT_FALSE(Valid(Primitive::kBase64Binary, R"("S===")"));
  EXPECT_FALSE(Valid(Primitive::kBase64Binary, R"("SGV*bG8=")"));
}

TEST(FhirPrimitives, Dates) {
  for (const char* ok : {"2024", "2024-02", "2024-02-29", "2000-02-29", "0001-01-01", "1999-12-31"})
    EXPECT_TRUE(IsDate(ok)) << ok;
  for (const char* bad :
       {"2023-02-29", "1900-02-29", "2023-02-30", "2023-04-31", "2023-13", "2023-00", "2023-01-00",
        "0000", "23", "2023-1-01", "2023-01-01T10:00:00Z", "2023-01-01 ", ""})
    EXPECT_FALSE(IsDate(bad)) << bad;
  EXPECT_FALSE(Valid(Primitive::kDate, "20230101"));
}

TEST(FhirPrimitives, DateTimes) {
  for (const char* ok :
       {"2024", "2024-05", "2024-05-17", "2024-05-17T08:30:00Z", "2024-05-17T08:30:00+07:00",
        "2024-05-17T08:30:00.123-05:00", "2024-05-17T23:59:60Z", "2024-05-17T08:30:00+14:00"})
    EXPECT_TRUE(IsDateTime(ok)) << ok;
  for (const char* bad :
       {"2024-05-17T08:30:00", "2024-05-17T08:30Z", "2024-05-17T24:00:00Z", "2024-05-17T08:60:00Z",
        "2024-05-17T08:30:00+14:30", "2024-05-17T08:30:00+7:00", "2024-05-17T08:30:00.Z",
        "2024-05T08:30:00Z", "2023-02-30T08:30:00Z", "2024-05-17T08:30:00ZZ", "2024-05-17T"})
    EXPECT_FALSE(IsDateTime(bad)) << bad;
}

TEST(FhirPrimitives, InstantsAndTimes) {
  EXPECT_TRUE(IsInstant("2015-02-07T13:28:17.239+02:00"));
  EXPECT_TRUE(IsInstant("2015-02-07T13:28:17Z"));
  EXPECT_FALSE(IsInstant("2015-02-07T13:28Z"));     // seconds required
  EXPECT_FALSE(IsInstant("2015-02-07T13:28:17"));   // zone required
  EXPECT_FALSE(IsInstant("2015-02-07"));            // time required
  EXPECT_FALSE(IsInstant("2015-02-29T13:28:17Z"));  // no such day
  EXPECT_TRUE(IsTime("13:28:17"));
  EXPECT_TRUE(IsTime("00:00:00.5"));
  EXPECT_FALSE(IsTime("13:28"));
  EXPECT_FALSE(IsTime("25:00:00"));
  EXPECT_FALSE(IsTime("13:28:17Z"));  // time has no zone
  EXPECT_TRUE(Valid(Primitive::kInstant, R"("2015-02-07T13:28:17.239+02:00")"));
  EXPECT_FALSE(Valid(Primitive::kTime, "1328"));
}

TEST(FhirPrimitives, Xhtml) {
  EXPECT_TRUE(IsXhtmlDiv(R"(<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi</p></div>)"));
  EXPECT_TRUE(IsXhtmlDiv(R"(  <div xmlns="http://www.w3.org/1999/xhtml">x</div>
)"));
  EXPECT_TRUE(IsXhtmlDiv(R"(<div xmlns="http://www.w3.org/1999/xhtml"/>)"));
  EXPECT_FALSE(IsXhtmlDiv(R"(<div><p>no namespace</p></div>)"));
  EXPECT_FALSE(IsXhtmlDiv(R"(<p xmlns="http://www.w3.org/1999/xhtml">x</p>)"));
  EXPECT_FALSE(IsXhtmlDiv(R"(<divx xmlns="http://www.w3.org/1999/xhtml">x</divx>)"));
  EXPECT_FALSE(IsXhtmlDiv(R"(<div xmlns="http://www.w3.org/1999/xhtml">x)"));
  EXPECT_FALSE(IsXhtmlDiv("plain text"));
  EXPECT_FALSE(Valid(Primitive::kXhtml, R"("")"));
}

}  // namespace
}  // namespace hb::fhir
