// Orders out: which ServiceRequests go to the LIS, the OML^O21 / ORM^O01 they become (checked
// with our own parser and validator), what the order records, and the MLLP client.
#include "lis/order_message.h"

#include <gtest/gtest.h>

#include "fhir/vn_systems.h"
#include "lis/encoder.h"
#include "lis/lis_systems.h"
#include "lis/mllp_client.h"
#include "lis/mllp_server.h"
#include "lis/order_tracking.h"
#include "lis/parser.h"
#include "lis/validator.h"

namespace hb::lis {
namespace {

fhir::JsonDoc Json(const std::string& text) {
  auto doc = fhir::ParseJson(text);
  EXPECT_TRUE(doc.ok()) << doc.status().ToString();
  return std::move(doc).value();
}

std::string Order(const std::string& status = "active", const std::string& extra = "") {
  return R"({"resourceType":"ServiceRequest","id":"sr1","status":")" + status +
         R"(","intent":"order",
    "category":[{"coding":[{"system":"http://snomed.info/sct","code":"108252007"}]}],
    "code":{"coding":[{"system":"http://loinc.org","code":"14749-6","display":"Glucose"},
                      {"system":")" +
         LocalLabCodeSystem("11001") +
         R"(","code":"GLU","display":"Glucose máu"}]},
    "subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},
    "performer":[{"reference":"Organization/org1"}],"priority":"stat",
    "authoredOn":"2024-03-15T07:05:12+07:00","requester":{"display":"BS. Lò Văn Minh"},
    "note":[{"text":"Đang dùng metformin."}])" +
         extra + "}";
}

const std::string kPatient = R"({"resourceType":"Patient","id":"p1",
    "identifier":[{"system":"https://fhir.healthbook.vn/sid/cccd","value":"011189012345"},
                  {"system":"https://fhir.healthbook.vn/sid/mrn/11001","value":"BN2024-1"}],
    "name":[{"family":"Nguyễn","given":["Thị","Hồng"]}],"gender":"female",
    "birthDate":"1989-04-12","telecom":[{"system":"phone","value":"0912345678","use":"mobile"}],
    "address":[{"line":["Tổ 5"],"city":"Phường Him Lam","district":"Thành phố Điện Biên Phủ",
                "state":"Điện Biên","country":"VN"}]})";
const std::string kEncounter = R"({"resourceType":"Encounter","id":"e1","status":"in-progress",
    "class":{"code":"IMP"},"identifier":[{"system":")" +
                               VisitNumberSystem("11001") + R"(","value":"V-1"}]})";

Message Build(const std::string& version, const std::string& control = "NW") {
  fhir::JsonDoc sr = Json(Order()), p = Json(kPatient), e = Json(kEncounter);
  OrderMessageOptions o;
  o.version = version;
  o.facility = "11001";
  o.control_id = "HBABC";
  o.order_control = control;
  o.placer_order = "sr1";
  o.now_micros = 1710471000000000;
  auto m = BuildOrderMessage(sr, &p, &e, o);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return *m;
}

TEST(OrderMessageTest, Oml21CarriesPatientVisitOrderPriorityAndNotes) {
  Message m = Build("2.5.1");
  EXPECT_EQ(m.Type(), "OML^O21");
  EXPECT_EQ(m.MessageStructure(), "OML_O21");
  EXPECT_EQ(m.ControlId(), "HBABC");
  EXPECT_EQ(m.Get("MSH-4"), "11001");
  EXPECT_EQ(m.Get("MSH-7"), "20240315095000+0700");
  EXPECT_EQ(m.Get("PID-3(1).1"), "011189012345");
  EXPECT_EQ(m.Get("PID-3(1).5"), "NI");
  EXPECT_EQ(m.Get("PID-3(2).4"), "11001");
  EXPECT_EQ(m.Get("PID-3(2).5"), "MR");
  EXPECT_EQ(m.Get("PID-5.2"), "Thị Hồng");
  EXPECT_EQ(m.Get("PID-7"), "19890412");
  EXPECT_EQ(m.Get("PID-8"), "F");
  EXPECT_EQ(m.Get("PID-11.2"), "Phường Him Lam");
  EXPECT_EQ(m.Get("PID-11.6"), "VNM");
  EXPECT_EQ(m.Get("PID-13.3"), "CP");
  EXPECT_EQ(m.Get("PV1-2"), "I");
  EXPECT_EQ(m.Get("PV1-19"), "V-1");
  EXPECT_EQ(m.Get("ORC-1"), "NW");
  EXPECT_EQ(m.Get("ORC-2.2"), "HEALTHBOOK");
  EXPECT_EQ(m.Get("ORC-9"), "20240315070512+0700");
  EXPECT_EQ(m.Get("TQ1-9"), "S");
  EXPECT_EQ(m.Get("OBR-2"), "sr1");
  EXPECT_EQ(m.Get("OBR-4.1"), "GLU");  // the LIS's own code, not LOINC
  EXPECT_EQ(m.Get("OBR-4.3"), "L");
  EXPECT_EQ(m.Get("OBR-16.2"), "BS. Lò Văn Minh");
  EXPECT_EQ(m.Get("NTE-3"), "Đang dùng metformin.");
  EXPECT_TRUE(ValidateMessage(m).empty());
  // What goes on the wire parses back to the same message.
  auto again = ParseMessage(Encode(m));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->Get("PID-5"), "Nguyễn");
}

