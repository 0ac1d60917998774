#include "access/audit_sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hb-audit-sink-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
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
  std::filesystem::path dir_;
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
  { AuditSink sink(*store_, {.journal_path = Journal()}); }
  auto trail = Trail();
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(std::filesystem::file_size(Journal()), 0u);
  // Records stored but still in the journal (died between the commit and emptying it):
  // not written twice.
  std::ofstream(Journal(), std::ios::binary) << data;
  { AuditSink sink(*store_, {.journal_path = Journal()}); }
  EXPECT_EQ(Trail().size(), 2u);
}

TEST_F(AuditSinkTest, WithoutAJournalRecordsGoToTheStoreEachFlush) {
  AuditSink sink(*store_, {.flush_interval = std::chrono::milliseconds(5)});
  sink.Add(Rec(30, "p3", "Patient/p3"));
  for (int i = 0; i < 200 && Trail().empty(); ++i) ::usleep(5000);
  EXPECT_EQ(Trail().size(), 1u);
}

}  // namespace
}  // namespace hb::access
