// Writing and clearing a resource's rows in the typed search index tables
// (resources/sql/sqlite/0004_search_index.sql). Internal to storage/sqlite; runs on
// the writer connection inside the write's savepoint.
#pragma once

#include <cstdint>
#include <string_view>

#include "search/index_entries.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/queries.h"

namespace hb::storage::sqlite {

// Removes every index row of `rid` (before a new version, or at a delete).
Status ClearIndexRows(Database& db, int64_t rid);
// Inserts the rows of one version; rows whose parameter the store does not know are skipped.
Status WriteIndexRows(Database& db, const ParamIds& params, std::string_view type, int64_t rid,
                      const search::IndexEntries& e);

}  // namespace hb::storage::sqlite
