// Numbered schema migrations, one runner for every SQL dialect.
//
// Contract: migrations are numbered 1..N without gaps and embedded in the
// binary at build time (resources/sql/<dialect>/NNNN_name.sql). RunMigrations
// applies, in order, each migration above the target's current version; each
// one is applied atomically together with the new version number. A store whose
// version is newer than this binary knows is refused (kUnavailable) rather than
// guessed at. Not thread-safe: run once at open, before serving.
#pragma once

#include <span>
#include <string_view>

#include "common/result.h"

namespace hb::storage::sql {

struct Migration {
  int number;
  std::string_view name;
  std::string_view sql;
};

class MigrationTarget {
 public:
  virtual ~MigrationTarget() = default;
  virtual Result<int> CurrentVersion() = 0;
  // Runs `m.sql` and records m.number as the version, in one transaction.
  virtual Status Apply(const Migration& m) = 0;
};

// Applies pending migrations; returns how many were applied.
Result<int> RunMigrations(MigrationTarget& target, std::span<const Migration> migrations);

}  // namespace hb::storage::sql
