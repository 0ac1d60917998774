// The ResourceStore contract, run against every backend: SQLite (a file in a temporary
// folder) and PostgreSQL (a throw-away cluster started by this test binary, one fresh
// database per test).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <thread>

#include "common/hex.h"
#include "common/temp_dir_test_util.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/postgres_store.h"
#include "storage/identifier_lookup.h"
#include "storage/json_codec.h"
#include "storage/postgres/test_cluster.h"
#include "storage/sqlite/sqlite_store.h"

namespace hb::storage {
namespace {

// Polls `cond` until it holds or a minute passes (a hung writer fails the test instead of
// running into ctest's timeout).
bool WaitUntil(const std::function<bool()>& cond) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// One PostgreSQL cluster for the whole binary, started on first use, stopped at exit.
postgres::TestCluster& Cluster() {
  static std::unique_ptr<postgres::TestCluster> cluster = [] {
    auto c = postgres::TestCluster::Start();
    if (!c.ok()) {
      ADD_FAILURE() << "cannot start PostgreSQL for the tests: " << c.status().ToString()
                    << " (scripts/install-deps.sh test installs it)";
      std::abort();
    }
    return std::move(c).value();
  }();
  return *cluster;
}

const std::vector<std::pair<std::string, std::string>> kParams = {
    {"Patient", "identifier"},  {"Patient", "name"},     {"Patient", "birthdate"},
    {"Observation", "subject"}, {"Observation", "code"}, {"Observation", "value-quantity"}};

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  bool pg() const { return GetParam() == "postgresql"; }
  void SetUp() override {
    if (pg()) {
      auto url = Cluster().CreateDatabase();
      ASSERT_TRUE(url.ok()) << url.status().ToString();
      url_ = *url;
    }
    Reopen();
  }
  void TearDown() override { store_.reset(); }
  Result<std::unique_ptr<ResourceStore>> TryOpen() {
    if (pg()) {
      postgres::PostgresStoreOptions o;
      o.url = url_;
      o.search_params = kParams;
      return postgres::OpenPostgresStore(o);
    }
    sqlite::SqliteStoreOptions o;
    o.path = (dir_ / "store.db").string();
    o.search_params = kParams;
    return sqlite::OpenSqliteStore(o);
  }
  std::unique_ptr<ResourceStore> OpenAnother() {
    Result<std::unique_ptr<ResourceStore>> s = TryOpen();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  void Reopen() {
    store_.reset();
    store_ = OpenAnother();
    ASSERT_TRUE(store_);
  }
  // Changes the database behind the store's back (tampering tests).
  void RawExec(const std::string& sql) {
    if (pg()) {
      auto c = postgres::Connection::Open(url_);
      ASSERT_TRUE(c.ok());
      ASSERT_TRUE((*c)->Exec(sql).ok());
    } else {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open((dir_ / "store.db").c_str(), &db), SQLITE_OK);
      ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(db);
    }
  }
  // `bytes` as an SQL blob literal of the store's dialect.
  std::string BlobLiteral(std::string_view bytes) const {
    return pg() ? "decode('" + HexEncode(bytes) + "', 'hex')" : "X'" + HexEncode(bytes) + "'";
  }
  // The first column of the first row of `sql`, as raw bytes ("" when there is none).
  std::string RawValue(const std::string& sql) {
    std::string out;
    if (pg()) {
      auto c = postgres::Connection::Open(url_);
      EXPECT_TRUE(c.ok());
      if (!c.ok()) return out;
      postgres::Params none;
      auto r = (*c)->QueryOnce(sql, none);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok() && r->Rows() > 0) out = std::string(r->Text(0, 0));
    } else {
      sqlite3* db = nullptr;
      EXPECT_EQ(sqlite3_open((dir_ / "store.db").c_str(), &db), SQLITE_OK);
      sqlite3_stmt* st = nullptr;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
      if (sqlite3_step(st) == SQLITE_ROW) {
        out.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                   static_cast<size_t>(sqlite3_column_bytes(st, 0)));
      }
      sqlite3_finalize(st);
      sqlite3_close(db);
    }
    return out;
  }
  Status Put(std::string id, int64_t version, std::string json, IndexRows rows = {},
             Method m = Method::kCreate, std::string type = "Patient") {
    return store_->WriteSync([&](WriteTxn& txn) {
      PutRequest r;
      r.type = type;
      r.id = id;
      r.version = version;
      r.last_updated = txn.Now();
      r.method = m;
      r.json = json;
      r.index = &rows;
      return txn.Put(r);
    });
  }
  hb::testing::TempDir tmp_{"hb-store-test"};  // SQLite's folder (empty for PostgreSQL)
  std::filesystem::path dir_ = tmp_.path();
  std::string url_;
  std::unique_ptr<ResourceStore> store_;
};

search::Criterion TokenCriterion(std::string system, std::string code) {
  search::Criterion c;
  c.resource_type = "Patient";
  c.param = "identifier";
  c.type = search::ParamType::kToken;
  search::SearchValue v;
  v.token = {std::move(system), std::move(code)};
  c.any_of.push_back(v);
  return c;
}

TEST_P(StoreTest, CommitListenerHearsCommittedWritesOnly) {
  std::mutex mu;
  std::vector<std::string> heard;
  store_->AddCommitListener([&](const std::vector<ResourceKey>& keys) {
    std::lock_guard lock(mu);
    for (const auto& k : keys) heard.push_back(k.type + "/" + k.id);
  });
  ASSERT_TRUE(Put("a", 1, R"({"v":1})").ok());
  ASSERT_TRUE(Put("b", 1, R"({"v":1})").ok());
  EXPECT_FALSE(Put("a", 5, R"({"v":5})", {}, Method::kUpdate).ok());
  std::lock_guard lock(mu);
  ASSERT_GE(heard.size(), 2u);
  EXPECT_EQ(heard[0], "Patient/a");
  EXPECT_EQ(heard[1], "Patient/b");
}

TEST_P(StoreTest, KeepsEveryVersionAndServesTheCurrent) {
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

TEST_P(StoreTest, KeepsTheBytesExactly) {
  std::string json = "{\"name\":\"L\xC3\xB2 V\xC4\x83n A\",\"q\":\"\\\"x\\\\\",\"z\":\"\x01\"}";
  ASSERT_TRUE(Put("a", 1, json).ok());
  auto txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "a")->json, json);
}

