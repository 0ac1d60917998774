// `healthbook reindex`: recomputes the search index rows of every stored resource (or of
// some types) from the current search parameters, after custom SearchParameters were
// added or changed (search/custom_params.h), and, for all types, at the configured offset
// for dates without a zone (reception.utc_offset_minutes; search/date_range.h), which the
// store then records. No new versions are written; the server must be stopped (the data
// folder is locked). While it runs the store carries storage::kSettingReindexing, so that
// an interrupted reindex is not served half done.
#include <cstdio>
#include <deque>

#include "app/admin.h"
#include "app/store_factory.h"
#include "common/clock.h"
#include "fhir/json.h"
#include "search/date_range.h"
#include "search/indexer.h"
#include "search/param_registry.h"

namespace hb::app {

namespace {

constexpr int kBatch = 500;

int Fail(const std::string& message) {
  std::fprintf(stderr, "healthbook reindex: %s\n", message.c_str());
  return 1;
}

// One batch of one type: the documents (the index entries point into them) and entries.
struct Batch {
  std::deque<fhir::JsonDoc> docs;
  std::vector<std::pair<std::string, search::IndexEntries>> rows;  // id, entries
};

}  // namespace

int RunReindex(const Config& cfg, const std::vector<std::string>& only_types) {
  auto dir = OpenDataDir(cfg.data);
  if (!dir.ok()) return Fail(dir.status().message() + " (stop the server to reindex)");
  auto opened = OpenStore(**dir, cfg, /*for_reindex=*/true);
  if (!opened.ok()) return Fail(opened.status().message());
  storage::ResourceStore& store = **opened;
  std::vector<std::string> types = only_types;
  // Every type: rebuilt at the configured offset. Some types: at the store's, so that they
  // agree with the rest of the index.
  const bool all = types.empty();
  if (all) {
    auto held = store.BeginRead()->Types();
    if (!held.ok()) return Fail(held.status().message());
    types = std::move(held).value();
    search::SetZonelessOffsetMinutes(cfg.reception_utc_offset_minutes);
    Status marked = store.WriteSync([](storage::WriteTxn& txn) {
      return txn.SetSetting(storage::kSettingReindexing, FormatInstant(NowMicros()));
    });
    if (!marked.ok()) return Fail(marked.message());
  } else if (search::ZonelessOffsetMinutes() != cfg.reception_utc_offset_minutes) {
    std::printf("dates without a zone stay at UTC%s, the store's offset; a reindex of every "
                "type moves the store to UTC%s\n",
                UtcOffsetText(search::ZonelessOffsetMinutes()).c_str(),
                UtcOffsetText(cfg.reception_utc_offset_minutes).c_str());
  }
  const search::ParamRegistry& registry = search::ParamRegistry::Default();
  int64_t total = 0;
  for (const std::string& type : types) {
    if (!fhir::Model::R4().IsResourceType(type)) return Fail("'" + type + "' is not a resource type");
    int64_t done = 0;
    for (int64_t offset = 0;; offset += kBatch) {
      search::SearchQuery q;
      q.type = type;
      q.count = kBatch;
      q.offset = offset;
      q.total = false;
      auto page = store.BeginRead()->Search(q);
      if (!page.ok()) return Fail(page.status().message());
      if (page->matches.empty()) break;
      Batch batch;
      for (const storage::ResourceVersion& v : page->matches) {
        auto doc = fhir::ParseJson(v.json);
        if (!doc.ok()) return Fail(type + "/" + v.id + ": " + doc.status().message());
        fhir::JsonDoc& kept = batch.docs.emplace_back(std::move(doc).value());
        search::IndexEntries entries;
        search::IndexResource(registry, type, kept, &entries);
        batch.rows.emplace_back(v.id, std::move(entries));
      }
      Status st = store.WriteSync([&](storage::WriteTxn& txn) {
        for (const auto& [id, entries] : batch.rows) {
          HB_RETURN_IF_ERROR(txn.ReplaceSearchIndex(type, id, entries));
        }
        return Status::Ok();
      });
      if (!st.ok()) return Fail(type + ": " + st.message());
      done += static_cast<int64_t>(page->matches.size());
      if (static_cast<int>(page->matches.size()) < kBatch) break;
    }
    if (done > 0) std::printf("%-28s %lld\n", type.c_str(), static_cast<long long>(done));
    total += done;
  }
  if (all) {
    const int offset = cfg.reception_utc_offset_minutes;
    Status recorded = store.WriteSync([offset](storage::WriteTxn& txn) {
      HB_RETURN_IF_ERROR(txn.SetSetting(storage::kSettingZonelessOffset, std::to_string(offset)));
      return txn.SetSetting(storage::kSettingReindexing, std::nullopt);
    });
    if (!recorded.ok()) return Fail(recorded.message());
    std::printf("dates without a zone: UTC%s\n", UtcOffsetText(offset).c_str());
  }
  store.Close();
  std::printf("reindexed %lld resources\n", static_cast<long long>(total));
  return 0;
}

}  // namespace hb::app
