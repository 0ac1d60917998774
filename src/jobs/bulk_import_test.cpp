#include "jobs/bulk_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "common/temp_dir_test_util.h"
#include "rest/write_ops.h"
#include "search/param_registry.h"
#include "storage/postgres/postgres_store.h"
#include "storage/postgres/test_cluster.h"
#include "storage/sqlite/sqlite_store.h"

namespace hb::jobs {
namespace {

namespace fs = std::filesystem;

class BulkImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "in");
    storage::sqlite::SqliteStoreOptions o;
    o.path = (dir_ / "store.db").string();
    auto s = storage::sqlite::OpenSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override { store_.reset(); }
  std::string Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / "in" / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  ImportResult Import(const std::vector<std::string>& paths) {
    auto files = ListImportFiles(paths);
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    BulkImporter importer(*store_, {.batch = 2});
    auto r = importer.Run(*files);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : ImportResult{};
  }
  int64_t Version(const std::string& type, const std::string& id) {
    auto v = store_->BeginRead()->Read(type, id);
    return v.ok() ? v->version : 0;
  }

  hb::testing::TempDir tmp_{"hb-import-test"};
  fs::path dir_ = tmp_.path();
  std::unique_ptr<storage::ResourceStore> store_;
};

constexpr char kObservations[] =
    R"({"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}})"
    "\n"
    R"({"resourceType":"Observation","id":"o2","status":"final","code":{"text":"y"},"subject":{"reference":"Patient/p2"}})"
    "\n";
constexpr char kPatients[] =
    R"({"resourceType":"Patient","id":"p1","gender":"female"})"
    "\n"
    R"({"resourceType":"Patient","id":"p2","gender":"male"})"
    "\n";

// Observation.ndjson sorts before Patient.ndjson: references resolve at the end anyway.
TEST_F(BulkImportTest, FilesInAnyOrderAndAReRunChangesNothing) {
  Write("Observation.ndjson", kObservations);
  Write("Patient.ndjson", kPatients);
  ImportResult first = Import({(dir_ / "in").string()});
  EXPECT_EQ(first.counts.created, 4);
  EXPECT_EQ(first.counts.failed, 0);
  EXPECT_EQ(first.counts.dangling, 0);
  EXPECT_TRUE(first.issues.empty());
  EXPECT_EQ(first.by_type["Patient"], 2);
  ImportResult again = Import({(dir_ / "in").string()});
  EXPECT_EQ(again.counts.unchanged, 4);
  EXPECT_EQ(again.counts.created + again.counts.updated, 0);
  EXPECT_EQ(Version("Patient", "p1"), 1);
  // A changed line is a new version, the others stay.
  Write("Patient.ndjson", R"({"resourceType":"Patient","id":"p1","gender":"other"})"
                          "\n");
  ImportResult changed = Import({(dir_ / "in" / "Patient.ndjson").string()});
  EXPECT_EQ(changed.counts.updated, 1);
  EXPECT_EQ(Version("Patient", "p1"), 2);
  EXPECT_EQ(Version("Patient", "p2"), 1);
}

