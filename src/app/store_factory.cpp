#include "app/store_factory.h"

#include "search/custom_params.h"
#include "search/param_registry.h"
#include "storage/sqlite/sqlite_store.h"

namespace hb::app {

Result<std::unique_ptr<storage::ResourceStore>> OpenStore(const DataDir& dir, const Config& cfg) {
  storage::sqlite::SqliteStoreOptions o;
  o.path = dir.File("healthbook.db");
  o.synchronous_full = cfg.synchronous_full;
  o.max_group = static_cast<size_t>(cfg.max_group);
  // Search parameters defined as data (the built-in Vietnamese ones and the folder's own)
  // join the R4 ones before the registry is first used.
  auto custom = search::LoadCustomSearchParameters(dir.File("search-parameters"));
  if (!custom.ok()) return custom.status();
  HB_RETURN_IF_ERROR(search::ParamRegistry::Configure(std::move(custom).value()));
  // Every search parameter with indexed values (the registry compiles their FHIRPath once).
  o.search_params = search::ParamRegistry::Default().IndexedPairs();
  auto store = storage::sqlite::OpenSqliteStore(o);
  if (!store.ok()) {
    return Status(store.status().code(), "cannot open the store " + o.path + ": " +
                                             store.status().message());
  }
  return store;
}

}  // namespace hb::app