// A realistic resource, long enough to be compressed (json_codec.h).
std::string PatientJson(int n) {
  return R"({"resourceType":"Patient","id":"p)" + std::to_string(n) +
         R"(","meta":{"versionId":"1","lastUpdated":"2026-11-26T08:00:00.000+07:00"},)"
         R"("identifier":[{"system":"https://fhir.healthbook.vn/sid/cccd","value":"0111950)" +
         std::to_string(10000 + n) +
         R"("}],"name":[{"use":"official","text":"Lò Văn A","family":"Lò",)"
         R"("given":["Văn","A"]}],"gender":"male","birthDate":"1990-05-17",)"
         R"("address":[{"text":"Bản Na Sáy, xã Thanh Xương, huyện)"
         R"( Điện Biên","district":"Điện Biên","country":"VN"}]})";
}

TEST_P(StoreTest, KeepsJsonCompressedAndReadsItBackExactly) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Put("p" + std::to_string(i), 1, PatientJson(i)).ok());
  ASSERT_TRUE(Put("p0", 2, PatientJson(100), {}, Method::kUpdate).ok());
  // On disk: a zstd frame, several times shorter than the JSON.
  std::string stored = RawValue("SELECT json FROM version ORDER BY seq LIMIT 1");
  EXPECT_TRUE(IsCompressedJson(stored));
  EXPECT_LT(stored.size() * 2, PatientJson(0).size());
  // The store keeps the dictionary it was written with.
  EXPECT_EQ(RawValue("SELECT bytes FROM json_dictionary WHERE id = " +
                     std::to_string(BuiltInJsonDictionary().id)),
            std::string(BuiltInJsonDictionary().bytes));
  Reopen();
  auto txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "p0")->json, PatientJson(100));
  EXPECT_EQ(txn->VRead("Patient", "p0", 1)->json, PatientJson(0));
  auto history = txn->History(HistoryQuery{});
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->entries.size(), 4u);
  EXPECT_EQ(history->entries[0].version.json, PatientJson(100));
  search::SearchQuery q;
  q.type = "Patient";
  q.count = 10;
  auto found = txn->Search(q);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->matches.size(), 3u);
  EXPECT_EQ(found->matches[0].json, PatientJson(100));
  EXPECT_EQ(found->matches[2].json, PatientJson(2));
  std::vector<std::string> scanned;
  ScanQuery scan;
  scan.type = "Patient";
  ASSERT_TRUE(txn->Scan(scan, [&](const ResourceVersion& v) {
                   scanned.push_back(v.json);
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(scanned, (std::vector<std::string>{PatientJson(100), PatientJson(1), PatientJson(2)}));
}

TEST_P(StoreTest, RefusesToOpenWithADictionaryOfTheSameIdButOtherBytes) {
  ASSERT_TRUE(Put("p", 1, PatientJson(1)).ok());
  store_.reset();
  RawExec("UPDATE json_dictionary SET bytes = " + BlobLiteral(std::string(1, '\0')) +
          " WHERE id = " + std::to_string(BuiltInJsonDictionary().id));
  auto s = TryOpen();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::kStorageError) << s.status().ToString();
}

TEST_P(StoreTest, ReadsPlainRowsAndRefusesACorruptFrame) {
  ASSERT_TRUE(Put("plain", 1, PatientJson(1)).ok());
  ASSERT_TRUE(Put("broken", 1, PatientJson(2)).ok());
  // A row as written before compression existed: plain JSON bytes.
  const std::string plain = R"({"resourceType":"Patient","id":"plain","active":true,"gender":"female"})";
  RawExec("UPDATE version SET json = " + BlobLiteral(plain) +
          " WHERE rid = (SELECT rid FROM resource WHERE id = 'plain')");
  // A frame whose bytes were damaged after the header.
  std::string frame = RawValue(
      "SELECT json FROM version WHERE rid = (SELECT rid FROM resource WHERE id = 'broken')");
  ASSERT_TRUE(IsCompressedJson(frame));
  for (size_t i = 12; i < frame.size(); ++i) frame[i] = '\xFF';
  RawExec("UPDATE version SET json = " + BlobLiteral(frame) +
          " WHERE rid = (SELECT rid FROM resource WHERE id = 'broken')");
  Reopen();
  auto txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "plain")->json, plain);
  auto broken = txn->Read("Patient", "broken");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), ErrorCode::kStorageError);
  EXPECT_NE(broken.status().message().find("cannot be decompressed"), std::string::npos)
      << broken.status().ToString();
}

TEST_P(StoreTest, RejectsAVersionThatDoesNotFollow) {
  ASSERT_TRUE(Put("a", 1, "{}").ok());
  EXPECT_EQ(Put("a", 3, "{}", {}, Method::kUpdate).code(), ErrorCode::kVersionConflict);
  EXPECT_EQ(Put("a", 1, "{}").code(), ErrorCode::kConflict);
  // The failed writes left the store usable.
  EXPECT_TRUE(Put("a", 2, "{}", {}, Method::kUpdate).ok());
}

TEST_P(StoreTest, DeleteKeepsHistory) {
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
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->total, 2);
  ASSERT_EQ(h->entries.size(), 2u);
  EXPECT_TRUE(h->entries[0].version.deleted);
  EXPECT_EQ(h->total, 2);
  EXPECT_EQ(*txn->Count("Patient"), 0);
  auto types = txn->Types();
  ASSERT_TRUE(types.ok());
  EXPECT_EQ(*types, std::vector<std::string>{"Patient"});
}

