#include "payments/emv_tlv.h"

#include <gtest/gtest.h>

#include "payments/crc16.h"

namespace hb::payments {
namespace {

// A published VietQR payload (subiz/vietqr tests): dynamic, amount 40123, purpose.
constexpr std::string_view kPayload =
    "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802"
    "VN62200816test text string6304D9C6";

// `body` + "6304" + its CRC: lets a test break the structure without breaking the CRC.
std::string WithCrc(std::string body) {
  body += "6304";
  return body + Crc16Hex(body);
}

void ExpectError(std::string_view payload, ErrorCode code, std::string_view part,
                 const EmvDecodeOptions& options = {}) {
  auto r = DecodeEmv(payload, options);
  ASSERT_FALSE(r.ok()) << payload;
  EXPECT_EQ(r.status().code(), code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().ToString();
}

TEST(EmvDecode, TreeOfAPublishedPayload) {
  auto r = DecodeEmv(kPayload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const EmvPayload& p = *r;
  ASSERT_EQ(p.fields.size(), 8u);
  EXPECT_EQ(p.fields[0].id, "00");
  EXPECT_EQ(p.fields.back().id, "63");
  EXPECT_EQ(p.crc, "D9C6");
  EXPECT_EQ(p.Find("54")->value, "40123");
  EXPECT_EQ(p.Find("54")->offset, 80u);
  // 38 and 62 are EMVCo templates; 38.01 is nested only when the caller asks (VietQR does).
  ASSERT_EQ(p.Find("38")->children.size(), 3u);
  EXPECT_EQ(p.Find("38.00")->value, "A000000727");
  EXPECT_EQ(p.Find("38.01")->value, "000697042201130023457923442");
  EXPECT_TRUE(p.Find("38.01")->children.empty());
  EXPECT_EQ(p.Find("38.01.00"), nullptr);
  EXPECT_EQ(p.Find("62.08")->value, "test text string");
  EXPECT_EQ(p.Find("99"), nullptr);

  auto nested = DecodeEmv(kPayload, EmvDecodeOptions{{"38.01"}});
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->Find("38.01.00")->value, "970422");
  EXPECT_EQ(nested->Find("38.01.01")->value, "0023457923442");
  EXPECT_EQ(nested->Find("38.01")->Child("01")->value, "0023457923442");
}

TEST(EmvDecode, AnyTagOrderAndLowercaseCrc) {
  const std::string reordered = WithCrc(
      "010212"
      "5802VN"
      "62200816test text string"
      "5303704"
      "540540123"
      "000201"
      "38570010A00000072701270006970422011300234579234420208QRIBFTTA");
  auto r = DecodeEmv(reordered);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->fields[0].id, "01");
  EXPECT_EQ(r->Find("00")->value, "01");

  std::string lower(kPayload);
  lower.replace(lower.size() - 4, 4, "d9c6");
  auto l = DecodeEmv(lower);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->crc, "d9c6");
}

TEST(EmvDecode, SurroundingWhitespaceIsTrimmed) {
  EXPECT_TRUE(DecodeEmv("  " + std::string(kPayload) + "\r\n").ok());
}

TEST(EmvDecode, EveryOneCharacterChangeIsCaught) {
  const std::string good(kPayload);
  const size_t marker = good.size() - 8;  // "6304" itself: the CRC field is then lost
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == '0' ? '1' : '0';
    auto r = DecodeEmv(bad);
    ASSERT_FALSE(r.ok()) << "change at " << i << " went unnoticed";
    if (i < marker || i >= marker + 4) {
      EXPECT_EQ(r.status().code(), ErrorCode::kQrChecksumMismatch)
          << "at " << i << ": " << r.status().ToString();
    }
  }
}

TEST(EmvDecode, CrcMismatchSaysExpectedAndFound) {
  std::string bad(kPayload);
  bad.back() = '7';
  ExpectError(bad, ErrorCode::kQrChecksumMismatch, "CRC mismatch: expected D9C6, found D9C7");
  auto r = DecodeEmv(bad);
  EXPECT_EQ(r.status().location(), "63");
}

TEST(EmvDecode, BrokenStructureWithAWrongCrcReportsBoth) {
  std::string bad(kPayload);
  bad[2] = 'x';  // the length of field 00
  auto r = DecodeEmv(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kQrChecksumMismatch);
  ASSERT_EQ(r.status().issues().size(), 2u);
  EXPECT_EQ(r.status().issues()[1].code, ErrorCode::kMalformedQr);
  EXPECT_NE(r.status().issues()[1].message.find("bad length 'x2'"), std::string::npos);
}

