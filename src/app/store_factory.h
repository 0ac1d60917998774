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

Result<std::unique_ptr<storage::ResourceStore>> OpenStore(const DataDir& dir, const Config& cfg);
// The accounts of the folder's store; a store not yet created is created and migrated first.
Result<std::unique_ptr<storage::AccountStore>> OpenAccountStore(const std::string& data,
                                                                const Config& cfg);

}  // namespace hb::app