TEST_P(StoreTest, TellsWhichResourcesExistAndAreLiveWithoutReadingThem) {
  ASSERT_TRUE(Put("a", 1, PatientJson(1)).ok());
  ASSERT_TRUE(Put("b", 1, "{}").ok());
  ASSERT_TRUE(Put("b", 2, "", {}, Method::kDelete).ok());
  auto txn = store_->BeginRead();
  // On a read transaction, and on a write transaction too.
  std::vector<ResourceKey> keys = {{"Patient", "a"}, {"Patient", "b"}, {"Patient", "c"},
                                   {"Observation", "a"}};
  auto states = txn->StatesOf(keys);
  ASSERT_TRUE(states.ok()) << states.status().ToString();
  std::map<std::string, bool> deleted;
  for (const KeyState& k : *states) deleted[k.key.type + "/" + k.key.id] = k.deleted;
  EXPECT_EQ(deleted, (std::map<std::string, bool>{{"Patient/a", false}, {"Patient/b", true}}));
  Status in_write = store_->WriteSync([&](WriteTxn& w) -> Status {
    HB_ASSIGN_OR_RETURN(std::vector<KeyState> seen, w.StatesOf(keys));
    return seen.size() == 2 ? Status::Ok() : Status(ErrorCode::kInternal, "wrong count");
  });
  EXPECT_TRUE(in_write.ok()) << in_write.ToString();
}

TEST_P(StoreTest, ListsTheResourcesAPatientSharesWithAnother) {
  auto in = [](std::vector<std::string> patients) {
    IndexRows rows;
    rows.patient_compartment = std::move(patients);
    return rows;
  };
  ASSERT_TRUE(Put("p1", 1, "{}", in({"p1"})).ok());
  ASSERT_TRUE(Put("p2", 1, "{}", in({"p2", "p1"})).ok());  // links to p1
  ASSERT_TRUE(Put("own", 1, "{}", in({"p1"}), Method::kCreate, "Observation").ok());
  ASSERT_TRUE(Put("both", 1, "{}", in({"p1", "p2"}), Method::kCreate, "Observation").ok());
  ASSERT_TRUE(Put("others", 1, "{}", in({"p2", "p3"}), Method::kCreate, "Observation").ok());
  ASSERT_TRUE(Put("gone", 1, "{}", in({"p1", "p3"}), Method::kCreate, "Observation").ok());
  ASSERT_TRUE(Put("gone", 2, "", {}, Method::kDelete, "Observation").ok());
  auto shared = [&](std::vector<std::string> patients) {
    auto txn = store_->BeginRead();
    auto keys = txn->SharedCompartment(patients);
    EXPECT_TRUE(keys.ok()) << keys.status().ToString();
    std::set<std::string> out;
    for (const auto& k : *keys) out.insert(k.type + "/" + k.id);
    return out;
  };
  EXPECT_EQ(shared({"p1"}), (std::set<std::string>{"Patient/p2", "Observation/both"}));
  EXPECT_EQ(shared({"p2"}),
            (std::set<std::string>{"Patient/p2", "Observation/both", "Observation/others"}));
  EXPECT_EQ(shared({"p1", "p2"}),
            (std::set<std::string>{"Patient/p2", "Observation/both", "Observation/others"}));
  EXPECT_EQ(shared({"p4"}), std::set<std::string>{});
  EXPECT_EQ(shared({}), std::set<std::string>{});
}

TEST_P(StoreTest, SearchesTokensAndReindexesOnUpdate) {
  IndexRows rows;
  rows.search.tokens.push_back({"identifier", "sys", "1"});
  ASSERT_TRUE(Put("a", 1, "{}", rows).ok());
  search::SearchQuery q;
  q.type = "Patient";
  q.criteria.push_back(TokenCriterion("sys", "1"));
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
  txn.reset();
  // Reindexing replaces the rows without a new version.
  IndexRows again;
  again.search.tokens.push_back({"identifier", "sys", "1"});
  ASSERT_TRUE(store_
                  ->WriteSync([&](WriteTxn& w) {
                    return w.ReplaceSearchIndex("Patient", "a", again.search);
                  })
                  .ok());
  txn = store_->BeginRead();
  EXPECT_EQ(txn->Search(q)->matches.size(), 1u);
  EXPECT_EQ(txn->Read("Patient", "a")->version, 2);
}

TEST_P(StoreTest, SearchesStringsDatesAndReferencesWithIncludes) {
  IndexRows pa, pb;
  pa.search.strings.push_back({"name", "lo van a", "Lò Văn A"});
  pa.search.dates.push_back({"birthdate", 100, 199});
  pb.search.strings.push_back({"name", "quang thi b", "Quàng Thị B"});
  pb.search.dates.push_back({"birthdate", 500, 599});
  ASSERT_TRUE(Put("a", 1, R"({"id":"a"})", pa).ok());
  ASSERT_TRUE(Put("b", 1, R"({"id":"b"})", pb).ok());
  IndexRows obs;
  obs.search.references.push_back({"subject", "Patient", "a", ""});
  obs.patient_compartment = {"a"};
  ASSERT_TRUE(Put("o1", 1, R"({"id":"o1"})", obs, Method::kCreate, "Observation").ok());
  auto txn = store_->BeginRead();

  search::SearchQuery q;
  q.type = "Patient";
  search::Criterion name;
  name.resource_type = "Patient";
  name.param = "name";
  name.type = search::ParamType::kString;
  search::SearchValue lo;
  lo.text = "lo v";
  name.any_of.push_back(lo);
  q.criteria.push_back(name);
  auto r = txn->Search(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].id, "a");

  search::SearchQuery d;
  d.type = "Patient";
  search::Criterion born;
  born.resource_type = "Patient";
  born.param = "birthdate";
  born.type = search::ParamType::kDate;
  search::SearchValue gt;
  gt.prefix = search::Prefix::kGt;
  gt.low = 200;
  gt.high = 299;
  born.any_of.push_back(gt);
  d.criteria.push_back(born);
  r = txn->Search(d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].id, "b");

  search::SearchQuery ref;
  ref.type = "Observation";
  search::Criterion subj;
  subj.resource_type = "Observation";
  subj.param = "subject";
  subj.type = search::ParamType::kReference;
  search::SearchValue to_a;
  to_a.ref_type = "Patient";
  to_a.ref_id = "a";
  subj.any_of.push_back(to_a);
  ref.criteria.push_back(subj);
  r = txn->Search(ref);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->matches.size(), 1u);

  search::IncludeSpec inc{"Observation", "subject", "", false, false};
  auto included = txn->Include(inc, {{"Observation", "o1"}}, 10);
  ASSERT_TRUE(included.ok()) << included.status().ToString();
  ASSERT_EQ(included->size(), 1u);
  EXPECT_EQ((*included)[0].id, "a");
  search::IncludeSpec rev{"Observation", "subject", "", true, false};
  auto revincluded = txn->Include(rev, {{"Patient", "a"}, {"Patient", "b"}}, 10);
  ASSERT_TRUE(revincluded.ok()) << revincluded.status().ToString();
  ASSERT_EQ(revincluded->size(), 1u);
  EXPECT_EQ((*revincluded)[0].id, "o1");

  // A compartment search, sorted, with a total.
  search::SearchQuery all;
  all.type = "Observation";
  all.compartment_patient = "a";
  all.sort.push_back({"_lastUpdated", search::ParamType::kDate, true});
  r = txn->Search(all);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->total, 1);
  auto facts = txn->Facts("Observation", "o1");
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->patients, std::vector<std::string>{"a"});
}