TEST(EmvDecode, TruncatedTlv) {
  ExpectError("000201010", ErrorCode::kMalformedQr, "truncated TLV at offset 6");
  ExpectError("0002010102", ErrorCode::kMalformedQr,
              "field 01 at offset 6 declares length 02 but only 0 character(s) remain");
  // Cut anywhere before the end, the payload fails (never decodes as something else).
  for (size_t n = 1; n < kPayload.size(); ++n) {
    EXPECT_FALSE(DecodeEmv(kPayload.substr(0, n)).ok()) << "prefix of " << n;
  }
  // Inside a template, with the CRC intact: the structure error itself.
  ExpectError(WithCrc("000201"
                      "3806"
                      "0010A0"),
              ErrorCode::kMalformedQr,
              "field 38.00 at offset 10 declares length 10 but only 2 character(s) remain inside "
              "field 38");
}

TEST(EmvDecode, BadIdsAndLengths) {
  ExpectError(WithCrc("000201"
                      "5A03704"),
              ErrorCode::kMalformedQr, "bad ID '5A' at offset 6");
  ExpectError(WithCrc("000201"
                      "53x3704"),
              ErrorCode::kMalformedQr, "bad length 'x3' of field 53 at offset 8");
  ExpectError(WithCrc("000201"
                      "5300"),
              ErrorCode::kMalformedQr, "field 53 at offset 6 has length 00");
  ExpectError(WithCrc("000201"
                      "5303704"
                      "5303704"),
              ErrorCode::kMalformedQr, "duplicate field 53 at offsets 6 and 13");
}

TEST(EmvDecode, CrcPlacement) {
  ExpectError("0002015802VN", ErrorCode::kMalformedQr, "missing CRC: the payload has no field 63");
  std::string early = "0002016304";
  early += Crc16Hex(early);
  early += "5802VN";
  ExpectError(early, ErrorCode::kMalformedQr,
              "CRC field 63 at offset 6 is not the last field (field 58 follows)");
  ExpectError("0002016302AB", ErrorCode::kMalformedQr, "CRC field 63 must be 4 hex digits");
  ExpectError("0002016304XYZW", ErrorCode::kMalformedQr, "found 'XYZW'");
}

TEST(EmvDecode, PayloadFormatIndicator) {
  ExpectError(WithCrc("5802VN"), ErrorCode::kMalformedQr, "missing field 00");
  ExpectError(WithCrc("000202"), ErrorCode::kMalformedQr, "must be 01, found 02");
}

TEST(EmvDecode, OnlyPrintableAscii) {
  ExpectError(WithCrc("000201"
                      "6205"
                      "0803\xC4\x90"
                      "a"),
              ErrorCode::kMalformedQr, "non-ASCII byte 0xC4 at offset 14");
  ExpectError(WithCrc("000201"
                      "5902A\n"),
              ErrorCode::kMalformedQr, "control character 0x0A at offset 11");
  ExpectError("", ErrorCode::kMalformedQr, "empty payload");
  ExpectError(std::string(600, '0'), ErrorCode::kMalformedQr, "at most 512");
}

TEST(EmvEncode, CanonicalOrderAndCrc) {
  auto r = EncodeEmv({Primitive("58", "VN"), Primitive("00", "01"),
                      Template("62", {Primitive("08", "b"), Primitive("01", "a")})});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, WithCrc("000201"
                        "5802VN"
                        "62100101a0801b"));
  EXPECT_TRUE(DecodeEmv(*r).ok());
}

TEST(EmvEncode, DecodedTreeEncodesToTheSameString) {
  auto tree = DecodeEmv(kPayload, EmvDecodeOptions{{"38.01"}});
  ASSERT_TRUE(tree.ok());
  std::vector<TlvField> fields = tree->fields;
  fields.pop_back();  // 63, which EncodeEmv computes
  auto r = EncodeEmv(fields);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, kPayload);
}

TEST(EmvEncode, RejectsWhatItCannotWrite) {
  auto bad = [](std::vector<TlvField> fields, std::string_view part) {
    auto r = EncodeEmv(std::move(fields));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
  };
  bad({Primitive("5", "x")}, "field ID '5' is not two decimal digits");
  bad({Primitive("00", "01"), Primitive("00", "02")}, "duplicate field 00");
  bad({Primitive("59", "")}, "field 59 is empty");
  bad({Primitive("59", std::string(100, 'a'))}, "field 59 is 100 characters");
  bad({Template("62", {Primitive("08", "Đà")})}, "field 62.08 has byte 0xC4 at position 0");
  bad({Primitive("63", "ABCD")}, "field 63 is the CRC");
  std::vector<TlvField> many;
  for (int i = 80; i < 87; ++i) many.push_back(Primitive(std::to_string(i), std::string(99, 'a')));
  bad(many, "at most 512");
}

}  // namespace
}  // namespace hb::payments
