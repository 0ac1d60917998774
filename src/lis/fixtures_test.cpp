// The real-world-shaped files in tests/fixtures/hl7: every valid one parses and round-trips,
// its content reads as the sender meant; every file in invalid/ is refused for its reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lis/datatypes.h"
#include "lis/encoder.h"
#include "lis/groups.h"
#include "lis/parser.h"

namespace hb::lis {
namespace {

namespace fs = std::filesystem;
const fs::path kDir = HB_HL7_FIXTURES_DIR;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What the encoder must give back: the segments, each ended by CR, without BOM or blank lines.
std::string Normalised(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::string out, line;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\r' || text[i] == '\n') {
      if (line.find_first_not_of(" \t") != std::string::npos) out += line + "\r";
      line.clear();
    } else {
      line += text[i];
    }
  }
  return out;
}

BatchFile ParseFixture(const std::string& name) {
  auto file = ParseBatch(Read(kDir / name));
  EXPECT_TRUE(file.ok()) << name << ": " << file.status().ToString();
  return file.ok() ? std::move(file).value() : BatchFile();
}

Message One(const std::string& name) {
  BatchFile f = ParseFixture(name);
  EXPECT_EQ(f.MessageCount(), 1u) << name;
  return f.MessageCount() == 1 ? f.batches[0].messages[0] : Message();
}

TEST(FixturesTest, EveryValidFileRoundTrips) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().extension() != ".hl7") continue;
    ++files;
    std::string name = entry.path().filename().string();
    std::string text = Read(entry.path());
    auto file = ParseBatch(text);
    ASSERT_TRUE(file.ok()) << name << ": " << file.status().ToString();
    std::string expected = Normalised(text);
    if (name == "latin1.hl7") expected = *ToUtf8(expected, Charset::kLatin1);
    EXPECT_EQ(Encode(*file), expected) << name;
    // Parsing the wire encoding again gives the same text: nothing drifts.
    auto wire = EncodeForWire(*file);
    ASSERT_TRUE(wire.ok()) << name;
    EXPECT_EQ(Encode(*ParseBatch(*wire)), expected) << name;
    EXPECT_EQ(*wire, Normalised(text)) << name << ": the wire form is the input's bytes";
  }
  EXPECT_GE(files, 14);
}

TEST(FixturesTest, EveryInvalidFileIsRefusedForItsReason) {
  const std::pair<const char*, ParseErrorKind> cases[] = {
      {"no_msh.hl7", ParseErrorKind::kNoMsh},
      {"msh_too_short.hl7", ParseErrorKind::kMshTooShort},
      {"missing_encoding_characters.hl7", ParseErrorKind::kMissingEncodingCharacters},
      {"duplicate_delimiter.hl7", ParseErrorKind::kDuplicateDelimiter},
      {"unterminated_escape.hl7", ParseErrorKind::kBadEscape},
      {"bad_segment_name.hl7", ParseErrorKind::kBadSegmentName},
      {"bad_utf8.hl7", ParseErrorKind::kBadCharset},
      {"unsupported_charset.hl7", ParseErrorKind::kBadCharset},
      {"batch_count_mismatch.hl7", ParseErrorKind::kBatchStructure},
  };
  size_t on_disk = 0;
  for (const auto& entry : fs::directory_iterator(kDir / "invalid"))
    on_disk += entry.is_regular_file();
  EXPECT_EQ(on_disk, std::size(cases)) << "every invalid fixture needs its expected reason here";
  for (const auto& [name, kind] : cases) {
    ParseError e;
    auto r = ParseBatch(Read(kDir / "invalid" / name), &e);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(e.kind, kind) << name << ": " << e.ToString();
    EXPECT_GT(e.line, 0) << name;
    EXPECT_GT(e.segment, 0) << name;
  }
}