TEST_P(StoreTest, ScanStreamsLiveResourcesInWriteOrder) {
  IndexRows in_a;
  in_a.patient_compartment = {"a"};
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(Put("o" + std::to_string(i), 1, "{}", i % 2 ? in_a : IndexRows{}, Method::kCreate,
                    "Observation")
                    .ok());
  }
  ASSERT_TRUE(Put("o7", 2, "", {}, Method::kDelete, "Observation").ok());
  auto txn = store_->BeginRead();
  ScanQuery all{"Observation"};
  std::vector<std::string> ids;
  ASSERT_TRUE(txn->Scan(all,
                        [&](const ResourceVersion& v) {
                          ids.push_back(v.id);
                          return Status::Ok();
                        })
                  .ok());
  ASSERT_EQ(ids.size(), 599u);
  EXPECT_EQ(ids.front(), "o0");
  EXPECT_EQ(ids.back(), "o599");
  ScanQuery of_a{"Observation"};
  of_a.patients = {"a"};
  int n = 0;
  ASSERT_TRUE(txn->Scan(of_a,
                        [&](const ResourceVersion&) {
                          ++n;
                          return Status::Ok();
                        })
                  .ok());
  EXPECT_EQ(n, 299);
  // A callback's error stops the scan and comes back; the transaction stays usable.
  int seen = 0;
  Status st = txn->Scan(all, [&](const ResourceVersion&) {
    return ++seen == 3 ? Status(ErrorCode::kUnavailable, "disk full") : Status::Ok();
  });
  EXPECT_EQ(st.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(seen, 3);
  EXPECT_TRUE(txn->Read("Observation", "o1").ok());
}

TEST_P(StoreTest, FailedWorkRollsBackOnlyItself) {
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

// A write that fails inside a nested scope (here: a create of an id that exists, which the
// PostgreSQL store pipelines and learns of only when the scope closes) undoes that scope
// alone: the outer work goes on and commits, and the failure reaches the scope's caller.
TEST_P(StoreTest, FailedNestedWriteRollsBackOnlyItsScope) {
  ASSERT_TRUE(store_->WriteSync([](WriteTxn& txn) {
    PutRequest r{"Patient", "dup", 1, txn.Now(), Method::kCreate, "{\"v\":1}", nullptr};
    return txn.Put(r);
  }).ok());
  Status inner;
  Status outer = store_->WriteSync([&](WriteTxn& txn) -> Status {
    PutRequest before{"Patient", "kept-1", 1, txn.Now(), Method::kCreate, "{}", nullptr};
    HB_RETURN_IF_ERROR(txn.Put(before));
    inner = txn.Nested([&]() -> Status {
      PutRequest fresh{"Patient", "undone", 1, txn.Now(), Method::kCreate, "{}", nullptr};
      HB_RETURN_IF_ERROR(txn.Put(fresh));
      PutRequest again{"Patient", "dup", 1, txn.Now(), Method::kCreate, "{\"v\":2}", nullptr};
      return txn.Put(again);
    });
    // Reads after the failed scope see the outer work, not the undone one.
    HB_ASSIGN_OR_RETURN(auto kept, txn.Read("Patient", "kept-1"));
    EXPECT_EQ(kept.version, 1);
    EXPECT_EQ(txn.Read("Patient", "undone").status().code(), ErrorCode::kNotFound);
    PutRequest after{"Patient", "kept-2", 1, txn.Now(), Method::kCreate, "{}", nullptr};
    return txn.Put(after);
  });
  EXPECT_FALSE(inner.ok());
  EXPECT_TRUE(outer.ok()) << outer.message();
  auto txn = store_->BeginRead();
  EXPECT_TRUE(txn->Read("Patient", "kept-1").ok());
  EXPECT_TRUE(txn->Read("Patient", "kept-2").ok());
  EXPECT_EQ(txn->Read("Patient", "undone").status().code(), ErrorCode::kNotFound);
  auto dup = txn->Read("Patient", "dup");
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->version, 1);
  EXPECT_EQ(dup->json, "{\"v\":1}");
}

