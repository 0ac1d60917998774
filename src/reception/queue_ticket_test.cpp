#include "reception/queue_ticket.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "reception/queue_snapshot.h"
#include "reception/uris.h"

namespace hb::reception {
namespace {

TEST(QueueTicketTest, LocalDayFollowsTheFacilitysCalendar) {
  // 2026-01-14T17:00:00Z is midnight of the 15th in Vietnam (UTC+7).
  int64_t t = *ParseFhirDateTime("2026-01-14T17:00:00Z");
  EXPECT_EQ(LocalDay(t, 420), "20260115");
  EXPECT_EQ(LocalDay(t - 1, 420), "20260114");
  EXPECT_EQ(LocalDay(t, 0), "20260114");
  EXPECT_EQ(LocalDay(*ParseFhirDateTime("2028-02-29T12:00:00Z"), 420), "20280229");
  EXPECT_EQ(LocalDay(*ParseFhirDateTime("1969-12-31T20:00:00Z"), 0), "19691231");
  EXPECT_EQ(DayIso("20260115"), "2026-01-15");
}

TEST(QueueTicketTest, EncounterCarriesItsTicketAndCanBeCalled) {
  QueueKey key{"org1", "KHAMNOI", "20260115"};
  VisitRequest v;
  v.patient_id = "p1";
  v.patient_display = "Lò Văn A";
  v.department = "KHAMNOI";
  v.department_display = "Khám nội";
  v.facility_org = "org1";
  v.priority = "UR";
  int64_t now = *ParseFhirDateTime("2026-01-15T01:00:00Z");
  std::string json = EncounterJson(v, key, 7, now);
  EXPECT_NE(json.find(R"("value":"org1:20260115:KHAMNOI:7")"), std::string::npos);
  EXPECT_NE(json.find(QueueTagSystem()), std::string::npos);
  auto doc = fhir::ParseJson(json);
  ASSERT_TRUE(doc.ok());
  auto t = TicketOf(*doc);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->key, key);
  EXPECT_EQ(t->number, 7);
  EXPECT_EQ(t->status, "arrived");
  EXPECT_EQ(t->priority, "UR");
  EXPECT_EQ(t->patient_ref, "Patient/p1");
  EXPECT_TRUE(t->Waiting());
  auto called = CalledEncounterJson(json, now + 600'000'000);
  ASSERT_TRUE(called.ok()) << called.status().ToString();
  auto cdoc = fhir::ParseJson(*called);
  auto ct = TicketOf(*cdoc);
  EXPECT_EQ(ct->status, "in-progress");
  EXPECT_EQ(ct->called, "2026-01-15T01:10:00.000Z");
  EXPECT_NE(
      called->find(
          R"("statusHistory":[{"status":"arrived","period":{"start":"2026-01-15T01:00:00.000Z","end":"2026-01-15T01:10:00.000Z"}}])"),
      std::string::npos);
  EXPECT_EQ(CalledEncounterJson(*called, now).status().code(), ErrorCode::kConflict);
}

TEST(QueueTicketTest, CallOrderIsPriorityThenNumber) {
  QueueSnapshot s;
  auto add = [&](int n, std::string prio, std::string status = "arrived") {
    QueueTicket t;
    t.number = n;
    t.priority = std::move(prio);
    t.status = std::move(status);
    s.tickets.push_back(t);
  };
  add(1, "", "in-progress");
  add(2, "");
  add(3, "UR");
  add(4, "");
  add(5, "EM");
  add(6, "A");
  std::vector<int> order;
  for (const auto* t : s.CallOrder()) order.push_back(t->number);
  EXPECT_EQ(order, (std::vector<int>{5, 3, 6, 2, 4}));
  EXPECT_EQ(PriorityRank("S"), 0);
  EXPECT_EQ(PriorityRank("R"), 2);
  std::string display = QueueDisplayJson(s);
  EXPECT_EQ(display.find("Patient"), std::string::npos);  // no names on the waiting-room screen
  EXPECT_NE(display.find(R"({"number":5,"status":"waiting","priority":"priority"})"),
            std::string::npos);
}

}  // namespace
}  // namespace hb::reception