TEST(FixturesTest, ChemistryAnalyzerResults) {
  Message m = One("oru_r01_chemistry.hl7");
  EXPECT_EQ(m.Type(), "ORU^R01");
  EXPECT_EQ(m.MessageStructure(), "ORU_R01");
  EXPECT_EQ(m.ControlId(), "C6K-20240315-000187");
  EXPECT_EQ(m.Version(), "2.5.1");
  EXPECT_EQ(m.charset(), Charset::kUtf8);
  EXPECT_EQ(m.SendingApplication(), "COBAS6000");
  EXPECT_EQ(m.Get("MSH-4.2"), "11001.XN");
  EXPECT_EQ(m.Get("PID-5"), "Nguyễn");
  EXPECT_EQ(m.Get("PID-11.3"), "Thành phố Điện Biên Phủ");

  std::vector<OrderObservation> orders = OrderObservations(m);
  ASSERT_EQ(orders.size(), 1u);
  const OrderObservation& o = orders[0];
  EXPECT_EQ(o.orc->Get(1), "RE");
  EXPECT_EQ(o.obr->Get(4, 1, 2), "Sinh hóa máu");
  ASSERT_EQ(o.observations.size(), 13u);

  const Segment& glucose = *o.observations[0].obx;
  EXPECT_EQ(glucose.Get(2), "NM");
  EXPECT_EQ(ReadCwe(glucose, 3).code, "2345-7");
  EXPECT_EQ(ReadCwe(glucose, 3).system, "LN");
  EXPECT_EQ(ReadCwe(glucose, 3).alternate_code, "GLU");
  EXPECT_EQ(glucose.Get(5), "7.8");
  EXPECT_EQ(glucose.Get(6), "mmol/L");
  EXPECT_EQ(glucose.Get(7), "3.9-6.4");
  EXPECT_EQ(glucose.Get(8), "H");
  EXPECT_EQ(glucose.Get(11), "F");
  EXPECT_EQ(*TsToFhirDateTime(glucose.Get(14)), "2024-03-15T09:15:12+07:00");
  EXPECT_EQ(glucose.Get(16, 1, 2), "Quàng");

  const Observation& alt = o.observations[2];
  EXPECT_EQ(alt.obx->Get(8), "HH");
  EXPECT_EQ(alt.obx->Get(11), "C") << "a corrected result";
  ASSERT_EQ(alt.notes.size(), 1u);
  EXPECT_EQ(alt.notes[0]->Get(3), "Kết quả đã được hiệu chỉnh sau khi chạy lại mẫu lúc 09:20.");

  Sn egfr = ReadSn(*o.observations[3].obx, 5);
  EXPECT_EQ(egfr.comparator, ">");
  EXPECT_EQ(egfr.num1, "90");
  EXPECT_EQ(ReadCwe(*o.observations[4].obx, 5).alternate_text, "Âm tính");
  EXPECT_EQ(o.observations[5].obx->Get(2), "CE");
  EXPECT_EQ(o.observations[6].obx->Get(5), "Vàng nhạt");
  const Segment& tx = *o.observations[7].obx;
  EXPECT_EQ(tx.RepetitionCount(5), 2);
  EXPECT_EQ(tx.Get(5, 2), "Đề nghị lấy lại mẫu nếu cần kiểm tra Kali.");
  EXPECT_EQ(*TsToFhirDateTime(o.observations[8].obx->Get(5)), "2024-03-01");
  const Segment& ed = *o.observations[10].obx;
  EXPECT_EQ(ed.Get(5, 1, 2), "application");
  EXPECT_EQ(ed.Get(5, 1, 4), "Base64");
  EXPECT_EQ(ed.Get(5, 1, 5).rfind("JVBERi0xLjQK", 0), 0u) << "%PDF-1.4";
  Sn titer = ReadSn(*o.observations[12].obx, 5);
  EXPECT_EQ(titer.num1 + titer.separator + titer.num2, "1:160");
}