// Many creates in one work item (PostgreSQL sends them in batches of statements, one per
// CreateBatch::kMaxResources): each is visible to the work's own reads and searches at
// once, keeps its index and compartment rows and the write order, and a second create of
// an id already in the work fails naming that id and rolls back the whole work.
TEST_P(StoreTest, ManyCreatesInOneWorkAreSeenAtOnceAndKeepTheirOrder) {
  constexpr int kCount = 300;
  std::vector<IndexRows> rows(kCount);
  for (int i = 0; i < kCount; ++i) {
    rows[i].search.tokens.push_back({"identifier", "sys", std::to_string(i)});
    rows[i].patient_compartment = {"p" + std::to_string(i % 3), "p" + std::to_string(i % 3)};
  }
  auto put = [&](WriteTxn& txn, int i, int64_t version = 1) {
    const std::string id = "m" + std::to_string(i);
    PutRequest r{"Patient", id, version, txn.Now(),
                 version == 1 ? Method::kCreate : Method::kUpdate,
                 "{\"n\":" + std::to_string(i) + "}", &rows[i]};
    return txn.Put(r);
  };
  Status st = store_->WriteSync([&](WriteTxn& txn) -> Status {
    for (int i = 0; i < kCount; ++i) HB_RETURN_IF_ERROR(put(txn, i));
    HB_ASSIGN_OR_RETURN(auto first, txn.Read("Patient", "m0"));
    EXPECT_EQ(first.json, "{\"n\":0}");
    HB_ASSIGN_OR_RETURN(auto last, txn.Read("Patient", "m" + std::to_string(kCount - 1)));
    EXPECT_EQ(last.version, 1);
    search::SearchQuery q;
    q.type = "Patient";
    q.criteria.push_back(TokenCriterion("sys", std::to_string(kCount - 2)));
    HB_ASSIGN_OR_RETURN(auto found, txn.Search(q));
    EXPECT_EQ(found.matches.size(), 1u);
    return put(txn, 5, 2);  // a new version of one created in the same work
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "m5")->version, 2);
  std::vector<std::string> ids;
  ASSERT_TRUE(txn->Scan(ScanQuery{"Patient"},
                        [&](const ResourceVersion& v) {
                          ids.push_back(v.id);
                          return Status::Ok();
                        })
                  .ok());
  ASSERT_EQ(ids.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(ids[i], "m" + std::to_string(i));
  ScanQuery of_p1{"Patient"};
  of_p1.patients = {"p1"};
  int n = 0;
  ASSERT_TRUE(txn->Scan(of_p1,
                        [&](const ResourceVersion&) {
                          ++n;
                          return Status::Ok();
                        })
                  .ok());
  EXPECT_EQ(n, kCount / 3);
  txn.reset();
  // The same id created twice in one work: the second fails, naming it; nothing stays.
  Status twice = store_->WriteSync([&](WriteTxn& w) -> Status {
    PutRequest a{"Patient", "twice", 1, w.Now(), Method::kCreate, "{}", nullptr};
    PutRequest b{"Patient", "other", 1, w.Now(), Method::kCreate, "{}", nullptr};
    HB_RETURN_IF_ERROR(w.Put(a));
    HB_RETURN_IF_ERROR(w.Put(b));
    return w.Put(a);
  });
  EXPECT_EQ(twice.code(), ErrorCode::kConflict) << twice.ToString();
  EXPECT_NE(twice.message().find("Patient/twice"), std::string::npos) << twice.message();
  txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "twice").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(txn->Read("Patient", "other").status().code(), ErrorCode::kNotFound);
}

search::SearchQuery ContentQuery(std::string words) {
  search::Criterion c;
  c.kind = search::Criterion::Kind::kFullText;
  c.resource_type = "Patient";
  c.param = "_content";
  search::SearchValue v;
  v.text = std::move(words);
  c.any_of.push_back(v);
  search::SearchQuery q;
  q.type = "Patient";
  q.criteria.push_back(std::move(c));
  return q;
}

