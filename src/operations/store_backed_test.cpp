// Reception logic against a real store: queue numbers allocated on the writer (concurrent,
// rolled back, after a restart) and patient matching through the search index.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "common/clock.h"
#include "fhir/vn_facility_level.h"
#include "jobs/temp_store_test.h"
#include "operations/op_support.h"
#include "reception/patient_matcher.h"
#include "reception/queue_snapshot.h"
#include "search/param_registry.h"

namespace hb::operations {
namespace {

class StoreBackedTest : public testing::TempStoreTest {
 protected:
  StoreBackedTest() : TempStoreTest("hb_ops_test") {}
  void Configure(storage::sqlite::SqliteStoreOptions& o) override {
    o.synchronous_full = false;
    o.search_params = search::ParamRegistry::Default().IndexedPairs();
  }

  // Starts a visit of `patient` in `key`'s queue; `fail` rolls the write back after the
  // number was taken. Returns the number (0 on failure).
  int Visit(reception::QueueNumbers& numbers, const reception::QueueKey& key,
            const std::string& patient, bool fail = false) {
    int number = 0;
    Status st = store_->WriteSync([&](storage::WriteTxn& txn) -> Status {
      HB_ASSIGN_OR_RETURN(number, numbers.Next(txn, key));
      reception::VisitRequest v;
      v.patient_id = patient;
      v.department = key.department;
      v.facility_org = key.facility_org;
      HB_RETURN_IF_ERROR(
          CreateResource(txn, nullptr, reception::EncounterJson(v, key, number, txn.Now()))
              .status());
      if (fail) return Status(ErrorCode::kInternal, "rolled back on purpose");
      return Status::Ok();
    });
    if (!st.ok()) return 0;
    numbers.Committed(key, number);
    return number;
  }

  std::string Create(const std::string& json) {
    std::string id;
    EXPECT_TRUE(store_
                    ->WriteSync([&](storage::WriteTxn& txn) -> Status {
                      HB_ASSIGN_OR_RETURN(auto v, CreateResource(txn, nullptr, json));
                      id = v.id;
                      return Status::Ok();
                    })
                    .ok());
    return id;
  }
};

TEST_F(StoreBackedTest, QueueNumbersAreUniqueUnderConcurrencyAndSurviveARestart) {
  reception::QueueNumbers numbers;
  const reception::QueueKey key{"org1", "NOI", "20260115"};
  std::mutex mu;
  std::vector<int> got;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        int n = Visit(numbers, key, "p" + std::to_string(t));
        std::lock_guard lock(mu);
        got.push_back(n);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::sort(got.begin(), got.end());
  std::vector<int> expected(40);
  for (int i = 0; i < 40; ++i) expected[i] = i + 1;
  EXPECT_EQ(got, expected);
  // Another day and another department start again at 1.
  EXPECT_EQ(Visit(numbers, {"org1", "NOI", "20260116"}, "p"), 1);
  EXPECT_EQ(Visit(numbers, {"org1", "NGOAI", "20260115"}, "p"), 1);
  // A rolled-back visit leaves no gap.
  EXPECT_EQ(Visit(numbers, key, "p", /*fail=*/true), 0);
  EXPECT_EQ(Visit(numbers, key, "p"), 41);
  // A restarted server (no remembered marks) reads the numbers back from the store.
  reception::QueueNumbers after_restart;
  EXPECT_EQ(Visit(after_restart, key, "p"), 42);
  auto txn = store_->BeginRead();
  auto snap = reception::ComputeQueueSnapshot(*txn, key);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->tickets.size(), 42u);
  EXPECT_EQ(snap->waiting, 42);
  EXPECT_EQ(snap->last_number, 42);
}

TEST_F(StoreBackedTest, MatchingFindsCandidatesThroughTheIndexAndFollowsMerges) {
  const std::string cccd = "https://fhir.healthbook.vn/sid/cccd";
  auto patient = [&](const std::string& family, const std::string& birth,
                     const std::string& id_value, const std::string& extra = "") {
    std::string ids = id_value.empty() ? ""
                                       : R"("identifier":[{"system":")" + cccd + R"(","value":")" +
                                             id_value + R"("}],)";
    return Create(R"({"resourceType":"Patient",)" + ids + R"("name":[{"family":")" + family +
                  R"(","given":["Văn","A"]}],"gender":"male","birthDate":")" + birth + "\"" +
                  extra + "}");
  };
  for (int i = 0; i < 30; ++i) patient("Nguyễn", "19" + std::to_string(50 + i) + "-01-01", "");
  std::string same = patient("Lò", "1990-03-15", "");
  std::string typo = patient("Lồ", "1990-03-15", "");
  std::string certain = patient("Lò", "1990-03-15", "011090123456");
  std::string retired = patient("Lò", "1980-01-01", "011080000001",
                                R"(,"active":false,"link":[{"other":{"reference":"Patient/)" +
                                    certain + R"("},"type":"replaced-by"}])");
  reception::PatientFeatures q;
  reception::SetNameFromText("LÒ VĂN A", &q);
  q.birth = reception::ParseBirthDate("1990-03-15");
  q.gender = "male";
  auto txn = store_->BeginRead();
  auto m = reception::MatchPatients(*txn, q);
  ASSERT_TRUE(m.ok());
  std::set<std::string> found;
  for (const auto& x : *m) found.insert(x.patient.id);
  EXPECT_TRUE(found.count(same) && found.count(typo) && found.count(certain));
  EXPECT_EQ(found.size(), 3u);  // no Nguyễn: not a candidate, let alone a match
  q.cccd = {"011080000001"};    // the retired record's number leads to its replacement
  m = reception::MatchPatients(*txn, q, {.count = 1});
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].patient.id, certain);
  EXPECT_EQ((*m)[0].via, retired);
  EXPECT_EQ((*m)[0].score.grade, reception::MatchGrade::kCertain);
}

