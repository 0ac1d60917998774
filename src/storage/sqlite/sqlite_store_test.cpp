#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <filesystem>
#include <thread>

namespace hb::storage::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hb_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    SqliteStoreOptions o;
    o.path = (dir_ / "store.db").string();
    o.search_params = {{"Patient", "identifier"}};
    auto s = OpenSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  Status Put(std::string id, int64_t version, std::string json, IndexRows rows = {},
             Method m = Method::kCreate) {
    return store_->WriteSync([&](WriteTxn& txn) {
      PutRequest r;
      r.type = "Patient";
      r.id = id;
      r.version = version;
      r.last_updated = txn.Now();
      r.method = m;
      r.json = json;
      r.index = &rows;
      return txn.Put(r);
    });
  }
  std::filesystem::path dir_;
  std::unique_ptr<ResourceStore> store_;
};

TEST_F(SqliteStoreTest, CommitListenerHearsCommittedWritesOnly) {
  std::mutex mu;
  std::vector<std::string> heard;
  store_->AddCommitListener([&](const std::vector<ResourceKey>& keys) {
    std::lock_guard lock(mu);
    for (const auto& k : keys) heard.push_back(k.type + "/" + k.id);
  });
  ASSERT_TRUE(Put("a", 1, R"({"v":1})").ok());
  ASSERT_TRUE(Put("b", 1, R"({"v":1})").ok());
  // A write whose work fails: the group commits nothing of it; the listener may hear of it
  // (listeners re-read), but a failed commit as a whole is never announced.
  EXPECT_FALSE(Put("a", 5, R"({"v":5})", {}, Method::kUpdate).ok());
  std::lock_guard lock(mu);
  ASSERT_GE(heard.size(), 2u);
  EXPECT_EQ(heard[0], "Patient/a");
  EXPECT_EQ(heard[1], "Patient/b");
}

TEST_F(SqliteStoreTest, KeepsEveryVersionAndServesTheCurrent) {
  ASSERT_TRUE(Put("a", 1, R"({"v":1})").ok());
  ASSERT_TRUE(Put("a", 2, R"({"v":2})", {}, Method::kUpdate).ok());
  auto txn = store_->BeginRead();
  auto cur = txn->Read("Patient", "a");
  ASSERT_TRUE(cur.ok());
  EXPECT_EQ(cur->version, 2);
  EXPECT_EQ(cur->json, R"({"v":2})");
  auto v1 = txn->VRead("Patient", "a", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->json, R"({"v":1})");
  EXPECT_EQ(txn->VRead("Patient", "a", 3).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(txn->Read("Patient", "zzz").status().code(), ErrorCode::kNotFound);
}

TEST_F(SqliteStoreTest, RejectsAVersionThatDoesNotFollow) {
  ASSERT_TRUE(Put("a", 1, "{}").ok());
  EXPECT_EQ(Put("a", 3, "{}", {}, Method::kUpdate).code(), ErrorCode::kVersionConflict);
  EXPECT_EQ(Put("a", 1, "{}").code(), ErrorCode::kConflict);
}

TEST_F(SqliteStoreTest, DeleteKeepsHistory) {
  ASSERT_TRUE(Put("a", 1, "{}").ok());
  ASSERT_TRUE(Put("a", 2, "", {}, Method::kDelete).ok());
  auto txn = store_->BeginRead();
  auto cur = txn->Read("Patient", "a");
  ASSERT_TRUE(cur.ok());
  EXPECT_TRUE(cur->deleted);
  HistoryQuery q;
  q.type = "Patient";
  q.id = "a";
  auto h = txn->History(q);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->entries.size(), 2u);
  EXPECT_TRUE(h->entries[0].version.deleted);
  EXPECT_EQ(h->total, 2);
  EXPECT_EQ(*txn->Count("Patient"), 0);
}

