// The embedded SQLite ResourceStore (WAL, one file under the data folder).
//
// Contract: see storage/resource_store.h. Open() creates or migrates the store,
// interns the search parameters it will index, and starts the writer thread.
// Readers come from a pool of read-only connections (WAL lets them run beside
// the writer). Durability: synchronous=FULL in WAL mode, so a group's COMMIT
// has reached the disk before any of its writes is acknowledged.
// Failure modes: Open fails with kUnavailable/kStorageError and a message that
// names the file when it cannot be opened, created or migrated.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/resource_store.h"

namespace hb::storage::sqlite {

struct SqliteStoreOptions {
  std::string path;                 // the database file
  bool synchronous_full = true;     // false trades durability for speed (bulk loads)
  size_t max_group = 512;           // most work items per commit group
  size_t cache_bytes = 128u << 20;  // ResourceCache of current versions; 0 disables it
  // WAL frames that start a checkpoint on a background connection (checkpointer.h);
  // 0 leaves checkpoints to SQLite on the writer.
  int checkpoint_frames = 4000;
  // (resource type, search parameter code) pairs the index may hold.
  std::vector<std::pair<std::string, std::string>> search_params;
};

Result<std::unique_ptr<ResourceStore>> OpenSqliteStore(const SqliteStoreOptions& options);

}  // namespace hb::storage::sqlite
