// Parser tolerance and every rejection reason, on inline inputs; fixtures_test.cpp covers the
// real-world-shaped files.
#include "lis/parser.h"

#include <gtest/gtest.h>

#include "lis/encoder.h"

namespace hb::lis {
namespace {

const char* kMsh = "MSH|^~\\&|LAB|BVDK|HB|SYT|20240101||ORU^R01|X1|P|2.5";

ParseError Refused(std::string_view text) {
  ParseError e;
  auto r = ParseBatch(text, &e);
  EXPECT_FALSE(r.ok()) << text;
  if (!r.ok()) {
    EXPECT_EQ(r.status().code(), ErrorCode::kMalformedHl7);
    EXPECT_EQ(r.status().message(), e.ToString());
  }
  return e;
}

TEST(ParserTest, LineEndingsAreAllSegmentTerminators) {
  std::string body = std::string(kMsh) + "|EOL\r" + "PID|1\n" + "OBR|1\r\n" + "OBX|1\r";
  auto m = ParseMessage(body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->segments().size(), 4u);
  EXPECT_EQ(m->segments()[1].name(), "PID");
  EXPECT_EQ(m->segments()[3].line(), 4);
  EXPECT_EQ(Encode(*m), std::string(kMsh) + "|EOL\rPID|1\rOBR|1\rOBX|1\r");
}

TEST(ParserTest, BlankLinesBomAndNoFinalTerminator) {
  std::string body = "\xEF\xBB\xBF\n\n" + std::string(kMsh) + "\r\n\r\n  \t \nPID|1||BN1";
  auto m = ParseMessage(body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->segments().size(), 2u);
  EXPECT_EQ(m->header()->line(), 3);
  EXPECT_EQ(m->segments()[1].line(), 6);
  EXPECT_EQ(m->Get("PID-3"), "BN1");
}

TEST(ParserTest, TrailingSeparatorsAndEmptyFieldsAreKept) {
  auto m = ParseMessage(std::string(kMsh) + "|||\rPID|1||BN1^^^BV||||\rNTE\r");
  ASSERT_TRUE(m.ok());
  const Segment& pid = m->segments()[1];
  EXPECT_EQ(pid.FieldCount(), 7);
  EXPECT_EQ(pid.RawField(7), "");
  EXPECT_EQ(pid.ComponentCount(3, 1), 4);
  EXPECT_EQ(pid.RepetitionCount(2), 0);
  EXPECT_EQ(m->segments()[2].FieldCount(), 0);
  EXPECT_EQ(m->header()->FieldCount(), 15);
  EXPECT_EQ(Encode(*m), std::string(kMsh) + "|||\rPID|1||BN1^^^BV||||\rNTE\r");
}

TEST(ParserTest, HeaderFieldsAreNumberedLikeTheStandard) {
  auto m = ParseMessage(kMsh);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Get("MSH-1"), "|");
  EXPECT_EQ(m->Get("MSH-2"), "^~\\&");
  EXPECT_EQ(m->Get("MSH-3"), "LAB");
  EXPECT_EQ(m->ControlId(), "X1");
  EXPECT_EQ(m->Version(), "2.5");
  EXPECT_EQ(m->Type(), "ORU^R01");
}

TEST(ParserTest, ZSegmentsAreOrdinarySegments) {
  auto m = ParseMessage(std::string(kMsh) + "\rZPI|1|Dân tộc Kinh|x^y\rZ01|2\r");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Get("ZPI-2"), "Dân tộc Kinh");
  EXPECT_EQ(m->Get("ZPI-3.2"), "y");
  EXPECT_EQ(m->Get("Z01-1"), "2");
}

TEST(ParserTest, SeveralMessagesWithoutEnvelope) {
  std::string two = std::string(kMsh) + "\rPID|1\r" + kMsh + "\rPID|2\r";
  auto file = ParseBatch(two);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->MessageCount(), 2u);
  EXPECT_FALSE(file->header);
  EXPECT_EQ(file->Messages()[1]->Get("PID-1"), "2");
  ParseError e;
  EXPECT_FALSE(ParseMessage(two, &e).ok());
  EXPECT_EQ(e.kind, ParseErrorKind::kNotOneMessage);
  EXPECT_NE(e.reason.find("holds 2 messages"), std::string::npos);
}

