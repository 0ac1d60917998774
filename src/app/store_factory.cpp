#include "app/store_factory.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "search/custom_params.h"
#include "search/date_range.h"
#include "search/named_query.h"
#include "search/param_registry.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace hb::app {

namespace {

constexpr const char* kRecordFile = "store.url";

Result<StoreLocation> Parse(const std::string& url, const std::string& data) {
  StoreLocation loc;
  loc.url = url;
  if (url.rfind("sqlite:", 0) == 0) {
    loc.kind = StoreLocation::Kind::kSqlite;
    loc.target = url.substr(7);
    if (loc.target.empty()) loc.target = data + "/healthbook.db";
    return loc;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    loc.kind = StoreLocation::Kind::kPostgres;
    loc.target = url;
    return loc;
  }
  return Status(ErrorCode::kInvalidArgument,
                "store '" + url + "' is neither sqlite:PATH nor postgresql://user@host:port/db");
}

// The URL without its password, for messages and logs.
std::string Redacted(const std::string& url) {
  size_t scheme = url.find("://");
  size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

Status Record(const std::string& data, const std::string& url) {
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  std::string path = data + "/" + kRecordFile;
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status(ErrorCode::kUnavailable, "cannot write " + tmp);
    out << url << "\n";
    if (!out.flush()) return Status(ErrorCode::kUnavailable, "cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status(ErrorCode::kUnavailable, "cannot write " + path + ": " + ec.message());
  return Status::Ok();
}

Result<std::unique_ptr<storage::ResourceStore>> Open(const StoreLocation& loc, const DataDir& dir,
                                                     const Config& cfg) {
  // Search parameters defined as data (the built-in Vietnamese ones and the folder's own)
  // join the R4 ones before the registry is first used.
  auto custom = search::LoadCustomSearchParameters(dir.File("search-parameters"));
  if (!custom.ok()) return custom.status();
  HB_RETURN_IF_ERROR(search::ParamRegistry::Configure(std::move(custom).value()));
  // Named queries (_query): the built-in ones and the folder's own (search/named_query.h).
  auto named = search::LoadNamedQueries(dir.File("named-queries"));
  if (!named.ok()) return named.status();
  HB_RETURN_IF_ERROR(search::NamedQueries::Configure(std::move(named).value(),
                                                     cfg.reception_utc_offset_minutes));
  // Every search parameter with indexed values (the registry compiles their FHIRPath once).
  auto params = search::ParamRegistry::Default().IndexedPairs();
  Result<std::unique_ptr<storage::ResourceStore>> store = Status(ErrorCode::kInternal, "no store");
  if (loc.kind == StoreLocation::Kind::kPostgres) {
    storage::postgres::PostgresStoreOptions o;
    o.url = loc.target;
    o.synchronous_commit = cfg.synchronous_full;
    o.max_group = static_cast<size_t>(cfg.max_group);
    o.search_params = std::move(params);
    store = storage::postgres::OpenPostgresStore(o);
  } else {
    storage::sqlite::SqliteStoreOptions o;
    o.path = loc.target;
    o.synchronous_full = cfg.synchronous_full;
    o.max_group = static_cast<size_t>(cfg.max_group);
    o.search_params = std::move(params);
    store = storage::sqlite::OpenSqliteStore(o);
  }
  if (!store.ok()) {
    return Status(store.status().code(),
                  "cannot open the store " + Redacted(loc.url) + ": " + store.status().message());
  }
  return store;
}

// OpenStore: the store's offset for dates without a zone, recorded when missing, made the
// process's (search::SetZonelessOffsetMinutes).
Status UseZonelessOffset(storage::ResourceStore& store, const Config& cfg, bool for_reindex) {
  auto txn = store.BeginRead();
  HB_ASSIGN_OR_RETURN(auto reindexing, txn->Setting(storage::kSettingReindexing));
  if (reindexing && !for_reindex) {
    return Status(ErrorCode::kConflict,
                  "a `healthbook reindex` begun at " + *reindexing +
                      " did not finish, so its search index is partly rebuilt: run "
                      "`healthbook reindex` again before using it");
  }
  HB_ASSIGN_OR_RETURN(auto recorded, txn->Setting(storage::kSettingZonelessOffset));
  int offset = 0;
  if (recorded) {
    auto [end, ec] = std::from_chars(recorded->data(), recorded->data() + recorded->size(), offset);
    if (ec != std::errc() || end != recorded->data() + recorded->size() ||
        !IsValidUtcOffset(offset)) {
      return Status(ErrorCode::kInternal, "its setting " +
                                              std::string(storage::kSettingZonelessOffset) + " (" +
                                              *recorded + ") is not a UTC offset in minutes");
    }
  } else {
    // A new store (no resource of any type, deleted ones included) takes the configured
    // offset; one with data was indexed at UTC. Types() is an index skip-scan, where a
    // count would read every row of a large store.
    HB_ASSIGN_OR_RETURN(std::vector<std::string> types, txn->Types());
    offset = types.empty() ? cfg.reception_utc_offset_minutes : 0;
    txn.reset();
    HB_RETURN_IF_ERROR(store.WriteSync([offset](storage::WriteTxn& w) {
      return w.SetSetting(storage::kSettingZonelessOffset, std::to_string(offset));
    }));
  }
  search::SetZonelessOffsetMinutes(offset);
  if (offset != cfg.reception_utc_offset_minutes && !for_reindex) {
    spdlog::warn(
        "search reads dates without a time zone at UTC{} in this store, as its index was "
        "built; reception.utc_offset_minutes says UTC{}: stop the server and run `healthbook "
        "reindex` to rebuild the index at the configured offset",
        UtcOffsetText(offset), UtcOffsetText(cfg.reception_utc_offset_minutes));
  }
  return Status::Ok();
}

std::string Recorded(const std::string& data) {
  std::string recorded;
  std::ifstream in(data + "/" + kRecordFile);
  if (in) std::getline(in, recorded);
  while (!recorded.empty() && (recorded.back() == '\r' || recorded.back() == ' ')) {
    recorded.pop_back();
  }
  return recorded;
}

// Once the store given opened: the folder remembers it.
Status Remember(const std::string& data, const Config& cfg) {
  if (cfg.store.empty()) return Status::Ok();
  std::string recorded = Recorded(data);
  if (recorded == cfg.store) return Status::Ok();
  if (!recorded.empty()) {
    spdlog::warn("the data folder {} used the store {}; it now uses {}", data, Redacted(recorded),
                 Redacted(cfg.store));
  }
  return Record(data, cfg.store);
}

}  // namespace

Result<StoreLocation> ResolveStore(const std::string& data, const Config& cfg) {
  if (!cfg.store.empty()) return Parse(cfg.store, data);
  std::string recorded = Recorded(data);
  if (!recorded.empty()) return Parse(recorded, data);
  return Parse("sqlite:" + data + "/healthbook.db", data);
}

Result<std::unique_ptr<storage::ResourceStore>> OpenStore(const DataDir& dir, const Config& cfg,
                                                          bool for_reindex) {
  HB_ASSIGN_OR_RETURN(StoreLocation loc, ResolveStore(dir.path(), cfg));
  HB_ASSIGN_OR_RETURN(auto store, Open(loc, dir, cfg));
  if (Status st = UseZonelessOffset(*store, cfg, for_reindex); !st.ok()) {
    store->Close();
    return Status(st.code(), "the store " + Redacted(loc.url) + ": " + st.message());
  }
  HB_RETURN_IF_ERROR(Remember(dir.path(), cfg));
  return store;
}

Result<std::unique_ptr<storage::AccountStore>> OpenAccountStore(const std::string& data,
                                                                const Config& cfg) {
  HB_ASSIGN_OR_RETURN(StoreLocation loc, ResolveStore(data, cfg));
  if (loc.kind == StoreLocation::Kind::kPostgres) {
    // Migrating is all opening the store would add (and cheap when done already).
    auto migrated = storage::postgres::MigratePostgres(loc.target);
    if (!migrated.ok()) {
      return Status(migrated.status().code(), "cannot open the store " + Redacted(loc.url) + ": " +
                                                  migrated.status().message());
    }
    HB_ASSIGN_OR_RETURN(auto accounts, storage::postgres::OpenPostgresAccounts(loc.target));
    HB_RETURN_IF_ERROR(Remember(data, cfg));
    return accounts;
  }
  if (!std::filesystem::exists(loc.target)) {
    // A new data folder: create and migrate the store first.
    auto dir = OpenDataDir(data);
    if (!dir.ok()) return dir.status();
    auto store = Open(loc, **dir, cfg);
    if (!store.ok()) return store.status();
    (*store)->Close();
  }
  HB_ASSIGN_OR_RETURN(auto accounts, storage::OpenSqliteAccounts(loc.target));
  HB_RETURN_IF_ERROR(Remember(data, cfg));
  return accounts;
}

}  // namespace hb::app