// The station verdict is kept per facility but never outlives a change of its Organization,
// whether read after the commit or inside the writer's own (uncommitted) transaction.
TEST_F(StoreBackedTest, CommuneStationFollowsItsOrganization) {
  auto org = [](const std::string& level, const std::string& text) {
    return R"({"resourceType":"Organization","name":"Cơ sở","type":[{"coding":[{"system":")" +
           fhir::vn::FacilityLevelSystem() + R"(","code":")" + level + R"("}],"text":")" + text +
           R"("}]})";
  };
  const std::string id = Create(org("4", "Trạm y tế tuyến xã"));
  ASSERT_FALSE(id.empty());
  access::Principal p;
  p.role = access::Role::kCommuneHealthWorker;
  p.facility_org = id;
  auto at_station = [&] {
    auto txn = store_->BeginRead();
    auto r = AtCommuneStation(*txn, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  };
  EXPECT_TRUE(at_station());
  EXPECT_TRUE(at_station());  // the kept verdict
  // Re-coded as a district hospital: judged again at once, also inside the writing transaction.
  bool in_txn = true;
  ASSERT_TRUE(store_
                  ->WriteSync([&](storage::WriteTxn& txn) -> Status {
                    HB_RETURN_IF_ERROR(UpdateResource(txn, nullptr,
                                                      R"({"id":")" + id + R"(",)" +
                                                          org("3", "Trạm y tế tuyến xã").substr(1),
                                                      id, 1)
                                           .status());
                    HB_ASSIGN_OR_RETURN(in_txn, AtCommuneStation(txn, p));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(in_txn);
  EXPECT_FALSE(at_station());
  // A caller of no facility, or of one not stored, is at no station.
  p.facility_org = "no-such-org";
  EXPECT_FALSE(at_station());
  p.facility_org.clear();
  EXPECT_FALSE(at_station());
}

}  // namespace
}  // namespace hb::operations
