// Opens the configured stores (resources and accounts) of a data folder: SQLite in the
// folder (the default) or a PostgreSQL database, behind the same interfaces.
//
// Which store: Config::store when set ("sqlite:PATH" or "postgresql://..."), which is then
// recorded in <data>/store.url (mode 0600: a URL may carry a password) once it opened;
// else the URL recorded there; else sqlite:<data>/healthbook.db. So `serve --store URL` once, and
// every later command on the folder (token issue, user add, reindex, claims export...) finds the
// same store. Failure modes: kInvalidArgument for a URL of no known kind, and the store's own
// errors with the location named.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "app/data_dir.h"
#include "storage/account_store.h"
#include "storage/resource_store.h"

namespace hb::app {

struct StoreLocation {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string target;  // the SQLite file, or the PostgreSQL URL
  std::string url;     // as written: sqlite:PATH or postgresql://...
};

// Resolves the store of the folder `data` (records nothing).
Result<StoreLocation> ResolveStore(const std::string& data, const Config& cfg);

// Opening also fixes how search reads dates without a zone (search/date_range.h): at the
// offset recorded in the store, which a new store takes from reception.utc_offset_minutes
// and a store built before offsets were recorded has as UTC (how its index was built). A
// configuration that differs is warned about (`healthbook reindex` moves the store to it).
// A store whose last reindex was interrupted is refused (kConflict) unless
// `for_reindex`.
Result<std::unique_ptr<storage::ResourceStore>> OpenStore(const DataDir& dir, const Config& cfg,
                                                          bool for_reindex = false);
// The accounts of the folder's store; a store not yet created is created and migrated first.
Result<std::unique_ptr<storage::AccountStore>> OpenAccountStore(const std::string& data,
                                                                const Config& cfg);

}  // namespace hb::app
