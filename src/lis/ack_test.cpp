// ACK contents and the validator's HL7 error codes.
#include "lis/ack.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lis/encoder.h"
#include "lis/validator.h"

namespace hb::lis {
namespace {

namespace fs = std::filesystem;

AckOptions Fixed() {
  AckOptions o;
  o.control_id = "ACK-1";
  o.now_micros = int64_t{1710469812} * 1000000;  // 2024-03-15 02:30:12 UTC
  return o;
}

Message Parse(std::string_view text) {
  auto m = ParseMessage(text);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : Message();
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* kOru =
    "MSH|^~\\&|COBAS6000|KHOA_XN^11001.XN^L|HEALTHBOOK|BVDK^11001^L|20240315093012+0700||"
    "ORU^R01^ORU_R01|C6K-187|P|2.5.1|||AL|NE|VNM|UNICODE UTF-8\r"
    "PID|1||BN1^^^BVDK^MR||Nguyễn^An\r"
    "OBR|1||S1|CHEM^Sinh hóa^L\r";

std::vector<AckError> Check(const std::string& body) { return ValidateMessage(Parse(body)); }

AckError Err(Hl7Error code, ErrorLocation location, char severity, std::string message) {
  AckError e;
  e.code = code;
  e.location = std::move(location);
  e.severity = severity;
  e.user_message = std::move(message);
  return e;
}

TEST(AckTest, TimestampFormat) {
  EXPECT_EQ(FormatHl7Timestamp(int64_t{1710469812} * 1000000, 420), "20240315093012+0700");
  EXPECT_EQ(FormatHl7Timestamp(int64_t{1710469812} * 1000000, 0), "20240315023012+0000");
  EXPECT_EQ(FormatHl7Timestamp(int64_t{1710469812} * 1000000, -330), "20240314210012-0530");
}

TEST(AckTest, AcceptSwapsSenderAndReceiver) {
  Message ack = BuildAck(Parse(std::string(kOru) + "OBX|1|NM|GLU||5.0|mmol/L||N|||F\r"),
                         AckCode::kAccept, {}, Fixed());
  EXPECT_EQ(Encode(ack),
            "MSH|^~\\&|HEALTHBOOK|BVDK^11001^L|COBAS6000|KHOA_XN^11001.XN^L|20240315093012+0700||"
            "ACK^R01^ACK|ACK-1|P|2.5.1||||||UNICODE UTF-8\r"
            "MSA|AA|C6K-187\r");
}

TEST(AckTest, ErrorsInV25Form) {
  Message original = Parse(std::string(kOru) + "OBX|1|NM|GLU||12,5|mmol/L||N|||F\r");
  std::vector<AckError> errors = ValidateMessage(original);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(AckCodeFor(errors), AckCode::kError);
  Message ack = BuildAck(original, AckCodeFor(errors), errors, Fixed());
  EXPECT_EQ(Encode(ack).substr(Encode(ack).find("MSA")),
            "MSA|AE|C6K-187\r"
            "ERR||OBX^1^5^1|102^Data type error^HL70357|E||||"
            "OBX-5 value '12,5' is not a number (OBX-2 is NM)\r");
  EXPECT_EQ(ack.Get("ERR-2.1"), "OBX");
  EXPECT_EQ(ack.Get("ERR-3.1"), "102");
  EXPECT_EQ(ack.Get("ERR-4"), "E");
}

TEST(AckTest, LegacyVersionsAlsoGetErr1AndMsa3) {
  Message original = Parse(
      "MSH|^~\\&|XN1000|SYSMEX|LIS|BVDK|20240316080102||ORU^R01|XN-912|P|2.3\r"
      "OBR|1\rOBX|1|NM|WBC||12.4|10*3/uL||H|||\r");
  std::vector<AckError> errors = ValidateMessage(original);
  ASSERT_EQ(errors.size(), 1u);
  Message ack = BuildAck(original, AckCodeFor(errors), errors, Fixed());
  EXPECT_EQ(ack.Get("MSH-9"), "ACK");
  EXPECT_EQ(ack.Find("MSH")->RawField(9), "ACK^R01") << "no MSH-9.3 in v2.3";
  EXPECT_EQ(ack.Find("MSH")->RawField(12), "2.3");
  EXPECT_EQ(ack.Get("MSA-3"), "OBX-11 (observation result status) is empty");
  EXPECT_EQ(ack.Find("ERR")->RawField(1), "OBX^1^11^101&Required field missing&HL70357");
  EXPECT_EQ(ack.Find("ERR")->RawField(2), "OBX^1^11");
}

TEST(AckTest, OneErrPerErrorAndInternalFailure) {
  Message original = Parse(kOru);
  std::vector<AckError> errors = {
      Err(Hl7Error::kInternal, {}, 'E', "không ghi được kết quả: kho dữ liệu đang bận"),
      Err(Hl7Error::kTableValueNotFound, {"OBX", 2, 8, 0, 0, 0}, 'W', "OBX-8 'X' unknown")};
  EXPECT_EQ(AckCodeFor(errors), AckCode::kError);
  Message ack = BuildAck(original, AckCodeFor(errors), errors, Fixed());
  ASSERT_EQ(ack.FindAll("ERR").size(), 2u);
  EXPECT_EQ(ack.Get("MSA-1"), "AE");
  EXPECT_EQ(ack.Get("ERR-3.1"), "207");
  EXPECT_EQ(ack.Get("ERR-3.2"), "Application internal error");
  EXPECT_EQ(ack.Get("ERR-8"), "không ghi được kết quả: kho dữ liệu đang bận");
  EXPECT_EQ(ack.Get("ERR(2)-4"), "W");
  EXPECT_EQ(ack.Find("ERR", 2)->RawField(2), "OBX^2^8");
  EXPECT_EQ(AckCodeFor({Err(Hl7Error::kDataType, {}, 'W', "just a warning")}), AckCode::kAccept);
}

TEST(AckTest, UserMessagesAreEscaped) {
  std::vector<AckError> errors = {Err(Hl7Error::kDataType, {}, 'E', "a|b^c~d\\e&f\ng")};
  Message ack = BuildAck(Parse(kOru), AckCode::kError, errors, Fixed());
  EXPECT_EQ(ack.Find("ERR")->RawField(8), "a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\.br\\g");
  EXPECT_EQ(ack.Get("ERR-8"), "a|b^c~d\\e&f\ng");
}

TEST(AckTest, KeepsCustomDelimitersAndCharset) {
  Message original = Parse(
      "MSH^~|\\&^COBAS^LAB^HB^BV^20240315093012+0700^^ORU~R01~ORU_R01^CUST-1^P^2.5.1^^^^^FRA^8859/"
      "1\r");
  Message ack = BuildAck(original, AckCode::kAccept, {}, Fixed());
  EXPECT_EQ(Encode(ack),
            "MSH^~|\\&^HB^BV^COBAS^LAB^20240315093012+0700^^ACK~R01~ACK^ACK-1^P^2.5.1^^^^^^8859/1\r"
            "MSA^AA^CUST-1\r");
  EXPECT_EQ(ack.charset(), Charset::kLatin1);
  EXPECT_TRUE(EncodeForWire(ack).ok());
}

TEST(AckTest, GeneratesControlIdAndTime) {
  Message ack = BuildAck(Parse(kOru), AckCode::kAccept, {});
  EXPECT_EQ(ack.ControlId().size(), 20u);
  EXPECT_NE(ack.ControlId(), BuildAck(Parse(kOru), AckCode::kAccept, {}).ControlId());
  EXPECT_EQ(ack.DateTimeOfMessage().size(), 19u);
}

TEST(AckTest, RejectGarbageWithMinimalHeader) {
  ParseError e;
  ASSERT_FALSE(ParseBatch("hello, is this the lab?", &e).ok());
  Message ack = BuildRejectAck("hello, is this the lab?", e, Fixed());
  EXPECT_EQ(Encode(ack),
            "MSH|^~\\&|HEALTHBOOK||||20240315093012+0700||ACK|ACK-1|P|2.5.1\r"
            "MSA|AR|\r"
            "ERR|||100^Segment sequence error^HL70357|E||||line 1 (segment 1, hel): the input "
            "does not start with MSH (it begins 'hello, is this t')\r");
}

TEST(AckTest, RejectQuotesInputSafely) {
  ParseError e;
  std::string raw = "Xin chào phòng xét nghiệm";
  ASSERT_FALSE(ParseBatch(raw, &e).ok());
  EXPECT_EQ(e.reason, "the input does not start with MSH (it begins 'Xin chào phòng')");
  Message ack = BuildRejectAck(raw, e, Fixed());
  EXPECT_EQ(ack.Get("MSH-18"), "UNICODE UTF-8") << "the user message quotes Vietnamese text";
  raw = std::string("\x01\xFF\xFE garbage") + std::string(1, '\0');
  ASSERT_FALSE(ParseBatch(raw, &e).ok());
  EXPECT_EQ(e.reason, "the input does not start with MSH (it begins '??? garbage?')");
  EXPECT_EQ(e.segment_name, "???");
}

TEST(AckTest, RejectSalvagesTheSenderFromABrokenMessage) {
  std::string raw =
      "MSH|^~\\&|LAB|BVDK|HB|SYT|20240101||ORU^R01|X3|P|2.4\rPID|1||BN1||Nguyễn^An\r"
      "OBX|1|ST|NOTE||xem \\H in đậm||||||F\r";
  ParseError e;
  ASSERT_FALSE(ParseBatch(raw, &e).ok());
  Message ack = BuildRejectAck(raw, e, Fixed());
  EXPECT_EQ(ack.Find("MSH")->RawField(3), "HB");
  EXPECT_EQ(ack.Find("MSH")->RawField(5), "LAB");
  EXPECT_EQ(ack.Find("MSH")->RawField(6), "BVDK");
  EXPECT_EQ(ack.Find("MSH")->RawField(9), "ACK^R01^ACK");
  EXPECT_EQ(ack.Get("MSH-12"), "2.4");
  EXPECT_EQ(ack.Get("MSA-1"), "AR");
  EXPECT_EQ(ack.Get("MSA-2"), "X3");
  EXPECT_EQ(ack.Find("ERR")->RawField(1), "OBX^1^5^102&Data type error&HL70357") << "v2.4";
  EXPECT_EQ(ack.Find("ERR")->RawField(2), "OBX^1^5");
  EXPECT_EQ(ack.Get("ERR-3"), "102");
  EXPECT_EQ(ack.Get("MSA-3"), e.ToString().substr(0, 80));
  EXPECT_EQ(ack.Get("MSH-18"), "") << "an ASCII ACK declares no character set";

  // MSA-3 is cut to 80 bytes on a character boundary.
  std::vector<AckError> long_error = {
      Err(Hl7Error::kDataType, {}, 'E', std::string(79, 'x') + "ệ and more")};
  ack = BuildAck(Parse(raw.substr(0, raw.find('\r'))), AckCode::kError, long_error, Fixed());
  EXPECT_EQ(ack.Get("MSA-3"), std::string(79, 'x'));
  EXPECT_EQ(ack.Get("MSH-18"), "UNICODE UTF-8") << "the ACK holds Vietnamese text";

  raw = "MSH|^~\\&|LAB|BVDK|||20240101||ORU^R01\rPID|1\r";
  ASSERT_FALSE(ParseBatch(raw, &e).ok());
  ack = BuildRejectAck(raw, e, Fixed());
  EXPECT_EQ(ack.Get("ERR-3"), "101");
  EXPECT_EQ(ack.Find("ERR")->RawField(2), "MSH^1");
  EXPECT_EQ(ack.Get("MSA-2"), "");
  EXPECT_EQ(ack.Get("MSH-12"), "2.5.1");

  // A broken MSH-2 means no delimiters can be trusted: the ACK uses the standard ones.
  raw = "MSH|^~\\^|LAB|BVDK|HB|SYT|20240101||ORU^R01|X2|P|2.5\r";
  ASSERT_FALSE(ParseBatch(raw, &e).ok());
  ack = BuildRejectAck(raw, e, Fixed());
  EXPECT_EQ(ack.Get("MSH-3"), "HEALTHBOOK");
  EXPECT_EQ(ack.Get("MSA-2"), "");
  EXPECT_EQ(ack.Find("ERR")->RawField(2), "MSH^1^2");
  EXPECT_EQ(ack.Get("ERR-3"), "102");
}

TEST(ValidatorTest, EveryValidFixtureIsAccepted) {
  int messages = 0;
  for (const auto& entry : fs::directory_iterator(HB_HL7_FIXTURES_DIR)) {
    if (entry.path().extension() != ".hl7") continue;
    auto file = ParseBatch(Read(entry.path()));
    ASSERT_TRUE(file.ok()) << entry.path();
    for (const Message* m : file->Messages()) {
      ++messages;
      std::vector<AckError> errors = ValidateMessage(*m);
      EXPECT_TRUE(errors.empty()) << entry.path().filename() << ": " << errors.front().user_message;
    }
  }
  EXPECT_GE(messages, 16);
}

TEST(ValidatorTest, HeaderErrors) {
  auto errors = Check("MSH|^~\\&|A|B|C|D|20240101||ORU^R01||P|2.5\r");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, Hl7Error::kRequiredFieldMissing);
  EXPECT_EQ(errors[0].location.segment, "MSH");
  EXPECT_EQ(errors[0].location.field, 10);
  EXPECT_EQ(errors[0].user_message, "MSH-10 (message control id) is empty");

  errors = Check("MSH|^~\\&|A|B|C|D|20240101||SIU^S12|1|P|2.5\r");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, Hl7Error::kUnsupportedMessageType);
  EXPECT_EQ(AckCodeFor(errors), AckCode::kReject);
  errors = Check("MSH|^~\\&|A|B|C|D|20240101||ADT^A17|1|P|2.5\r");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, Hl7Error::kUnsupportedEvent);
  EXPECT_EQ(errors[0].location.component, 2);
  errors = Check("MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|X|2.6\r");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].code, Hl7Error::kUnsupportedProcessingId);
  EXPECT_EQ(errors[1].code, Hl7Error::kUnsupportedVersion);
  EXPECT_EQ(AckCodeFor(errors), AckCode::kReject);
}