TEST_F(BulkImportTest, BadLinesAreReportedAndGoodOnesKept) {
  const std::string path = Write(
      "mixed.ndjson",
      std::string(R"({"resourceType":"Patient","id":"a1"})") + "\n" +
          "{not json\n" +  // line 2
          "\n" +           // blank: skipped, still counted as a line
          R"({"resourceType":"Patient","id":"a2","birthDate":"yesterday"})" + "\n" +  // line 4
          R"({"resourceType":"Patient"})" + "\n" +                              // line 5: no id
          R"({"resourceType":"Observation","id":"x1","status":"final","code":{"text":"t"},"subject":{"reference":"Patient/nobody"}})" +
          "\n" +  // line 6: dangling
          R"({"resourceType":"Patient","id":"a3"})" + "\n");
  ImportResult r = Import({path});
  EXPECT_EQ(r.counts.created, 3);  // a1, x1, a3
  EXPECT_EQ(r.counts.failed, 3);
  EXPECT_EQ(r.counts.dangling, 1);
  ASSERT_EQ(r.issues.size(), 4u);
  EXPECT_EQ(r.issues[0].Where(), path + ":2");
  EXPECT_EQ(r.issues[1].Where(), path + ":4");
  EXPECT_NE(r.issues[1].message.find("birthDate"), std::string::npos) << r.issues[1].message;
  EXPECT_EQ(r.issues[2].line, 5);
  EXPECT_NE(r.issues[2].message.find("no id"), std::string::npos);
  EXPECT_EQ(r.issues[3].line, 6);
  EXPECT_EQ(r.issues[3].resource, "Observation/x1");
  EXPECT_NE(r.issues[3].message.find("Patient/nobody"), std::string::npos);
  EXPECT_EQ(Version("Patient", "a3"), 1);
  EXPECT_EQ(Version("Patient", "a2"), 0);
  const std::string outcomes = IssuesAsOutcomes(r.issues);
  EXPECT_NE(outcomes.find(R"("code":"not-found")"), std::string::npos);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), '\n'), 4);
}

TEST_F(BulkImportTest, BundleFileEntries) {
  const std::string path = Write("bundle.json", R"({
    "resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Patient", "id": "b1"}},
      {"resource": {"resourceType": "Encounter", "id": "e1", "status": "finished",
                    "class": {"code": "AMB"}, "subject": {"reference": "Patient/b1"}}},
      {"fullUrl": "urn:uuid:x"}
    ]})");
  ImportResult r = Import({path});
  EXPECT_EQ(r.counts.created, 2);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].Where(), path + ":1 entry 3");
}

TEST_F(BulkImportTest, MissingInputsFail) {
  EXPECT_EQ(ListImportFiles({(dir_ / "nothing").string()}).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ListImportFiles({(dir_ / "in").string()}).status().code(),
            ErrorCode::kInvalidArgument);  // an empty folder
}

