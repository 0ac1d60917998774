#include "access/audit_sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/temp_dir_test_util.h"
#include "storage/sqlite/sqlite_store.h"

namespace hb::access {
namespace {

storage::AuditRecord Rec(int64_t t, std::string patient, std::string what) {
  storage::AuditRecord r;
  r.recorded = t;
  r.action = "R";
  r.interaction = "read";
  r.agent = "user:bs-an";
  r.role = "doctor";
  r.facility = "11001";
  r.address = "127.0.0.1";
  r.patient = std::move(patient);
  r.what = std::move(what);
  r.reason = "lý do\x1f with a separator";
  return r;
}

class AuditSinkTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { store_.reset(); }
  void Open() {
    store_.reset();
    storage::sqlite::SqliteStoreOptions o;
    o.path = (dir_ / "store.db").string();
    auto s = storage::sqlite::OpenSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  std::vector<storage::AuditRecord> Trail() {
    auto txn = store_->BeginRead();
    auto t = txn->AuditTrail("", 1000, std::nullopt);
    EXPECT_TRUE(t.ok());
    return t.ok() ? *t : std::vector<storage::AuditRecord>{};
  }
  std::string Journal() const { return (dir_ / "audit.journal").string(); }
  hb::testing::TempDir tmp_{"hb-audit-sink"};  // declared first: goes after the store
  std::filesystem::path dir_ = tmp_.path();
  std::unique_ptr<storage::ResourceStore> store_;
};

TEST_F(AuditSinkTest, EncodingRoundTripsAndIgnoresATornTail) {
  std::string data;
  AuditSink::Encode(Rec(1, "p1", "Patient/p1"), data);
  AuditSink::Encode(Rec(2, "p2", "Observation/o2"), data);
  auto back = AuditSink::Decode(data);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(storage::CanonicalText(back[1]),
            storage::CanonicalText(Rec(2, "p2", "Observation/o2")));
  EXPECT_EQ(AuditSink::Decode(data.substr(0, data.size() - 3)).size(), 1u);
}

TEST_F(AuditSinkTest, JournaledRecordsReachTheTrailOnFlushAndClose) {
  {
    AuditSink sink(*store_, {.journal_path = Journal(),
                             .flush_interval = std::chrono::milliseconds(5),
                             .store_interval = std::chrono::hours(1)});
    sink.Add(Rec(10, "p1", "Patient/p1"));
    // Journaled within a few flush intervals, not yet in the store.
    for (int i = 0; i < 200 && std::filesystem::file_size(Journal()) == 0; ++i) ::usleep(5000);
    EXPECT_GT(std::filesystem::file_size(Journal()), 0u);
    EXPECT_TRUE(Trail().empty());
    sink.Flush();
    ASSERT_EQ(Trail().size(), 1u);
    EXPECT_EQ(std::filesystem::file_size(Journal()), 0u);
    sink.Add(Rec(11, "p2", "Patient/p2"));
  }
  EXPECT_EQ(Trail().size(), 2u);
  auto report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact);
  EXPECT_EQ(report->links, 2);
}

TEST_F(AuditSinkTest, ACrashLeftJournalIsReplayedOnce) {
  // Records journaled but never stored (the process died before the store write).
  std::string data;
  AuditSink::Encode(Rec(20, "p1", "Patient/p1"), data);
  AuditSink::Encode(Rec(21, "p1", "Observation/o1"), data);
  std::ofstream(Journal(), std::ios::binary) << data;
  AuditSink::Encode(Rec(22, "p2", "Patient/p2"), data);
  std::ofstream(Journal(), std::ios::binary) << data;
  { AuditSink sink(*store_, {.journal_path = Journal()}); }
  auto trail = Trail();  // newest first; p1's two reads are one row
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[1].what, "Patient/p1 Observation/o1");
  EXPECT_EQ(trail[0].what, "Patient/p2");
  EXPECT_EQ(std::filesystem::file_size(Journal()), 0u);
  // Records stored but still in the journal (died between the commit and emptying it):
  // not written twice.
  std::ofstream(Journal(), std::ios::binary) << data;
  { AuditSink sink(*store_, {.journal_path = Journal()}); }
  EXPECT_EQ(Trail().size(), 2u);
  auto report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact);
}

TEST_F(AuditSinkTest, MergeMakesOneRowPerPatientAndAgentAndKeepsTheRest) {
  std::vector<storage::AuditRecord> in;
  in.push_back(Rec(1, "p1", "Patient/p1"));
  in.push_back(Rec(2, "p2", "Patient/p2"));
  in.push_back(Rec(3, "p1", "Observation/o1"));
  in.push_back(Rec(4, "p1", "Patient/p1"));  // read again: listed once
  auto other = Rec(5, "p1", "Observation/o2");
  other.agent = "user:dd-binh";  // another agent: its own row
  in.push_back(other);
  auto refused = Rec(6, "p1", "Observation/o3");
  refused.outcome = 4;  // a refusal is not merged with the granted reads
  in.push_back(refused);
  auto search = Rec(7, "p1", "Observation?patient=p1");
  search.interaction = "search-type";  // a query: one row each
  in.push_back(search);
  in.push_back(search);
  auto write = Rec(8, "p1", "Observation/o1");
  write.action = "U";
  in.push_back(write);
  auto out = AuditSink::Merge(in);
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0].what, "Patient/p1 Observation/o1");
  EXPECT_EQ(out[0].recorded, 1);
  EXPECT_EQ(out[1].what, "Patient/p2");
  EXPECT_EQ(out[2].agent, "user:dd-binh");
  EXPECT_EQ(out[3].outcome, 4);
  EXPECT_EQ(out[4].what, "Observation?patient=p1");
  EXPECT_EQ(out[5].what, "Observation?patient=p1");
  EXPECT_EQ(out[6].action, "U");
  // Idempotent, and merging in two steps gives the same rows as in one.
  auto again = AuditSink::Merge(out);
  ASSERT_EQ(again.size(), out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(storage::CanonicalText(again[i]), storage::CanonicalText(out[i]));
  }
  std::vector<storage::AuditRecord> first(in.begin(), in.begin() + 3);
  std::vector<storage::AuditRecord> stepwise = AuditSink::Merge(first);
  stepwise.insert(stepwise.end(), in.begin() + 3, in.end());
  stepwise = AuditSink::Merge(stepwise);
  ASSERT_EQ(stepwise.size(), out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(storage::CanonicalText(stepwise[i]), storage::CanonicalText(out[i]));
  }
}

TEST_F(AuditSinkTest, MergeStartsANewRowAfterTheLimit) {
  std::vector<storage::AuditRecord> in;
  for (size_t i = 0; i < AuditSink::kMaxTargetsPerRow + 3; ++i) {
    in.push_back(Rec(static_cast<int64_t>(i), "p1", "Observation/o" + std::to_string(i)));
  }
  auto out = AuditSink::Merge(in);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].what, "Observation/o64 Observation/o65 Observation/o66");
  EXPECT_EQ(out[1].recorded, 64);
}

TEST_F(AuditSinkTest, WithoutAJournalRecordsGoToTheStoreEachFlush) {
  AuditSink sink(*store_, {.flush_interval = std::chrono::milliseconds(5)});
  sink.Add(Rec(30, "p3", "Patient/p3"));
  for (int i = 0; i < 200 && Trail().empty(); ++i) ::usleep(5000);
  EXPECT_EQ(Trail().size(), 1u);
}

}  // namespace
}  // namespace hb::access