TEST_F(SqliteStoreTest, SearchesTokensAndReindexesOnUpdate) {
  IndexRows rows;
  rows.search.tokens.push_back({"identifier", "sys", "1"});
  ASSERT_TRUE(Put("a", 1, "{}", rows).ok());
  search::SearchQuery q;
  q.type = "Patient";
  search::Criterion c;
  c.resource_type = "Patient";
  c.param = "identifier";
  c.type = search::ParamType::kToken;
  search::SearchValue v;
  v.token = {std::string("sys"), std::string("1")};
  c.any_of.push_back(v);
  q.criteria.push_back(c);
  auto txn = store_->BeginRead();
  auto r = txn->Search(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->total, 1);
  txn.reset();
  IndexRows other;
  other.search.tokens.push_back({"identifier", "sys", "2"});
  ASSERT_TRUE(Put("a", 2, "{}", other, Method::kUpdate).ok());
  txn = store_->BeginRead();
  EXPECT_EQ(txn->Search(q)->matches.size(), 0u);
}

TEST_F(SqliteStoreTest, FailedWorkRollsBackOnlyItself) {
  std::atomic<int> done{0};
  Status bad, good;
  store_->Write(
      [](WriteTxn& txn) {
        PutRequest r{"Patient", "x", 1, txn.Now(), Method::kCreate, "{}", nullptr};
        HB_RETURN_IF_ERROR(txn.Put(r));
        return Status(ErrorCode::kUnprocessable, "changed my mind");
      },
      [&](Status s) {
        bad = s;
        ++done;
      });
  store_->Write(
      [](WriteTxn& txn) {
        PutRequest r{"Patient", "y", 1, txn.Now(), Method::kCreate, "{}", nullptr};
        return txn.Put(r);
      },
      [&](Status s) {
        good = s;
        ++done;
      });
  while (done < 2) std::this_thread::yield();
  EXPECT_EQ(bad.code(), ErrorCode::kUnprocessable);
  EXPECT_TRUE(good.ok());
  auto txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "x").status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(txn->Read("Patient", "y").ok());
}

TEST_F(SqliteStoreTest, SurvivesReopenAndPagesHistory) {
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(Put("p" + std::to_string(i), 1, "{}").ok());
  Reopen();
  auto txn = store_->BeginRead();
  HistoryQuery q;
  q.count = 10;
  int seen = 0;
  for (;;) {
    auto page = txn->History(q);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 25);
    seen += static_cast<int>(page->entries.size());
    if (!page->next_before_seq) break;
    q.before_seq = page->next_before_seq;
  }
  EXPECT_EQ(seen, 25);
}

}  // namespace
}  // namespace hb::storage::sqlite

namespace hb::storage::sqlite {
namespace {

AuditRecord Rec(std::string patient, std::string what) {
  AuditRecord r;
  r.recorded = 1;
  r.action = "R";
  r.interaction = "read";
  r.agent = "user:a";
  r.role = "doctor";
  r.patient = std::move(patient);
  r.what = std::move(what);
  return r;
}

TEST_F(SqliteStoreTest, AuditTrailIsChainedAndTamperingIsFound) {
  ASSERT_TRUE(store_
                  ->WriteSync([](WriteTxn& txn) {
                    std::vector<AuditRecord> recs{Rec("p1", "Patient/p1"), Rec("p2", "Patient/p2"),
                                                  Rec("p1", "Observation/o1")};
                    return txn.AppendAudit(recs);
                  })
                  .ok());
  auto report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->links, 3);
  EXPECT_EQ(report->last_hash.size(), 64u);
  auto txn = store_->BeginRead();
  auto trail = txn->AuditTrail("p1", 10, std::nullopt);
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->size(), 2u);
  EXPECT_EQ((*trail)[0].what, "Observation/o1");  // newest first
  txn.reset();
  store_.reset();
  // Someone edits the trail behind the server's back.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "store.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit_log SET agent = 'user:b' WHERE seq = 2", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_seq, 2);
}

TEST_F(SqliteStoreTest, AuditTrailFindsARemovedRecord) {
  ASSERT_TRUE(store_
                  ->WriteSync([](WriteTxn& txn) {
                    std::vector<AuditRecord> recs{Rec("p1", "a"), Rec("p1", "b"), Rec("p1", "c")};
                    return txn.AppendAudit(recs);
                  })
                  .ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "store.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM audit_log WHERE seq = 2", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  auto report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_NE(report->problem.find("missing"), std::string::npos) << report->problem;
}

}  // namespace
}  // namespace hb::storage::sqlite
