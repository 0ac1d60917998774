#include "storage/sql/migrator.h"

#include <spdlog/spdlog.h>

#include <string>

namespace hb::storage::sql {

Result<int> RunMigrations(MigrationTarget& target, std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].number != static_cast<int>(i) + 1) {
      return Status(ErrorCode::kInternal, "migrations must be numbered 1..N without gaps");
    }
  }
  HB_ASSIGN_OR_RETURN(int current, target.CurrentVersion());
  const int latest = static_cast<int>(migrations.size());
  if (current > latest) {
    return Status(ErrorCode::kUnavailable,
                  "the store has schema version " + std::to_string(current) +
                      ", newer than this healthbook knows (" + std::to_string(latest) +
                      "); use a newer healthbook");
  }
  int applied = 0;
  for (const Migration& m : migrations) {
    if (m.number <= current) continue;
    spdlog::info("applying schema migration {} ({})", m.number, m.name);
    Status st = target.Apply(m);
    if (!st.ok()) {
      return Status(st.code(), "migration " + std::to_string(m.number) + " (" +
                                   std::string(m.name) + ") failed: " + st.message());
    }
    ++applied;
  }
  return applied;
}

}  // namespace hb::storage::sql
