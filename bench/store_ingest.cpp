// Store ingest: resources/s written through ResourceStore::Write on the PostgreSQL store,
// against the SQLite store in the same run (the baseline), with the same resources, index
// rows and commit grouping (issue 5: PostgreSQL ingest of at least 5,000 resources/s).
//
// Each work item is a transaction of one patient and its observations (10 resources, as a
// small transaction bundle), with the index rows rest/ would compute (identifier, name,
// birth date, code, subject, date, value). Up to 64 work items are in flight, as from 64
// concurrent requests. PostgreSQL: a throw-away cluster with Debian's defaults (fsync and
// synchronous_commit on; storage/postgres/test_cluster.h) unless --pg-url names a server;
// SQLite: a file in a temporary folder, WAL with synchronous=FULL. Both durable per commit.
// Usage: store_ingest [--patients N] [--pg-url URL]   (prints one line per store)
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>

#include "storage/postgres/postgres_store.h"
#include "storage/postgres/test_cluster.h"
#include "storage/sqlite/sqlite_store.h"

using namespace hb;
using namespace hb::storage;

namespace {

const std::vector<std::pair<std::string, std::string>> kParams = {
    {"Patient", "identifier"}, {"Patient", "name"},
    {"Patient", "birthdate"},  {"Patient", "gender"},
    {"Observation", "code"},   {"Observation", "subject"},
    {"Observation", "date"},   {"Observation", "value-quantity"},
    {"Observation", "status"}};

struct Resource {
  std::string type, id, json;
  IndexRows rows;
};

std::vector<Resource> PatientBundle(int n) {
  std::vector<Resource> out;
  std::string pid = "p" + std::to_string(n);
  Resource p;
  p.type = "Patient";
  p.id = pid;
  p.json =
      R"({"resourceType":"Patient","id":")" + pid +
      R"(","identifier":[{"system":"https://fhir.healthbook.vn/sid/cccd","value":"0110)" +
      std::to_string(10000000 + n) +
      R"("}],"name":[{"family":"Lò","given":["Văn An"]}],"gender":"male","birthDate":"1980-05-06"})";
  p.rows.search.tokens.push_back(
      {"identifier", "https://fhir.healthbook.vn/sid/cccd", "0110" + std::to_string(10000000 + n)});
  p.rows.search.tokens.push_back({"gender", "http://hl7.org/fhir/administrative-gender", "male"});
  p.rows.search.strings.push_back({"name", "lo van an", "Lò Văn An"});
  p.rows.search.dates.push_back({"birthdate", 326419200000000, 326505599999999});
  p.rows.patient_compartment = {pid};
  out.push_back(std::move(p));
  for (int i = 0; i < 9; ++i) {
    Resource o;
    o.type = "Observation";
    o.id = pid + "-o" + std::to_string(i);
    o.json =
        R"({"resourceType":"Observation","id":")" + o.id +
        R"(","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2339-0"}]},"subject":{"reference":"Patient/)" +
        pid + R"("},"effectiveDateTime":"2026-01-0)" + std::to_string(1 + i) +
        R"(","valueQuantity":{"value":5.)" + std::to_string(i) +
        R"(,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}})";
    o.rows.search.tokens.push_back({"code", "http://loinc.org", "2339-0"});
    o.rows.search.tokens.push_back({"status", "http://hl7.org/fhir/observation-status", "final"});
    o.rows.search.references.push_back({"subject", "Patient", pid, ""});
    o.rows.search.dates.push_back({"date", 1767225600000000 + i * 86400000000LL,
                                   1767225600000000 + (i + 1) * 86400000000LL - 1});
    o.rows.search.quantities.push_back({"value-quantity", "5." + std::to_string(i),
                                        "http://unitsofmeasure.org", "mmol/L", "mmol/L", ""});
    o.rows.patient_compartment = {pid};
    out.push_back(std::move(o));
  }
  return out;
}

// Writes `patients` bundles, 64 in flight; returns resources/s.
double Ingest(ResourceStore& store, int patients) {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0, failed = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int n = 0; n < patients; ++n) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < 64; });
      ++in_flight;
    }
    auto bundle = std::make_shared<std::vector<Resource>>(PatientBundle(n));
    store.Write(
        [bundle](WriteTxn& txn) {
          for (const Resource& r : *bundle) {
            PutRequest put{r.type, r.id, 1, txn.Now(), Method::kCreate, r.json, &r.rows};
            HB_RETURN_IF_ERROR(txn.Put(put));
          }
          return Status::Ok();
        },
        [&](Status st) {
          std::lock_guard lock(mu);
          if (!st.ok() && failed++ == 0)
            std::fprintf(stderr, "write failed: %s\n", st.ToString().c_str());
          --in_flight;
          cv.notify_all();
        });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (failed) std::fprintf(stderr, "%d bundles failed\n", failed);
  return patients * 10.0 / secs;
}

}  // namespace

int main(int argc, char** argv) {
  int patients = 10000;
  std::string pg_url;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--patients")) patients = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--pg-url")) pg_url = argv[i + 1];
  }
  auto dir = std::filesystem::temp_directory_path() / ("hb-ingest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  double sqlite_rate = 0, pg_rate = 0;
  {
    sqlite::SqliteStoreOptions o;
    o.path = (dir / "store.db").string();
    o.search_params = kParams;
    auto store = sqlite::OpenSqliteStore(o);
    if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
    sqlite_rate = Ingest(**store, patients);
  }
  std::filesystem::remove_all(dir);
  std::unique_ptr<postgres::TestCluster> cluster;
  if (pg_url.empty()) {
    auto c = postgres::TestCluster::Start(/*durable=*/true);
    if (!c.ok()) return std::fprintf(stderr, "%s\n", c.status().ToString().c_str()), 1;
    cluster = std::move(c).value();
    auto url = cluster->CreateDatabase();
    if (!url.ok()) return std::fprintf(stderr, "%s\n", url.status().ToString().c_str()), 1;
    pg_url = *url;
  }
  {
    postgres::PostgresStoreOptions o;
    o.url = pg_url;
    o.search_params = kParams;
    auto store = postgres::OpenPostgresStore(o);
    if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
    pg_rate = Ingest(**store, patients);
  }
  std::printf("sqlite: %.0f resources/s\npostgresql: %.0f resources/s\nratio: %.2f\n", sqlite_rate,
              pg_rate, pg_rate / sqlite_rate);
  return 0;
}