TEST_F(BulkImportTest, JobsRunAndKeepTheirErrorFile) {
  Write("Patient.ndjson", std::string(kPatients) + "[]\n");
  BulkImportJobs jobs(*store_, (dir_ / "jobs").string());
  auto id = jobs.Start({.inputs = {(dir_ / "in").string()}, .requester = "me"});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  std::optional<ImportJobStatus> st;
  for (int i = 0; i < 200; ++i) {
    st = jobs.Poll(*id);
    if (st && st->state != ImportState::kRunning) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(st.has_value());
  ASSERT_EQ(st->state, ImportState::kCompleted) << st->error;
  EXPECT_EQ(st->result->counts.created, 2);
  std::ifstream errors(jobs.ErrorFilePath(*id));
  std::string line;
  ASSERT_TRUE(std::getline(errors, line));
  EXPECT_NE(line.find("Patient.ndjson:3"), std::string::npos) << line;
  EXPECT_EQ(jobs.Start({}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(jobs.Delete(*id));
  EXPECT_FALSE(jobs.Poll(*id).has_value());
}

// On both stores: PostgreSQL reads each batch's current versions in one statement and
// answers the writer's reads from it (storage/batch_reads.h), which must come out exactly as
// reading each resource before writing it: a deleted resource comes back as a new version,
// and an id twice in one batch sees its first write.
class BulkImportStoresTest : public ::testing::TestWithParam<std::string> {
 protected:
  static storage::postgres::TestCluster& Cluster() {
    static std::unique_ptr<storage::postgres::TestCluster> cluster = [] {
      auto c = storage::postgres::TestCluster::Start();
      if (!c.ok()) {
        ADD_FAILURE() << "cannot start PostgreSQL for the tests: " << c.status().ToString();
        std::abort();
      }
      return std::move(c).value();
    }();
    return *cluster;
  }
  void SetUp() override {
    Result<std::unique_ptr<storage::ResourceStore>> s = Status(ErrorCode::kInternal, "none");
    if (GetParam() == "postgresql") {
      auto url = Cluster().CreateDatabase();
      ASSERT_TRUE(url.ok()) << url.status().ToString();
      storage::postgres::PostgresStoreOptions o;
      o.url = *url;
      o.search_params = search::ParamRegistry::Default().IndexedPairs();
      s = storage::postgres::OpenPostgresStore(o);
    } else {
      storage::sqlite::SqliteStoreOptions o;
      o.path = (dir_ / "store.db").string();
      s = storage::sqlite::OpenSqliteStore(o);
    }
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override { store_.reset(); }
  ImportResult Import(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    BulkImporter importer(*store_, {.batch = 50});
    auto r = importer.Run({p.string()});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : ImportResult{};
  }
  Status DeletePatient(const std::string& id) {
    std::promise<Status> done;
    store_->Write(
        [&id](storage::WriteTxn& txn) {
          return rest::Delete(txn, nullptr, "Patient", id, std::nullopt).status();
        },
        [&done](Status st) { done.set_value(std::move(st)); });
    return done.get_future().get();
  }
  storage::ResourceVersion Current(const std::string& type, const std::string& id) {
    auto v = store_->BeginRead()->Read(type, id);
    EXPECT_TRUE(v.ok()) << type << "/" << id << ": " << v.status().ToString();
    return v.ok() ? std::move(v).value() : storage::ResourceVersion{};
  }

  hb::testing::TempDir tmp_{"hb-import-test"};
  fs::path dir_ = tmp_.path();
  std::unique_ptr<storage::ResourceStore> store_;
};

TEST_P(BulkImportStoresTest, ResumesOverDeletedAndRepeatedResources) {
  ImportResult first = Import("a.ndjson", std::string(kPatients) + kObservations);
  EXPECT_EQ(first.counts.created, 4);
  EXPECT_TRUE(first.counts.Clean());
  ASSERT_TRUE(DeletePatient("p2").ok());

  // One batch: p1 unchanged, p2 deleted (so created again), o1 changed twice, o2 unchanged.
  ImportResult second = Import(
      "b.ndjson",
      std::string(kPatients) +
          R"({"resourceType":"Observation","id":"o1","status":"amended","code":{"text":"x"},"subject":{"reference":"Patient/p1"}})"
          "\n"
          R"({"resourceType":"Observation","id":"o2","status":"final","code":{"text":"y"},"subject":{"reference":"Patient/p2"}})"
          "\n"
          R"({"resourceType":"Observation","id":"o1","status":"cancelled","code":{"text":"x"},"subject":{"reference":"Patient/p1"}})"
          "\n");
  EXPECT_EQ(second.counts.read, 5);
  EXPECT_EQ(second.counts.unchanged, 2);  // p1, o2
  EXPECT_EQ(second.counts.created, 1);    // p2, after its deletion
  EXPECT_EQ(second.counts.updated, 2);    // o1 twice
  EXPECT_TRUE(second.counts.Clean()) << (second.issues.empty() ? "" : second.issues[0].message);
  EXPECT_EQ(Current("Patient", "p1").version, 1);
  const storage::ResourceVersion p2 = Current("Patient", "p2");
  EXPECT_EQ(p2.version, 3);
  EXPECT_FALSE(p2.deleted);
  const storage::ResourceVersion o1 = Current("Observation", "o1");
  EXPECT_EQ(o1.version, 3);
  EXPECT_NE(o1.json.find("cancelled"), std::string::npos) << o1.json;
  EXPECT_EQ(Current("Observation", "o2").version, 1);

  // A reference to the deleted-and-back patient resolves; one to a deleted resource dangles.
  ASSERT_TRUE(DeletePatient("p1").ok());
  ImportResult third = Import("c.ndjson", kObservations);
  EXPECT_EQ(third.counts.dangling, 1);
  ASSERT_EQ(third.issues.size(), 1u);
  EXPECT_NE(third.issues[0].message.find("Patient/p1 names a deleted resource"), std::string::npos)
      << third.issues[0].message;
}

INSTANTIATE_TEST_SUITE_P(Backends, BulkImportStoresTest,
                         ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hb::jobs