TEST(ParserTest, RejectsEmptyInput) {
  for (std::string_view empty : {"", "\r\n\r\n", "\xEF\xBB\xBF", "   \n"}) {
    ParseError e = Refused(empty);
    EXPECT_EQ(e.kind, ParseErrorKind::kNoMsh);
    EXPECT_EQ(e.reason, "the input holds no segments");
  }
}

TEST(ParserTest, RejectsNoMsh) {
  ParseError e = Refused("\nPID|1||BN1\rMSH|^~\\&|A\r");
  EXPECT_EQ(e.kind, ParseErrorKind::kNoMsh);
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.segment, 1);
  EXPECT_EQ(e.ToString(),
            "line 2 (segment 1, PID): the input does not start with MSH (it begins 'PID|1||BN1')");
  e = Refused("garbage that is not HL7 at all");
  EXPECT_EQ(e.kind, ParseErrorKind::kNoMsh);
  e = Refused("BHS|^~\\&|A\rPID|1\r");
  EXPECT_EQ(e.kind, ParseErrorKind::kNoMsh);
  EXPECT_EQ(e.segment, 2);
  EXPECT_NE(e.reason.find("'PID' comes before any MSH"), std::string::npos);
}

TEST(ParserTest, RejectsMshTooShort) {
  ParseError e = Refused("MSH");
  EXPECT_EQ(e.kind, ParseErrorKind::kMshTooShort);
  e = Refused("MSH|^~\\&|LAB|BVDK|||20240101||ORU^R01\rPID|1\r");
  EXPECT_EQ(e.kind, ParseErrorKind::kMshTooShort);
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.reason, "MSH has 9 fields; at least 12 are required (through MSH-12 version ID)");
  // Exactly MSH-12 is enough, even empty.
  EXPECT_TRUE(ParseMessage("MSH|^~\\&|||||||ORU^R01|1|P|").ok());
}

TEST(ParserTest, RejectsMissingEncodingCharacters) {
  ParseError e = Refused("MSH|^~|LAB|BVDK|HB|SYT|20240101||ORU^R01|X1|P|2.5");
  EXPECT_EQ(e.kind, ParseErrorKind::kMissingEncodingCharacters);
  EXPECT_EQ(e.field, 2);
  EXPECT_EQ(e.ToStatus().location(), "MSH-2");
  EXPECT_NE(e.reason.find("declares 2 encoding characters; 4 are required"), std::string::npos);
  e = Refused("MSH||LAB");
  EXPECT_EQ(e.kind, ParseErrorKind::kMissingEncodingCharacters);
}

TEST(ParserTest, RejectsDuplicateAndUnusableDelimiters) {
  ParseError e = Refused("MSH|^~\\^|LAB|BVDK|HB|SYT|20240101||ORU^R01|X1|P|2.5");
  EXPECT_EQ(e.kind, ParseErrorKind::kDuplicateDelimiter);
  EXPECT_NE(e.reason.find("'^' twice"), std::string::npos);
  e = Refused("MSH|^~\\\\|LAB");
  EXPECT_EQ(e.kind, ParseErrorKind::kDuplicateDelimiter) << "escape and subcomponent both '\\'";
  e = Refused("MSH|^~ &|LAB");
  EXPECT_EQ(e.kind, ParseErrorKind::kBadDelimiter);
}

TEST(ParserTest, RejectsUnterminatedEscapeWithItsField) {
  ParseError e = Refused(std::string(kMsh) + "\rPID|1\rOBX|1|ST|NOTE||xem \\H in đậm||||||F\r");
  EXPECT_EQ(e.kind, ParseErrorKind::kBadEscape);
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.segment, 3);
  EXPECT_EQ(e.segment_name, "OBX");
  EXPECT_EQ(e.occurrence, 1);
  EXPECT_EQ(e.field, 5);
  EXPECT_EQ(e.ToString(),
            "line 3 (segment 3, OBX-5): unterminated escape sequence starting at character 5");
  e = Refused(std::string(kMsh) + "\rOBX|1\rOBX|2|ST|N||a\\X4\\");
  EXPECT_EQ(e.occurrence, 2);
  EXPECT_NE(e.reason.find("even number of hex digits"), std::string::npos);
}