TEST(ValidatorTest, ResultErrors) {
  auto errors = Check(std::string(kOru) +
                      "OBX|1|NM|GLU||5.0||||||Z\r"
                      "OBX|2|XX|GLU||5.0||||||F\r"
                      "OBX|3|SN|||>=^abc||||||F\r"
                      "OBX|4|DT|LMP||20240231||||||F\r"
                      "OBX|5|ED|PDF||^application^pdf^Base32^AAAA||||||F\r"
                      "OBX|6|ED|PDF||^application^pdf^Base64^not*base64||||||F\r"
                      "OBX|7|ST|NOTE||text\r");
  std::vector<std::pair<int, std::string>> got;
  for (const AckError& e : errors) {
    got.emplace_back(static_cast<int>(e.code), e.location.segment +
                                                   std::to_string(e.location.sequence) + "-" +
                                                   std::to_string(e.location.field));
  }
  std::vector<std::pair<int, std::string>> want = {
      {103, "OBX1-11"}, {103, "OBX2-2"}, {101, "OBX3-3"}, {102, "OBX3-5"},
      {102, "OBX4-5"},  {103, "OBX5-5"}, {102, "OBX6-5"}, {101, "OBX7-11"}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(errors[3].location.component, 2);
  EXPECT_EQ(errors[5].location.component, 4);
  EXPECT_EQ(AckCodeFor(errors), AckCode::kError);
}

TEST(ValidatorTest, SegmentSequence) {
  auto errors =
      Check("MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5\rPID|1\rOBX|1|NM|GLU||5||||||F\r");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].code, Hl7Error::kSegmentSequence);
  EXPECT_EQ(errors[0].location.segment, "OBX");
  EXPECT_EQ(errors[1].code, Hl7Error::kSegmentSequence);
  EXPECT_EQ(errors[1].user_message, "ORU^R01 has no OBR segment (observation request)");
}

TEST(ValidatorTest, AdtAndOrders) {
  auto errors = Check("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rEVN|A01\rPID|1||||\rPV1|1\r");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].user_message, "PID-3 (patient identifier list) is empty");
  EXPECT_EQ(errors[1].location.field, 5);
  errors = Check("MSH|^~\\&|A|B|C|D|20240101||ADT^A04|1|P|2.5\rPID|1||X||Y\r");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].location.segment, "EVN");
  EXPECT_EQ(errors[1].location.segment, "PV1");
  errors = Check("MSH|^~\\&|A|B|C|D|20240101||OML^O21|1|P|2.5.1\rORC|ZZ\rOBR|1\r");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].code, Hl7Error::kTableValueNotFound);
  EXPECT_EQ(errors[1].user_message, "OBR-4 (universal service identifier) is empty");
  errors = Check("MSH|^~\\&|A|B|C|D|20240101||ORM^O01|1|P|2.3\rOBR|1||| X\r");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].user_message, "ORM^O01 has no ORC segment (common order)");
}

}  // namespace
}  // namespace hb::lis
