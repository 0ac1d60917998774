// Writing and clearing a resource's rows in the typed search index tables
// (resources/sql/sqlite/0004_search_index.sql). A row's rowid is (rid << kRowShift) + n,
// so a resource's rows are one rowid range. Internal to storage/sqlite; runs on the writer
// connection inside the write's savepoint.
#pragma once

#include <cstdint>
#include <string_view>

#include "search/index_entries.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/queries.h"

namespace hb::storage::sqlite {

inline constexpr int kRowShift = 20;  // at most 2^20 rows per resource and table
inline constexpr int64_t FirstRow(int64_t rid) { return rid << kRowShift; }
inline constexpr int64_t LastRow(int64_t rid) {
  return (rid << kRowShift) + ((1 << kRowShift) - 1);
}

// Checks that the index tables have the layout this code writes (data folders made by
// development builds before it had an earlier migration 4); kUnavailable naming the
// problem when not.
Status CheckIndexSchema(Database& db);

// Removes every index row of `rid` (before a new version, or at a delete).
Status ClearIndexRows(Database& db, int64_t rid);
// Inserts the rows of one version; rows whose parameter the store does not know are skipped.
Status WriteIndexRows(Database& db, const ParamIds& params, std::string_view type, int64_t rid,
                      const search::IndexEntries& e);

}  // namespace hb::storage::sqlite