// The ids a _content search finds, in `txn` (a read or the write transaction itself).
std::vector<std::string> ContentIds(ReadTxn& txn, const std::string& words) {
  auto r = txn.Search(ContentQuery(words));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> ids;
  if (r.ok()) {
    for (const ResourceVersion& v : r->matches) ids.push_back(v.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Full-text rows (_text, _content) follow the scopes of their writes, within one commit
// group: a nested scope or a work item that rolls back leaves no row, one that keeps its
// work is searchable after the commit, and a search inside the write transaction sees
// the rows written before it (including an earlier item's of the same group). The SQLite
// store holds these rows back until just before COMMIT (sqlite/index_writer.h).
TEST_P(StoreTest, FullTextRowsFollowTheScopesOfTheirWrites) {
  using Ids = std::vector<std::string>;
  auto put = [](WriteTxn& txn, const std::string& id, int64_t version, const std::string& words) {
    IndexRows rows;
    rows.search.content = words;
    PutRequest r{"Patient", id, version, txn.Now(),
                 version == 1 ? Method::kCreate : Method::kUpdate, "{}", &rows};
    return txn.Put(r);
  };
  std::atomic<bool> go{false};
  std::atomic<int> done{0};
  std::vector<Status> results(5);
  auto finish = [&](size_t i) {
    return [&, i](Status s) {
      results[i] = s;
      ++done;
    };
  };
  // The first item holds the writer until every other item is queued: they then run as
  // one group (with it or right after it).
  store_->Write(
      [&](WriteTxn& txn) {
        while (!go) std::this_thread::yield();
        return put(txn, "kept", 1, "alpha");
      },
      finish(0));
  store_->Write(
      [&](WriteTxn& txn) -> Status {
        HB_RETURN_IF_ERROR(put(txn, "outer", 1, "beta"));
        Status undone = txn.Nested([&]() -> Status {
          HB_RETURN_IF_ERROR(put(txn, "undone", 1, "gamma"));
          return Status(ErrorCode::kUnprocessable, "changed my mind");
        });
        EXPECT_EQ(undone.code(), ErrorCode::kUnprocessable);
        EXPECT_EQ(ContentIds(txn, "gamma"), Ids{});
        EXPECT_EQ(ContentIds(txn, "beta"), Ids{"outer"});
        EXPECT_EQ(ContentIds(txn, "alpha"), Ids{"kept"});
        // A scope that searches (and so sees its own row) and then rolls back.
        Status searched = txn.Nested([&]() -> Status {
          HB_RETURN_IF_ERROR(put(txn, "searched", 1, "delta"));
          EXPECT_EQ(ContentIds(txn, "delta"), Ids{"searched"});
          return Status(ErrorCode::kUnprocessable, "changed my mind again");
        });
        EXPECT_EQ(searched.code(), ErrorCode::kUnprocessable);
        EXPECT_EQ(ContentIds(txn, "delta"), Ids{});
        EXPECT_EQ(ContentIds(txn, "beta"), Ids{"outer"});
        // A nested scope that keeps its work, two levels deep.
        return txn.Nested([&]() -> Status {
          return txn.Nested([&] { return put(txn, "deep", 1, "theta"); });
        });
      },
      finish(1));
  store_->Write(
      [&](WriteTxn& txn) -> Status {
        HB_RETURN_IF_ERROR(put(txn, "failed", 1, "epsilon"));
        EXPECT_EQ(ContentIds(txn, "epsilon"), Ids{"failed"});
        return Status(ErrorCode::kUnprocessable, "the whole item fails");
      },
      finish(2));
  store_->Write([&](WriteTxn& txn) { return put(txn, "kept", 2, "zeta"); }, finish(3));
  store_->Write([&](WriteTxn& txn) { return put(txn, "later", 1, "eta beta"); }, finish(4));
  go = true;
  ASSERT_TRUE(WaitUntil([&] { return done >= 5; })) << "the five writes did not all finish";
  EXPECT_TRUE(results[0].ok()) << results[0].message();
  EXPECT_TRUE(results[1].ok()) << results[1].message();
  EXPECT_EQ(results[2].code(), ErrorCode::kUnprocessable);
  EXPECT_TRUE(results[3].ok()) << results[3].message();
  EXPECT_TRUE(results[4].ok()) << results[4].message();
  auto txn = store_->BeginRead();
  EXPECT_EQ(ContentIds(*txn, "alpha"), Ids{});  // replaced by version 2
  EXPECT_EQ(ContentIds(*txn, "zeta"), Ids{"kept"});
  EXPECT_EQ(ContentIds(*txn, "beta"), (Ids{"later", "outer"}));
  EXPECT_EQ(ContentIds(*txn, "gamma"), Ids{});
  EXPECT_EQ(ContentIds(*txn, "delta"), Ids{});
  EXPECT_EQ(ContentIds(*txn, "epsilon"), Ids{});
  EXPECT_EQ(ContentIds(*txn, "theta"), Ids{"deep"});
  EXPECT_EQ(ContentIds(*txn, "eta beta"), Ids{"later"});
  EXPECT_EQ(txn->Read("Patient", "undone").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(txn->Read("Patient", "failed").status().code(), ErrorCode::kNotFound);
  txn.reset();
  // A delete removes the row.
  ASSERT_TRUE(store_->WriteSync([](WriteTxn& w) {
    PutRequest r{"Patient", "deep", 2, w.Now(), Method::kDelete, "", nullptr};
    return w.Put(r);
  }).ok());
  txn = store_->BeginRead();
  EXPECT_EQ(ContentIds(*txn, "theta"), Ids{});
}

TEST_P(StoreTest, SurvivesReopenAndPagesHistory) {
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

TEST_P(StoreTest, SettingsAreSetReplacedRemovedAndSurviveReopen) {
  EXPECT_FALSE(*store_->BeginRead()->Setting("search.zoneless_offset_minutes"));
  ASSERT_TRUE(store_
                  ->WriteSync([](WriteTxn& txn) {
                    HB_RETURN_IF_ERROR(txn.SetSetting("search.zoneless_offset_minutes", "0"));
                    HB_RETURN_IF_ERROR(txn.SetSetting("search.zoneless_offset_minutes", "420"));
                    return txn.SetSetting("search.reindexing", "2026-11-26T12:00:00Z");
                  })
                  .ok());
  // A failed work item leaves the settings as they were.
  EXPECT_FALSE(store_
                   ->WriteSync([](WriteTxn& txn) {
                     HB_RETURN_IF_ERROR(txn.SetSetting("search.zoneless_offset_minutes", "60"));
                     return Status(ErrorCode::kConflict, "changed my mind");
                   })
                   .ok());
  ASSERT_TRUE(
      store_->WriteSync([](WriteTxn& txn) { return txn.SetSetting("search.reindexing", std::nullopt); })
          .ok());
  Reopen();
  auto txn = store_->BeginRead();
  auto offset = txn->Setting("search.zoneless_offset_minutes");
  ASSERT_TRUE(offset.ok() && offset->has_value());
  EXPECT_EQ(**offset, "420");
  EXPECT_FALSE(*txn->Setting("search.reindexing"));
}

TEST_P(StoreTest, CareLinksAndConsentRefusals) {
  IndexRows enc;
  enc.patient_compartment = {"a"};
  enc.care_links.push_back({"a", "org1", 1000});
  enc.care_links.push_back({"a", "org1", 5000});  // the last of equal keys wins
  ASSERT_TRUE(Put("e1", 1, "{}", enc, Method::kCreate, "Encounter").ok());
  IndexRows consent;
  consent.patient_compartment = {"a"};
  consent.consent_denies.push_back({"a", "*", "Observation Condition"});
  ASSERT_TRUE(Put("c1", 1, "{}", consent, Method::kCreate, "Consent").ok());
  auto txn = store_->BeginRead();
  EXPECT_TRUE(*txn->HasCare("a", "org1", 4000));
  EXPECT_FALSE(*txn->HasCare("a", "org1", 6000));
  EXPECT_FALSE(*txn->HasCare("a", "org2", 0));
  EXPECT_TRUE(*txn->ConsentDenies("a", "org9", "Condition"));
  EXPECT_FALSE(*txn->ConsentDenies("a", "org9", "Patient"));
  txn.reset();
  // A new version replaces the access rows: the care link moves to org2.
  IndexRows moved;
  moved.patient_compartment = {"a", "a"};
  moved.care_links.push_back({"a", "org2", 9000});
  ASSERT_TRUE(Put("e1", 2, "{}", moved, Method::kUpdate, "Encounter").ok());
  txn = store_->BeginRead();
  EXPECT_FALSE(*txn->HasCare("a", "org1", 0));
  EXPECT_TRUE(*txn->HasCare("a", "org2", 8000));
  EXPECT_EQ(txn->Facts("Encounter", "e1")->patients, std::vector<std::string>{"a"});
  txn.reset();
  // Deleting the consent lifts the refusal.
  ASSERT_TRUE(Put("c1", 2, "", {}, Method::kDelete, "Consent").ok());
  txn = store_->BeginRead();
  EXPECT_FALSE(*txn->ConsentDenies("a", "org9", "Condition"));
}

TEST_P(StoreTest, OutboxQueuesOnceAndRecordsAttempts) {
  Result<bool> first = false, second = true;
  ASSERT_TRUE(store_
                  ->WriteSync([&](WriteTxn& txn) {
                    first = txn.EnqueueOutbox("claims", "LK1", "<xml/>");
                    second = txn.EnqueueOutbox("claims", "LK1", "<other/>");
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*second);
  auto txn = store_->BeginRead();
  OutboxQuery q;
  q.topic = "claims";
  auto items = txn->Outbox(q);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].payload, "<xml/>");
  int64_t seq = (*items)[0].seq;
  txn.reset();
  OutboxUpdate u;
  u.state = OutboxState::kFailed;
  u.attempts = 3;
  u.last_error = "HTTP 503";
  ASSERT_TRUE(store_->WriteSync([&](WriteTxn& w) { return w.UpdateOutbox(seq, u); }).ok());
  EXPECT_EQ(store_->WriteSync([&](WriteTxn& w) { return w.UpdateOutbox(seq + 99, u); }).code(),
            ErrorCode::kNotFound);
  txn = store_->BeginRead();
  q.state = OutboxState::kFailed;
  items = txn->Outbox(q);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].attempts, 3);
  EXPECT_EQ((*items)[0].last_error, "HTTP 503");
  txn.reset();
  ASSERT_TRUE(store_
                  ->WriteSync([&](WriteTxn& w) {
                    return w.RequeueOutbox(seq, std::string_view("<fixed/>"));
                  })
                  .ok());
  txn = store_->BeginRead();
  OutboxQuery due;
  due.due_before = INT64_MAX;
  items = txn->Outbox(due);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].payload, "<fixed/>");
  EXPECT_EQ((*items)[0].attempts, 0);
}

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

TEST_P(StoreTest, AuditTrailIsChainedAndTamperingIsFound) {
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
  RawExec("UPDATE audit_log SET agent = 'user:b' WHERE seq = 2");
  Reopen();
  report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_seq, 2);
}

