// The message model: terser paths, typed readers, building, groups.
#include <gtest/gtest.h>

#include "lis/datatypes.h"
#include "lis/encoder.h"
#include "lis/groups.h"
#include "lis/parser.h"

namespace hb::lis {
namespace {

Message Parse(std::string_view text) {
  auto m = ParseMessage(text);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m).value() : Message();
}

const char* kAdt =
    "MSH|^~\\&|HIS|BV^11001^L|HB|SYT|20240315074512+0700||ADT^A01^ADT_A01|A-1|P|2.5\r"
    "PID|1||BN1^^^BV&11001&L^MR~011189012345^^^BCA^NI||Nguyễn^Thị Hồng^^^^^L~NGUYEN^THI "
    "HONG||19890412|F\r"
    "NK1|1|Trần^Hùng\r"
    "NK1|2|Trần^Mai\r";

TEST(TerserPathTest, Grammar) {
  auto p = TerserPath::Parse("PID-3(2).4.2");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->segment, "PID");
  EXPECT_EQ(p->segment_rep, 1);
  EXPECT_EQ(p->field, 3);
  EXPECT_EQ(p->field_rep, 2);
  EXPECT_EQ(p->component, 4);
  EXPECT_EQ(p->subcomponent, 2);
  EXPECT_EQ(p->ToString(), "PID-3(2).4.2");
  EXPECT_EQ(TerserPath::Parse("OBX(3)-5-1")->ToString(), "OBX(3)-5.1");
  EXPECT_EQ(TerserPath::Parse("PV1-19")->ToString(), "PV1-19");
  for (std::string_view bad : {"", "pid-3", "PID", "PID-", "PID-0", "PID(0)-3", "PID-3(",
                               "PID-3(x)", "PID-3..1", "PID-3.1.2.3", "PID-3 "}) {
    auto r = TerserPath::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(TerserPath::Parse("PID-3.x").status().message().find("at character 7"),
            std::string::npos);
}

TEST(MessageTest, GetReadsDecodedLeaves) {
  Message m = Parse(kAdt);
  EXPECT_EQ(m.Get("PID-3"), "BN1");
  EXPECT_EQ(m.Get("PID-3(2)"), "011189012345");
  EXPECT_EQ(m.Get("PID-3(2).5"), "NI");
  EXPECT_EQ(m.Get("PID-3.4.2"), "11001");
  EXPECT_EQ(m.Get("PID-5"), "Nguyễn");
  EXPECT_EQ(m.Get("PID-5(2).2"), "THI HONG");
  EXPECT_EQ(m.Get("NK1(2)-2.2"), "Mai");
  EXPECT_EQ(m.Get("NK1(3)-2"), "");
  EXPECT_EQ(m.Get("PID-3(9)"), "");
  EXPECT_EQ(m.Get("PID-99"), "");
  EXPECT_EQ(m.Get("ZZZ-1"), "");
  EXPECT_EQ(m.Get("not a path"), "");
  EXPECT_FALSE(m.Lookup("not a path").ok());
  EXPECT_EQ(*m.Lookup("MSH-9.3"), "ADT_A01");
  EXPECT_EQ(m.GetRaw(*TerserPath::Parse("PID-3")), "BN1^^^BV&11001&L^MR~011189012345^^^BCA^NI");
  EXPECT_EQ(m.GetRaw(*TerserPath::Parse("PID-3(1)")), "BN1^^^BV&11001&L^MR");
  EXPECT_EQ(m.GetRaw(*TerserPath::Parse("PID-3.4")), "BV&11001&L");
}

TEST(MessageTest, HeaderAccessors) {
  Message m = Parse(kAdt);
  EXPECT_EQ(m.SendingApplication(), "HIS");
  EXPECT_EQ(m.SendingFacility(), "BV");
  EXPECT_EQ(m.ReceivingApplication(), "HB");
  EXPECT_EQ(m.ReceivingFacility(), "SYT");
  EXPECT_EQ(m.DateTimeOfMessage(), "20240315074512+0700");
  EXPECT_EQ(m.MessageCode(), "ADT");
  EXPECT_EQ(m.TriggerEvent(), "A01");
  EXPECT_EQ(m.MessageStructure(), "ADT_A01");
  EXPECT_EQ(m.ControlId(), "A-1");
  EXPECT_EQ(m.ProcessingId(), "P");
  EXPECT_EQ(m.Version(), "2.5");
  EXPECT_EQ(m.CharacterSet(), "");
  EXPECT_EQ(m.FindAll("NK1").size(), 2u);
  EXPECT_EQ(m.OccurrenceOf(m.Find("NK1", 2)), 2);
}

TEST(MessageTest, SetEscapesAndGrows) {
  Message m = Parse(kAdt);
  ASSERT_TRUE(m.Set("PID-5(2).2", "A^B & C").ok());
  EXPECT_EQ(m.Get("PID-5(2).2"), "A^B & C");
  EXPECT_EQ(m.Find("PID")->RawField(5), "Nguyễn^Thị Hồng^^^^^L~NGUYEN^A\\S\\B \\T\\ C");
  ASSERT_TRUE(m.Set("PID-30", "Y").ok());
  EXPECT_EQ(m.Find("PID")->FieldCount(), 30);
  ASSERT_TRUE(m.Set("NK1(2)-4(3).2.2", "x").ok());
  EXPECT_EQ(m.Find("NK1", 2)->RawField(4), "~~^&x");
  ASSERT_TRUE(m.Set("PID-8", "line1\nline2").ok());
  EXPECT_EQ(m.Find("PID")->RawField(8), "line1\\.br\\line2");
  EXPECT_FALSE(m.Set("OBX-5", "1").ok()) << "no OBX segment";
  ASSERT_TRUE(m.Set("MSH-1", "#").ok());
  EXPECT_EQ(m.Get("MSH-1"), "|") << "the delimiters cannot be overwritten";
}

TEST(MessageTest, BuildFromScratch) {
  Message m = Message::WithHeader();
  ASSERT_TRUE(m.Set("MSH-9.1", "ADT").ok());
  ASSERT_TRUE(m.Set("MSH-9.2", "A08").ok());
  ASSERT_TRUE(m.Set("MSH-12", "2.5.1").ok());
  Segment& pid = m.AddSegment("PID");
  pid.Set(5, 1, 1, 1, "Lò");
  pid.Set(5, 1, 2, 1, "Văn Pánh");
  EXPECT_EQ(Encode(m), "MSH|^~\\&|||||||ADT^A08|||2.5.1\rPID|||||Lò^Văn Pánh\r");
}

TEST(DatatypesTest, Composites) {
  Message m = Parse(kAdt);
  const Segment& pid = *m.Find("PID");
  Cx mrn = ReadCx(pid, 3);
  EXPECT_EQ(mrn.id, "BN1");
  EXPECT_EQ(mrn.assigning_authority.namespace_id, "BV");
  EXPECT_EQ(mrn.assigning_authority.universal_id, "11001");
  EXPECT_EQ(mrn.assigning_authority.universal_id_type, "L");
  EXPECT_EQ(mrn.identifier_type, "MR");
  Cx cccd = ReadCx(pid, 3, 2);
  EXPECT_EQ(cccd.id, "011189012345");
  EXPECT_EQ(cccd.id.size(), 12u);
  EXPECT_EQ(cccd.identifier_type, "NI");
  Xpn name = ReadXpn(pid, 5);
  EXPECT_EQ(name.family, "Nguyễn");
  EXPECT_EQ(name.given, "Thị Hồng");
  EXPECT_EQ(name.name_type, "L");
  Hd app = ReadHd(*m.header(), 4);
  EXPECT_EQ(app.universal_id, "11001");
}

TEST(DatatypesTest, NumericAndTimestamps) {
  for (std::string_view ok : {"1", "-1.5", "+0.25", ".5", "5.", "0012"})
    EXPECT_TRUE(IsHl7Numeric(ok)) << ok;
  for (std::string_view bad : {"", "-", ".", "1,5", "1e3", "5 ", "1.2.3", "<5"}) {
    EXPECT_FALSE(IsHl7Numeric(bad)) << bad;
  }
  EXPECT_EQ(*TsToFhirDateTime("20240315083000+0700"), "2024-03-15T08:30:00+07:00");
  EXPECT_EQ(*TsToFhirDateTime("20240315083000.1234-0500"), "2024-03-15T08:30:00.1234-05:00");
  EXPECT_EQ(*TsToFhirDateTime("202403150830"), "2024-03-15T08:30:00+07:00");
  EXPECT_EQ(*TsToFhirDateTime("2024031508", "Z"), "2024-03-15T08:00:00Z");
  EXPECT_EQ(*TsToFhirDateTime("20240315"), "2024-03-15");
  EXPECT_EQ(*TsToFhirDateTime("202403"), "2024-03");
  EXPECT_EQ(*TsToFhirDateTime("2024"), "2024");
  EXPECT_EQ(*TsToFhirDateTime("20240229"), "2024-02-29");
  for (std::string_view bad :
       {"", "2024031", "20230229", "20241301", "20240315246000", "2024031508300",
        "20240315083000+07", "2024+0700", "2024031508a0", "20240315.5"}) {
    EXPECT_FALSE(TsToFhirDateTime(bad).ok()) << bad;
  }
}

TEST(GroupsTest, OrderObservations) {
  Message m = Parse(
      "MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5.1\r"
      "PID|1\rPV1|1\r"
      "ORC|RE|O1\rOBR|1|O1\rNTE|1||order note\r"
      "OBX|1|NM|GLU||5.0||||||F\rNTE|1||obs note\rZBX|1\r"
      "OBX|2|NM|K||4.0||||||F\r"
      "OBR|2|O2\rSPM|1\rOBX|1|ST|X||y||||||F\r");
  std::vector<OrderObservation> orders = OrderObservations(m);
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_NE(orders[0].orc, nullptr);
  EXPECT_EQ(orders[0].obr->Get(2), "O1");
  ASSERT_EQ(orders[0].notes.size(), 1u);
  EXPECT_EQ(orders[0].notes[0]->Get(3), "order note");
  ASSERT_EQ(orders[0].observations.size(), 2u);
  EXPECT_EQ(orders[0].observations[0].obx->Get(3), "GLU");
  EXPECT_EQ(orders[0].observations[0].notes[0]->Get(3), "obs note");
  EXPECT_EQ(orders[0].observations[0].others[0]->name(), "ZBX");
  EXPECT_TRUE(orders[0].observations[1].notes.empty());
  EXPECT_EQ(orders[1].orc, nullptr);
  EXPECT_EQ(orders[1].others[0]->name(), "SPM");
  EXPECT_EQ(orders[1].observations.size(), 1u);

  std::vector<SegmentGroup> obx = Groups(m, "OBX", {"NTE", "ZBX"});
  ASSERT_EQ(obx.size(), 3u);
  EXPECT_EQ(obx[0].segments.size(), 3u);
  EXPECT_EQ(obx[0].leader().Get(3), "GLU");
  EXPECT_EQ(obx[1].segments.size(), 1u);
}

TEST(GroupsTest, PatientSegmentsEndAnOrder) {
  Message m = Parse(
      "MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5.1\r"
      "PID|1\rOBR|1\rOBX|1|NM|A||1||||||F\rPID|2\rNTE|1||patient 2 note\rOBR|2\r");
  std::vector<OrderObservation> orders = OrderObservations(m);
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_TRUE(orders[1].notes.empty()) << "a NTE after PID belongs to the patient";
}

}  // namespace
}  // namespace hb::lis