TEST(FixturesTest, HematologyV23WithLfAndZSegment) {
  Message m = One("oru_r01_hematology_v23_lf.hl7");
  EXPECT_EQ(m.Version(), "2.3");
  EXPECT_EQ(m.MessageStructure(), "");
  EXPECT_EQ(m.segments().size(), 9u);
  std::vector<OrderObservation> orders = OrderObservations(m);
  ASSERT_EQ(orders.size(), 1u);
  ASSERT_EQ(orders[0].observations.size(), 5u);
  EXPECT_EQ(orders[0].observations[3].obx->Get(8), "L");
  ASSERT_EQ(orders[0].observations[3].others.size(), 1u);
  EXPECT_EQ(orders[0].observations[3].others[0]->Get(3), "LOT 240301");
}

TEST(FixturesTest, AdmissionWithCccdAndInsuranceCard) {
  Message m = One("adt_a01_cccd.hl7");
  EXPECT_EQ(m.Type(), "ADT^A01");
  const Segment& pid = *m.Find("PID");
  ASSERT_EQ(pid.RepetitionCount(3), 3);
  Cx cccd = ReadCx(pid, 3, 2);
  EXPECT_EQ(cccd.id, "011189012345");
  EXPECT_EQ(cccd.identifier_type, "NI");
  EXPECT_EQ(cccd.assigning_authority.namespace_id, "BCA");
  EXPECT_EQ(ReadCx(pid, 3, 3).id, "DN4011121234567");
  EXPECT_EQ(ReadCx(pid, 3, 1).assigning_authority.universal_id, "11001");
  EXPECT_EQ(ReadXpn(pid, 5, 2).family, "NGUYEN");
  EXPECT_EQ(m.Get("PID-11(2).2"), "Xã Thanh Minh");
  EXPECT_EQ(m.Get("PV1-44"), "20240315074000+0700");
  EXPECT_EQ(m.Get("EVN-5.2"), "Điêu");
  EXPECT_EQ(m.Get("ZPI-3"), "Nông dân");
  EXPECT_EQ(m.Get("IN1-36"), "DN4011121234567");
}

TEST(FixturesTest, RegistrationAndUpdate) {
  Message a04 = One("adt_a04_register_crlf.hl7");
  EXPECT_EQ(a04.Type(), "ADT^A04");
  EXPECT_EQ(a04.MessageStructure(), "ADT_A01");
  EXPECT_EQ(a04.Get("PID-3"), "011201004567");
  EXPECT_EQ(a04.Get("PV1-19"), "V-20240316-0077");
  Message a08 = One("adt_a08_update_v231.hl7");
  EXPECT_EQ(a08.Type(), "ADT^A08");
  EXPECT_EQ(a08.Version(), "2.3.1");
  EXPECT_EQ(a08.Get("PID-5.2"), "Thị Ngọc Ánh");
  EXPECT_EQ(a08.Get("ZPV-2"), "Chuyển tuyến từ TYT xã Quài Tở");
}

TEST(FixturesTest, LabOrders) {
  Message oml = One("oml_o21_lab_order.hl7");
  EXPECT_EQ(oml.Type(), "OML^O21");
  std::vector<OrderObservation> orders = OrderObservations(oml);
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].orc->Get(1), "NW");
  EXPECT_EQ(orders[0].obr->Get(4), "CHEM");
  ASSERT_EQ(orders[0].others.size(), 2u);
  EXPECT_EQ(orders[0].others[0]->name(), "TQ1");
  EXPECT_EQ(orders[0].others[1]->Get(2, 1, 1, 2), "LIS");
  EXPECT_EQ(orders[1].obr->Get(4), "4548-4");
  EXPECT_EQ(orders[1].observations.size(), 1u);

  Message orm = One("orm_o01_order_v23.hl7");
  EXPECT_EQ(orm.Type(), "ORM^O01");
  orders = OrderObservations(orm);
  ASSERT_EQ(orders.size(), 2u) << "the second OBR has no ORC of its own";
  EXPECT_EQ(orders[1].orc, nullptr);
  EXPECT_EQ(orders[1].obr->Get(4, 1, 2), "CRP định lượng");
}