TEST_P(StoreTest, AuditTrailFindsARemovedRecord) {
  ASSERT_TRUE(store_
                  ->WriteSync([](WriteTxn& txn) {
                    std::vector<AuditRecord> recs{Rec("p1", "a"), Rec("p1", "b"), Rec("p1", "c")};
                    return txn.AppendAudit(recs);
                  })
                  .ok());
  store_.reset();
  RawExec("DELETE FROM audit_log WHERE seq = 2");
  Reopen();
  auto report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_NE(report->problem.find("missing"), std::string::npos) << report->problem;
}

// The first work item of a commit group fails (SQLite runs it without a savepoint of its
// own and undoes it with ROLLBACK): none of its resources, index rows or audit records is
// kept, and the items after it in the same group, a failing one among them, keep or lose
// only their own work.
TEST_P(StoreTest, AFailedFirstItemOfAGroupLeavesTheRestOfTheGroup) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false, blocking = false;
  std::atomic<int> done{0};
  // Holds the writer so that the four items below are queued together: one group.
  store_->Write(
      [&](WriteTxn&) {
        std::unique_lock lock(mu);
        blocking = true;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });
        return Status::Ok();
      },
      [&](Status) { ++done; });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return blocking; });
  }
  IndexRows rows[4];
  const char* ids[4] = {"first-bad", "second-good", "third-bad", "fourth-good"};
  Status results[4];
  for (int i = 0; i < 4; ++i) {
    rows[i].search.tokens.push_back({"identifier", "sys", ids[i]});
    rows[i].patient_compartment = {ids[i]};
    store_->Write(
        [&, i](WriteTxn& txn) -> Status {
          PutRequest r{"Patient", ids[i], 1, txn.Now(), Method::kCreate, "{}", &rows[i]};
          HB_RETURN_IF_ERROR(txn.Put(r));
          std::vector<AuditRecord> recs{Rec(ids[i], std::string("Patient/") + ids[i])};
          HB_RETURN_IF_ERROR(txn.AppendAudit(recs));
          if (i % 2 == 0) return Status(ErrorCode::kUnprocessable, "changed my mind");
          return Status::Ok();
        },
        [&, i](Status s) {
          results[i] = s;
          ++done;
        });
  }
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  ASSERT_TRUE(WaitUntil([&] { return done >= 5; })) << "the five writes did not all finish";
  EXPECT_EQ(results[0].code(), ErrorCode::kUnprocessable);
  EXPECT_TRUE(results[1].ok()) << results[1].ToString();
  EXPECT_EQ(results[2].code(), ErrorCode::kUnprocessable);
  EXPECT_TRUE(results[3].ok()) << results[3].ToString();
  auto txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "first-bad").status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(txn->Read("Patient", "second-good").ok());
  EXPECT_EQ(txn->Read("Patient", "third-bad").status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(txn->Read("Patient", "fourth-good").ok());
  EXPECT_EQ(*txn->Count("Patient"), 2);
  auto first = txn->AuditTrail("first-bad", 10, std::nullopt);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->empty());
  auto second = txn->AuditTrail("second-good", 10, std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->size(), 1u);
  auto report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->links, 2);
}

// Two stores on one database (two healthbook processes): their writes are serialised, so
// read-then-write work never loses an update, and the audit chain never forks.
// (PostgreSQL only: one SQLite file has one writer process, held by the data folder lock.)
class SharedStoreTest : public StoreTest {};

TEST_P(SharedStoreTest, TwoWritersOnOneStoreLoseNoUpdate) {
  ASSERT_TRUE(Put("n", 1, "{}").ok());
  auto other = OpenAnother();
  ASSERT_TRUE(other);
  auto bump = [](ResourceStore& s) {
    return s.WriteSync([](WriteTxn& txn) {
      HB_ASSIGN_OR_RETURN(ResourceVersion cur, txn.Read("Patient", "n"));
      PutRequest r{"Patient", "n", cur.version + 1, txn.Now(), Method::kUpdate, "{}", nullptr};
      HB_RETURN_IF_ERROR(txn.Put(r));
      std::vector<AuditRecord> recs{Rec("n", "Patient/n")};
      return txn.AppendAudit(recs);
    });
  };
  std::atomic<int> failures{0};
  std::thread t1([&] {
    for (int i = 0; i < 40; ++i) failures += !bump(*store_).ok();
  });
  std::thread t2([&] {
    for (int i = 0; i < 40; ++i) failures += !bump(*other).ok();
  });
  t1.join();
  t2.join();
  EXPECT_EQ(failures.load(), 0);
  other.reset();
  auto txn = store_->BeginRead();
  EXPECT_EQ(txn->Read("Patient", "n")->version, 81);
  auto report = store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->links, 80);
}