TEST(OrderMessageTest, OlderSystemsGetOrm01) {
  Message m = Build("2.3", "CA");
  EXPECT_EQ(m.Type(), "ORM^O01");
  EXPECT_EQ(m.MessageStructure(), "");
  EXPECT_EQ(m.Find("TQ1"), nullptr);
  EXPECT_EQ(m.Get("ORC-1"), "CA");
  EXPECT_EQ(m.Get("ORC-7.6"), "S");
  EXPECT_EQ(m.Get("OBR-27.6"), "S");
  EXPECT_EQ(m.CharacterSet(), "UNICODE");
  EXPECT_TRUE(ValidateMessage(m).empty());
}

TEST(OrderMessageTest, AnOrderWithoutCodeOrPatientIsNotSent) {
  fhir::JsonDoc sr = Json(R"({"resourceType":"ServiceRequest","status":"active",
      "intent":"order","subject":{"reference":"Patient/p"},"code":{"text":"đường máu"}})");
  auto m = BuildOrderMessage(sr, nullptr, nullptr, {});
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.status().location(), "ServiceRequest.code");
}

TEST(OrderTrackingTest, DecidesWhatToSend) {
  auto decide = [](const std::string& json, std::string_view owner = "") {
    return DecideOrderAction(Json(json), "11001", "org1", owner);
  };
  OrderAction a = decide(Order());
  EXPECT_EQ(a.control, "NW");
  EXPECT_EQ(a.placer, "sr1");
  EXPECT_TRUE(a.add_placer_identifier);
  EXPECT_EQ(decide(Order("revoked")).control, "") << "never sent: nothing to cancel";
  EXPECT_EQ(decide(Order("completed")).control, "");
  // Another facility's laboratory.
  std::string other = Order();
  other.replace(other.find("Organization/org1"), 17, "Organization/org2");
  EXPECT_EQ(decide(other).control, "");
  // No performer: the facility that wrote it.
  std::string none = Order();
  const std::string performer = R"("performer":[{"reference":"Organization/org1"}],)";
  none.replace(none.find(performer), performer.size(), "");
  EXPECT_EQ(decide(none, "org1").control, "NW");
  EXPECT_EQ(decide(none, "org2").control, "");
  // Numbered by the LIS (it came from a result): not sent back.
  EXPECT_EQ(decide(Order("active", R"(,"identifier":[{"system":")" + FillerOrderSystem("11001") +
                                       R"(","value":"F1"}])"))
                .control,
            "");
  // Not a laboratory order.
  std::string imaging = Order();
  imaging.replace(imaging.find("108252007"), 9, "363679005");
  EXPECT_EQ(decide(imaging).control, "");
}

TEST(OrderTrackingTest, TheOrderRecordsWhatWasSentAndTheAnswer) {
  fhir::JsonDoc sr = Json(Order());
  OrderAction nw = DecideOrderAction(sr, "11001", "org1", "");
  const std::string id = OrderControlId(OrderOutboxKey("sr1", "NW"));
  EXPECT_LE(id.size(), 20u);
  EXPECT_EQ(id, OrderControlId("sr1:NW"));
  EXPECT_NE(id, OrderControlId("sr1:CA"));
  RecordOrderQueued(sr, sr.GetAllocator(), nw, "11001", id, "2024-03-15T07:06:00+07:00");
  EXPECT_EQ(DecideOrderAction(sr, "11001", "org1", "").control, "") << "sent once";
  EXPECT_TRUE(RecordOrderAck(sr, sr.GetAllocator(), id, "AE", "Mã không tồn tại",
                             "2024-03-15T07:06:01+07:00"));
  EXPECT_TRUE(RecordOrderAck(sr, sr.GetAllocator(), id, "AA", "", "2024-03-15T07:09:00+07:00"));
  EXPECT_FALSE(RecordOrderAck(sr, sr.GetAllocator(), "other", "AA", "", "x"));
  std::string text = fhir::Serialize(sr);
  EXPECT_NE(text.find(R"({"url":"ack","valueCode":"AA"})"), std::string::npos) << text;
  EXPECT_EQ(text.find("Mã không tồn tại"), std::string::npos) << "the later answer replaces";
  EXPECT_NE(text.find(R"("system":")" + PlacerOrderSystem("11001") + R"(","value":"sr1")"),
            std::string::npos);
  fhir::JsonValue* status = fhir::Member(sr, "status");
  fhir::SetString(*status, "revoked", sr.GetAllocator());
  OrderAction ca = DecideOrderAction(sr, "11001", "org1", "");
  EXPECT_EQ(ca.control, "CA");
  EXPECT_EQ(ca.placer, "sr1");
  EXPECT_FALSE(ca.add_placer_identifier);
}

TEST(MllpClientTest, SendsAndReadsTheAnswer) {
  MllpServerOptions o;
  o.port = 0;
  o.shutdown_grace = std::chrono::seconds(1);  // the SLOW message is never answered
  MllpServer server(o, [](std::string message, const MllpPeer&, MllpReply reply) {
    if (message.find("SLOW") == std::string::npos) reply("ACK for " + message.substr(0, 3));
  });
  ASSERT_TRUE(server.Start().ok());
  MllpClientOptions c;
  c.host = "127.0.0.1";
  c.port = server.port();
  c.reply_timeout = std::chrono::milliseconds(300);
  auto r = MllpSend(c, "MSH|hello");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "ACK for MSH");
  auto slow = MllpSend(c, "SLOW");
  EXPECT_EQ(slow.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(slow.status().message().find("no ACK within"), std::string::npos);
  server.Stop();
  auto down = MllpSend(c, "MSH|hello");
  EXPECT_EQ(down.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(down.status().message().find("cannot connect"), std::string::npos);
}

}  // namespace
}  // namespace hb::lis