TEST(ParserTest, RejectsBadSegmentNames) {
  for (std::string_view bad : {"Pid|1", "PI|1", "PIDX|1", "PI-|1", "P D|1", " PID|1", "PID^1"}) {
    ParseError e = Refused(std::string(kMsh) + "\r" + std::string(bad) + "\r");
    EXPECT_EQ(e.kind, ParseErrorKind::kBadSegmentName) << bad;
    EXPECT_EQ(e.line, 2) << bad;
    EXPECT_EQ(e.segment, 2) << bad;
  }
  ParseError e = Refused(std::string(kMsh) + "\rPid|1\r");
  EXPECT_EQ(
      e.reason,
      "segment name 'Pid' is not 3 uppercase letters or digits followed by the field separator");
  e = Refused("MSHX|^~\\&|A");
  EXPECT_EQ(e.kind, ParseErrorKind::kBadSegmentName);
}

TEST(ParserTest, RejectsBytesOutsideTheCharset) {
  ParseError e = Refused(std::string(kMsh) + "|||||VNM|UNICODE UTF-8\rPID|1||BN1||Dupr\xE9\r");
  EXPECT_EQ(e.kind, ParseErrorKind::kBadCharset);
  EXPECT_EQ(e.line, 2);
  EXPECT_NE(e.reason.find("byte 0xE9 at offset 16 is not UTF-8"), std::string::npos);
  e = Refused(std::string(kMsh) + "|||||JPN|ISO IR87\r");
  EXPECT_EQ(e.kind, ParseErrorKind::kBadCharset);
  EXPECT_EQ(e.field, 18);
}

TEST(ParserTest, Latin1IsDecodedToUtf8) {
  auto m = ParseMessage(std::string(kMsh) + "|||||FRA|8859/1\rPID|1||BN1||Dupr\xE9^H\xE9l\xE8ne\r");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->charset(), Charset::kLatin1);
  EXPECT_EQ(m->Get("PID-5.2"), "Hélène");
  auto wire = EncodeForWire(*m);
  ASSERT_TRUE(wire.ok());
  EXPECT_NE(wire->find("Dupr\xE9^H\xE9l\xE8ne"), std::string::npos);
}

TEST(ParserTest, BatchEnvelopes) {
  std::string msg = std::string(kMsh) + "\rPID|1\r";
  auto f = ParseBatch("FHS|^~\\&|A\rBHS|^~\\&|A\r" + msg + msg + "BTS|2\rBHS|^~\\&|B\r" + msg +
                      "BTS|1\rFTS|2\r");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->batches.size(), 2u);
  EXPECT_EQ(f->batches[0].messages.size(), 2u);
  EXPECT_EQ(f->batches[1].header->Get(3), "B");
  EXPECT_EQ(f->trailer->Get(1), "2");
  // Trailers may be left out; counts may be empty.
  EXPECT_TRUE(ParseBatch("BHS|^~\\&|A\r" + msg).ok());
  EXPECT_TRUE(ParseBatch("BHS|^~\\&|A\r" + msg + "BTS\r").ok());
  // An empty batch is a legal batch.
  EXPECT_EQ(ParseBatch("BHS|^~\\&|A\rBTS|0\r")->MessageCount(), 0u);
}

TEST(ParserTest, RejectsBrokenBatches) {
  std::string msg = std::string(kMsh) + "\rPID|1\r";
  struct Case {
    std::string text, reason;
  } cases[] = {
      {"BHS|^~\\&|A\r" + msg + "BTS|3\r", "BTS-1 declares 3 messages but 1 were read"},
      {"FHS|^~\\&|A\rBHS|^~\\&|A\r" + msg + "BTS|1\rFTS|4\r",
       "FTS-1 declares 4 batches but 1 were read"},
      {msg + "FHS|^~\\&|A\r", "FHS must be the first segment"},
      {msg + "BTS|1\r", "BTS without an open BHS batch"},
      {msg + "FTS|1\r", "FTS without FHS"},
      {"FHS|^~\\&|A\r" + msg + "FTS|1\rPID|9\r", "segment after FTS, which ends the file"},
      {"BTS|1\r", "BTS closes nothing: no FHS, BHS or MSH before it"},
  };
  for (const Case& c : cases) {
    ParseError e = Refused(c.text);
    EXPECT_EQ(e.kind, ParseErrorKind::kBatchStructure) << c.text;
    EXPECT_EQ(e.reason, c.reason);
  }
}

TEST(ParserTest, ErrorKindNamesAreStable) {
  EXPECT_EQ(ParseErrorKindName(ParseErrorKind::kBadEscape), "bad-escape");
  EXPECT_EQ(ParseErrorKindName(ParseErrorKind::kNoMsh), "no-msh");
}

}  // namespace
}  // namespace hb::lis