// IdentifierLookup, the write transaction's direct `identifier` lookup (identifier_lookup.h):
// SQLite only, PostgreSQL does not offer it (its callers use the general search there). Each
// answer is compared with the search `Patient?identifier=system|value` in the same transaction.
class IdentifierLookupTest : public StoreTest {
 protected:
  static std::vector<std::string> Ids(const std::vector<ResourceVersion>& versions) {
    std::vector<std::string> ids;
    for (const auto& v : versions) ids.push_back(v.id + "/" + std::to_string(v.version));
    return ids;
  }
  // The lookup's answer (type/version ids in order), checked against the search's.
  static std::vector<std::string> LookUp(WriteTxn& txn, const std::string& system,
                                         const std::string& value, int limit) {
    auto* lookup = dynamic_cast<IdentifierLookup*>(&txn);
    EXPECT_NE(lookup, nullptr) << "the SQLite write transaction offers IdentifierLookup";
    if (!lookup) return {"(no lookup)"};
    auto direct = lookup->FindByIdentifier("Patient", system, value, limit);
    EXPECT_TRUE(direct.ok()) << direct.status().ToString();
    if (!direct.ok()) return {"(failed)"};
    EXPECT_TRUE(direct->has_value()) << "Patient.identifier is an indexed parameter";
    if (!direct->has_value()) return {"(not indexed)"};
    search::SearchQuery q;
    q.type = "Patient";
    q.count = limit;
    q.criteria.push_back(TokenCriterion(system, value));
    auto searched = txn.Search(q);
    EXPECT_TRUE(searched.ok()) << searched.status().ToString();
    if (searched.ok()) {
      EXPECT_EQ(Ids(**direct), Ids(searched->matches)) << system << "|" << value;
    }
    for (const auto& v : **direct) {
      EXPECT_EQ(v.type, "Patient");
      EXPECT_FALSE(v.deleted);
      EXPECT_FALSE(v.json.empty());
    }
    return Ids(**direct);
  }
  static IndexRows Identifier(const std::string& system, const std::string& value) {
    IndexRows rows;
    rows.search.tokens.push_back({"identifier", system, value, ""});
    return rows;
  }
  // A Patient write inside `txn`.
  static PutRequest Request(WriteTxn& txn, std::string id, int64_t version, Method method,
                            std::string json, const IndexRows* rows) {
    PutRequest r;
    r.type = "Patient";
    r.id = std::move(id);
    r.version = version;
    r.last_updated = txn.Now();
    r.method = method;
    r.json = std::move(json);
    r.index = rows;
    return r;
  }
  // LookUp in a write transaction of its own.
  std::vector<std::string> LookUpNow(const std::string& system, const std::string& value,
                                     int limit) {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_
                    ->WriteSync([&](WriteTxn& txn) {
                      ids = LookUp(txn, system, value, limit);
                      return Status::Ok();
                    })
                    .ok());
    return ids;
  }
};

TEST_P(IdentifierLookupTest, AnswersAsTheIdentifierSearchDoes) {
  ASSERT_TRUE(
      Put("one", 1, R"({"resourceType":"Patient","id":"one"})", Identifier("urn:cccd", "001"))
          .ok());
  ASSERT_TRUE(
      Put("twin1", 1, R"({"resourceType":"Patient","id":"twin1"})", Identifier("urn:cccd", "002"))
          .ok());
  ASSERT_TRUE(
      Put("twin2", 1, R"({"resourceType":"Patient","id":"twin2"})", Identifier("urn:cccd", "002"))
          .ok());
  // An Observation with the same token is not a Patient.
  ASSERT_TRUE(Put("obs", 1, R"({"resourceType":"Observation","id":"obs"})",
                  Identifier("urn:cccd", "001"), Method::kCreate, "Observation")
                  .ok());

  EXPECT_EQ(LookUpNow("urn:cccd", "001", 2), std::vector<std::string>{"one/1"});
  // None: an unknown value, and a known value under another system.
  EXPECT_EQ(LookUpNow("urn:cccd", "999", 2), std::vector<std::string>{});
  EXPECT_EQ(LookUpNow("urn:bhyt", "001", 2), std::vector<std::string>{});
  // Two records with one identifier: both, in write order; the limit is kept.
  EXPECT_EQ(LookUpNow("urn:cccd", "002", 2), (std::vector<std::string>{"twin1/1", "twin2/1"}));
  EXPECT_EQ(LookUpNow("urn:cccd", "002", 1), std::vector<std::string>{"twin1/1"});

  // A deleted record is no longer found.
  ASSERT_TRUE(Put("twin1", 2, "", {}, Method::kDelete).ok());
  EXPECT_EQ(LookUpNow("urn:cccd", "002", 2), std::vector<std::string>{"twin2/1"});

  // A record updated to another identifier is found under the new one only, at its new version.
  ASSERT_TRUE(Put("one", 2, R"({"resourceType":"Patient","id":"one"})",
                  Identifier("urn:cccd", "003"), Method::kUpdate)
                  .ok());
  EXPECT_EQ(LookUpNow("urn:cccd", "001", 2), std::vector<std::string>{});
  EXPECT_EQ(LookUpNow("urn:cccd", "003", 2), std::vector<std::string>{"one/2"});
}

TEST_P(IdentifierLookupTest, SeesTheTransactionsOwnEarlierWrites) {
  std::vector<std::string> before, after_create, after_delete;
  ASSERT_TRUE(
      store_
          ->WriteSync([&](WriteTxn& txn) -> Status {
            before = LookUp(txn, "urn:cccd", "004", 2);
            IndexRows rows = Identifier("urn:cccd", "004");
            HB_RETURN_IF_ERROR(txn.Put(Request(txn, "new", 1, Method::kCreate,
                                               R"({"resourceType":"Patient","id":"new"})", &rows)));
            after_create = LookUp(txn, "urn:cccd", "004", 2);
            HB_RETURN_IF_ERROR(txn.Put(Request(txn, "new", 2, Method::kDelete, "", nullptr)));
            after_delete = LookUp(txn, "urn:cccd", "004", 2);
            return Status::Ok();
          })
          .ok());
  EXPECT_EQ(before, std::vector<std::string>{});
  EXPECT_EQ(after_create, std::vector<std::string>{"new/1"});
  EXPECT_EQ(after_delete, std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, SharedStoreTest, ::testing::Values("postgresql"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, IdentifierLookupTest, ::testing::Values("sqlite"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hb::storage