TEST(FixturesTest, BatchOfResults) {
  BatchFile f = ParseFixture("batch_lab_results.hl7");
  ASSERT_TRUE(f.header.has_value());
  EXPECT_EQ(f.header->Get(9), "KQ-20240315.hl7");
  EXPECT_EQ(f.header->Get(10), "Kết quả ngày 15/03");
  ASSERT_EQ(f.batches.size(), 1u);
  EXPECT_EQ(f.batches[0].header->Get(11), "B-0315-1");
  EXPECT_EQ(f.batches[0].trailer->Get(2), "Lô 1");
  ASSERT_EQ(f.MessageCount(), 3u);
  std::vector<const Message*> all = f.Messages();
  EXPECT_EQ(all[1]->Get("PID-5"), "Vì");
  EXPECT_EQ(all[1]->Get("OBX-8"), "HH");
  EXPECT_EQ(all[2]->ControlId(), "B0315-0003");
}

TEST(FixturesTest, CustomDelimiters) {
  Message m = One("custom_delimiters.hl7");
  EXPECT_EQ(m.delimiters().field, '^');
  EXPECT_EQ(m.delimiters().component, '~');
  EXPECT_EQ(m.delimiters().repetition, '|');
  EXPECT_EQ(m.Type(), "ORU^R01") << "Type() joins with '^' whatever the delimiters";
  EXPECT_EQ(m.ControlId(), "CUST-0001");
  EXPECT_EQ(m.Get("PID-3(2)"), "011189012345");
  EXPECT_EQ(m.Get("PID-5.2"), "Thị Hồng");
  EXPECT_EQ(m.Get("OBX-5"), "5.2");
  EXPECT_EQ(m.Get("OBX(2)-5"), "Tỉ lệ A~G ^ 1.4");
}

TEST(FixturesTest, EscapesDecode) {
  Message m = One("escapes.hl7");
  EXPECT_EQ(m.Get("OBX-5"),
            "Cấy máu: Staphylococcus aureus\nKháng sinh đồ:\n - Oxacillin: R\n - Vancomycin: S "
            "(MIC <=1 µg/mL)");
  EXPECT_EQ(m.Get("OBX(2)-5"), "Tỷ lệ A^G & albumin|globulin = 1.4 \\ ngưỡng ~ 1.2");
  EXPECT_EQ(m.Get("OBX(3)-5"), "Dòng 1\r\nDòng 2\n\nDòng 3 \\Zlocal\\ hết");
  EXPECT_EQ(m.Get("NTE-3"), "Đường dẫn: \\\\lab01\\kq\\");
}

TEST(FixturesTest, ToleratedLayouts) {
  Message lf = One("lf_bom_trailing.hl7");
  EXPECT_EQ(lf.SendingApplication(), "ANALYZER");
  EXPECT_EQ(lf.segments().size(), 4u);
  EXPECT_EQ(lf.Find("OBX")->line(), 6);
  EXPECT_EQ(lf.Find("OBX")->FieldCount(), 14);
  EXPECT_EQ(lf.Get("PID-5.2"), "Minh");
  Message mixed = One("mixed_endings.hl7");
  EXPECT_EQ(mixed.segments().size(), 5u);
  EXPECT_EQ(mixed.Get("OBX(2)-5"), "71");
}

TEST(FixturesTest, Latin1AndTruncationCharacter) {
  Message latin = One("latin1.hl7");
  EXPECT_EQ(latin.charset(), Charset::kLatin1);
  EXPECT_EQ(latin.Get("PID-5"), "Dupré");
  EXPECT_EQ(latin.Get("NTE-3"), "Résultat validé");
  Message v27 = One("truncation_char.hl7");
  EXPECT_EQ(v27.delimiters().truncation, '#');
  EXPECT_EQ(v27.Get("MSH-2"), "^~\\&#");
  EXPECT_EQ(v27.Get("MSH-3"), "NEWLIS");
  EXPECT_EQ(v27.Get("OBX-5"), "Mã #12 xong");
}

}  // namespace
}  // namespace hb::lis
