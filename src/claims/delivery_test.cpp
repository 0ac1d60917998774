// The pieces of delivery that need no network: reading the portals' answers, the Task
// record, MD5 and CSV reading. The contracts end to end are in tests/integration/test_claims.py.
#include <gtest/gtest.h>

#include "claims/claim_task.h"
#include "common/csv.h"
#include "claims/http_client.h"
#include "claims/portal_client.h"

namespace hb::claims {
namespace {

TEST(PortalAnswer, FollowsTheContract) {
  PortalAnswer ok = ReadAnswer({200, R"({"maGiaoDich":"7f0c","trangThai":1,"maLoi":null})", {}});
  EXPECT_EQ(ok.kind, PortalAnswer::kAccepted);
  EXPECT_EQ(ok.transaction, "7f0c");
  PortalAnswer rejected = ReadAnswer(
      {201, R"J({"trangThai":2,"maLoi":"Lỗi hồ sơ thứ 1: (Lỗi cấu trúc xml2 - SO_CCCD)"})J", ""});
  EXPECT_EQ(rejected.kind, PortalAnswer::kRejected);
  EXPECT_EQ(rejected.message, "Lỗi hồ sơ thứ 1: (Lỗi cấu trúc xml2 - SO_CCCD)");
  EXPECT_EQ(ReadAnswer({200, R"({"trangThai":"1"})", ""}).kind, PortalAnswer::kAccepted);
  // System errors and anything unexpected are tried again, never taken as an answer.
  for (long status : {400L, 401L, 500L, 503L}) {
    EXPECT_EQ(ReadAnswer({status, R"({"trangThai":1})", ""}).kind, PortalAnswer::kRetry) << status;
  }
  EXPECT_EQ(ReadAnswer({200, "<html>proxy error</html>", ""}).kind, PortalAnswer::kRetry);
  PortalAnswer down = ReadAnswer({0, "", "Connection refused"});
  EXPECT_EQ(down.kind, PortalAnswer::kRetry);
  EXPECT_NE(down.message.find("Connection refused"), std::string::npos);
}

TEST(PortalClient, PasswordsGoAsMd5) {
  EXPECT_EQ(Md5Hex("demo"), "fe01ce2a7fbac8fafaed7c982a04e229");
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(PortalClient, UnreachablePortalIsRetried) {
  PortalOptions o;
  o.name = "national";
  o.base_url = "http://127.0.0.1:1";  // nothing listens on port 1
  o.timeout = std::chrono::milliseconds(2000);
  PortalClient c(o);
  PortalAnswer a = c.Submit("<GIAMDINHHS/>", "11001");
  EXPECT_EQ(a.kind, PortalAnswer::kRetry);
  EXPECT_NE(a.message.find("token"), std::string::npos);
}

TEST(ClaimTask, RoundTrips) {
  ClaimTask t;
  t.encounter_id = "enc-000001-1";
  t.patient_id = "pat-000001";
  t.portal = "national";
  t.ma_lk = "11101_enc-000001-1";
  t.schema = "3176";
  t.outbox_seq = 42;
  t.status = "failed";
  t.business = "rejected";
  t.reason = "Lỗi hồ sơ thứ 1: (...)";
  t.answer = R"({"trangThai":2})";
  const std::string json = ClaimTaskJson(t, "2025-03-14T09:30:00+07:00");
  EXPECT_NE(json.find(R"("id":"claim-nat-enc-000001-1")"), std::string::npos);
  EXPECT_NE(json.find(R"("code":"claim-submission")"), std::string::npos);
  auto back = ReadClaimTask(json);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->ma_lk, t.ma_lk);
  EXPECT_EQ(back->outbox_seq, 42);
  EXPECT_EQ(back->status, "failed");
  EXPECT_EQ(back->reason, t.reason);
  EXPECT_EQ(back->answer, t.answer);
  EXPECT_EQ(back->authored, "2025-03-14T09:30:00+07:00");
  EXPECT_EQ(ClaimTaskId("provincial", "e1"), "claim-prov-e1");
  EXPECT_FALSE(ReadClaimTask(R"({"resourceType":"Task"})").ok());
}

TEST(Csv, ReadsQuotedFieldsByName) {
  auto t = CsvTable::Parse(
      "\xEF\xBB\xBFMA,TEN,GHI_CHU\r\nT1,\"Cloramphenicol 0,4%\",\"two\nlines, "
      "\"\"quoted\"\"\"\r\n\r\nT2,x\n",
      "t.csv");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows(), 2u);
  EXPECT_EQ(t->Get(0, "TEN"), "Cloramphenicol 0,4%");
  EXPECT_EQ(t->Get(0, "GHI_CHU"), "two\nlines, \"quoted\"");
  EXPECT_EQ(t->Get(1, "GHI_CHU"), "");  // a short row
  EXPECT_EQ(t->Get(0, "NONE"), "");
  EXPECT_FALSE(t->Require({"MA", "DON_GIA"}).ok());
  EXPECT_FALSE(CsvTable::Parse("A\n\"open", "bad.csv").ok());
}

}  // namespace
}  // namespace hb::claims
