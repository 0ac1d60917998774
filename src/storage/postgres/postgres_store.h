// The PostgreSQL ResourceStore (libpq), for a province: the same contract as the SQLite
// store (storage/resource_store.h), over a server that many healthbook processes share.
//
// Contract: Open() connects, migrates the schema (resources/sql/postgresql, the shared
// migrator), interns the search parameters and starts the writer thread. Readers lease
// connections from a pool. Writes are queued and committed in groups by one writer thread
// on its own connection, exactly as in the SQLite store: each work item runs in a savepoint
// of the group's transaction and `done` runs after COMMIT, which is durable
// (synchronous_commit on) unless `synchronous_commit` is false.
//
// Isolation: every group transaction first takes one transaction-level advisory lock
// (pg_advisory_xact_lock), so write transactions run one at a time across every process
// on the database, each seeing all earlier commits: a serial order, the documented
// equivalent of SERIALIZABLE for our writes (docs/implementation/storage.md). A work item
// that still fails with a serialization failure or deadlock (40001, 40P01: from other
// clients of the database) is run again, up to kMaxRetries times with a jittered backoff.
// Reads that span statements (count + page, history) run in one REPEATABLE READ snapshot.
// Failure modes: Open fails with kUnavailable naming the server when it cannot connect.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/account_store.h"
#include "storage/resource_store.h"

namespace hb::storage::postgres {

struct PostgresStoreOptions {
  std::string url;                  // postgresql://user@host:port/db (libpq conninfo)
  bool synchronous_commit = true;   // false trades durability for speed (bulk loads)
  size_t max_group = 512;           // most work items per commit group
  size_t pool_size = 32;            // reader connections kept (more only after a wait)
  size_t cache_bytes = 128u << 20;  // ResourceCache of current versions; 0 disables it
  // (resource type, search parameter code) pairs the index may hold.
  std::vector<std::pair<std::string, std::string>> search_params;
};

inline constexpr int kMaxRetries = 5;

Result<std::unique_ptr<ResourceStore>> OpenPostgresStore(const PostgresStoreOptions& options);

// The accounts in the database at `url` (migrated by OpenPostgresStore).
Result<std::unique_ptr<AccountStore>> OpenPostgresAccounts(const std::string& url);

// Applies the PostgreSQL migrations to the database at `url` (what OpenPostgresStore does
// first); returns how many were applied.
Result<int> MigratePostgres(const std::string& url);

}  // namespace hb::storage::postgres
