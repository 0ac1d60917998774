#include <gtest/gtest.h>
#include <chrono>
#include <filesystem>
#include "storage/sqlite/sqlite_store.h"
#include "search/param_registry.h"
using namespace hb; using namespace hb::storage; using namespace hb::storage::sqlite;
static double RunProbe(bool with_rows, bool sync) {
  auto dir = std::filesystem::path("/tmp/hb_probe_store"); std::filesystem::remove_all(dir); std::filesystem::create_directories(dir);
  SqliteStoreOptions o; o.path = (dir / "s.db").string(); o.synchronous_full = sync;
  o.search_params = search::ParamRegistry::Default().IndexedPairs();
  auto s = OpenSqliteStore(o); EXPECT_TRUE(s.ok());
  auto store = std::move(s).value();
  std::string json(600, 'x'); json = "{\"a\":\"" + json + "\"}";
  IndexRows rows;
  if (with_rows) {
    rows.search.tokens = {{"status", "", "final"}, {"category", "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs"}, {"code", "http://loinc.org", "8302-2"}};
    rows.search.token_texts = {{"code", "body height"}};
    rows.search.dates = {{"date", 1700000000000000, 1700000000000000}};
    rows.search.quantities = {{"value-quantity", "20003172", "http://unitsofmeasure.org", "cm", "cm", "2000172", "1,0,0,0,0,0,0,0"}};
  }
  auto t0 = std::chrono::steady_clock::now();
  int n = 0;
  for (int b = 0; b < 200; ++b) {
    EXPECT_TRUE(store->WriteSync([&](WriteTxn& txn) {
      for (int i = 0; i < 50; ++i) {
        std::string id = "o" + std::to_string(n++);
        IndexRows r = rows;
        if (with_rows) r.search.references = {{"subject", "Patient", "p" + std::to_string(n / 50), ""}, {"encounter", "Encounter", "e" + std::to_string(n / 7), ""}};
        PutRequest p; p.type = "Observation"; p.id = id; p.version = 1; p.last_updated = txn.Now(); p.json = json; p.index = &r;
        HB_RETURN_IF_ERROR(txn.Put(p));
      }
      return Status::Ok();
    }).ok());
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return n / secs;
}
TEST(Probe, StoreRate) {
  for (bool sync : {false, true}) {
    printf("sync=%d no rows: %.0f/s\n", sync, RunProbe(false, sync));
    printf("sync=%d rows: %.0f/s\n", sync, RunProbe(true, sync));
  }
}
